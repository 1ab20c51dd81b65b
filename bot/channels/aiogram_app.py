"""The aiogram adapter: Telegram objects in, core events out. Handlers parse, call, and return."""

from __future__ import annotations

from aiogram import Dispatcher, Router
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message, Update

from bot.app.processor import Processor
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.core.events import Event, EventKind, text_event

router = Router(name="pumpurs")


def _who(message: Message) -> dict[str, object]:
    user = message.from_user
    return {
        "name": user.first_name if user else "",
        "language_code": user.language_code if user else None,
    }


def _user_id(message: Message) -> int:
    return message.from_user.id if message.from_user else message.chat.id


def message_event(message: Message) -> Event:
    """A message as a core event: group chat, text or command, or content the bot cannot read."""
    who = _who(message)
    user, chat = _user_id(message), message.chat.id
    if message.chat.type != "private":
        return Event(user, chat, EventKind.GROUP, **who)  # type: ignore[arg-type]
    if message.text is not None:
        return text_event(user, chat, message.text, message_id=message.message_id, **who)
    kind = str(message.content_type)
    return Event(user, chat, EventKind.UNSUPPORTED, content_type=kind, **who)  # type: ignore[arg-type]


# One handler per update type and no aiogram filters: aiogram runs synchronous filters (magic
# filters included) in a thread pool, which cost two thread hops per update when measured.
@router.message()
async def on_message(message: Message, event_update: Update, processor: Processor) -> None:
    event = message_event(message)
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.edited_message()
async def on_edit(message: Message, event_update: Update, processor: Processor) -> None:
    if message.chat.type != "private":
        await processor.skip(event_update.update_id)
        return
    event = Event(_user_id(message), message.chat.id, EventKind.EDITED, **_who(message))  # type: ignore[arg-type]
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.callback_query()
async def on_button(query: CallbackQuery, event_update: Update, processor: Processor) -> None:
    message = query.message
    chat_id = message.chat.id if message is not None else query.from_user.id
    event = Event(
        query.from_user.id,
        chat_id,
        EventKind.BUTTON,
        payload=query.data or "",
        message_id=message.message_id if message is not None else None,
        name=query.from_user.first_name,
        language_code=query.from_user.language_code,
        callback_id=query.id,
    )
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.my_chat_member()
async def on_membership(
    update: ChatMemberUpdated, event_update: Update, processor: Processor
) -> None:
    # "kicked" in a private chat means the person blocked the bot.
    reachable = update.new_chat_member.status not in ("kicked", "left")
    await processor.note_reachability(update.from_user.id, reachable, event_update.update_id)


def build_dispatcher(processor: Processor) -> Dispatcher:
    dispatcher = Dispatcher(processor=processor)
    dispatcher.include_router(router)
    return dispatcher
