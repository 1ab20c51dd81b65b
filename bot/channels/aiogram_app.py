"""The aiogram adapter: Telegram objects in, core events out. Handlers parse, call, and return."""

from __future__ import annotations

from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update

from bot.app.processor import Processor
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.channels.telegram_events import button_event, edit_event, message_event, still_reachable


async def on_message(message: Message, event_update: Update, processor: Processor) -> None:
    event = message_event(message)
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


async def on_edit(message: Message, event_update: Update, processor: Processor) -> None:
    event = edit_event(message)
    if event is None:
        await processor.skip(event_update.update_id)
        return
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


async def on_button(query: CallbackQuery, event_update: Update, processor: Processor) -> None:
    event = button_event(query)
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


async def on_membership(
    update: ChatMemberUpdated, event_update: Update, processor: Processor
) -> None:
    reachable = still_reachable(update.new_chat_member.status)
    await processor.note_reachability(update.from_user.id, reachable, event_update.update_id)


def build_dispatcher(processor: Processor) -> Dispatcher:
    # One handler per update type and no aiogram filters: aiogram runs synchronous filters (magic
    # filters included) in a thread pool, which cost two thread hops per update when measured.
    # A router per dispatcher: aiogram lets a router belong to one dispatcher only.
    router = Router(name="pumpurs")
    router.message.register(on_message)
    router.edited_message.register(on_edit)
    router.callback_query.register(on_button)
    router.my_chat_member.register(on_membership)
    # No FSM: the cursor lives in the database; aiogram's per-update state lookup is pure cost.
    dispatcher = Dispatcher(processor=processor, disable_fsm=True)
    dispatcher.include_router(router)
    return dispatcher


class AiogramFeed:
    """Feeds stored raw updates through the aiogram dispatcher; replies go to the outbox."""

    def __init__(self, processor: Processor, api_base: str, token: str) -> None:
        self.processor = processor
        # The session is never used to send (our Sender does); aiogram objects just need a bot.
        self._session = AiohttpSession(api=TelegramAPIServer.from_base(api_base))
        self._bot = Bot(token=token, session=self._session)
        self._dispatcher = build_dispatcher(processor)

    async def __call__(self, update_id: int, payload: dict[str, Any]) -> None:
        update = Update.model_validate(payload, context={"bot": self._bot})
        if await self._dispatcher.feed_update(self._bot, update) is UNHANDLED:
            await self.processor.skip(update_id)

    async def close(self) -> None:
        await self._session.close()
