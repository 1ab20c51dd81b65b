"""The aiogram adapter: Telegram objects in, core events out. Handlers parse, call, and return."""

from __future__ import annotations

from aiogram import Dispatcher, F, Router
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


@router.message(F.chat.type != "private")
async def in_group(message: Message, event_update: Update, processor: Processor) -> None:
    event = Event(_user_id(message), message.chat.id, EventKind.GROUP, **_who(message))  # type: ignore[arg-type]
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.message(F.text)
async def on_text(message: Message, event_update: Update, processor: Processor) -> None:
    event = text_event(_user_id(message), message.chat.id, message.text or "", **_who(message))
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.message()
async def on_other_content(message: Message, event_update: Update, processor: Processor) -> None:
    event = Event(
        _user_id(message),
        message.chat.id,
        EventKind.UNSUPPORTED,
        content_type=str(message.content_type),
        **_who(message),  # type: ignore[arg-type]
    )
    await processor.handle(event, deliver_to_outbox, update_id=event_update.update_id)


@router.edited_message(F.chat.type == "private")
async def on_edit(message: Message, event_update: Update, processor: Processor) -> None:
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
