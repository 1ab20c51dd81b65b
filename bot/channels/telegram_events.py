"""Telegram updates as core events: the decisions both Telegram adapters share.

aiogram and python-telegram-bot expose the Bot API fields under the same attribute names, so the
translation is written once against these protocols and the two runtimes cannot drift apart.
"""

from __future__ import annotations

from typing import Protocol

from bot.core.events import Event, EventKind, text_event


class TgUser(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def first_name(self) -> str: ...
    @property
    def language_code(self) -> str | None: ...


class TgChat(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def type(self) -> str: ...


class TgMessageRef(Protocol):
    """What even an inaccessible (old) message still tells: where it was."""

    @property
    def message_id(self) -> int: ...
    @property
    def chat(self) -> TgChat: ...


class TgMessage(TgMessageRef, Protocol):
    @property
    def from_user(self) -> TgUser | None: ...
    @property
    def text(self) -> str | None: ...


class TgQuery(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def from_user(self) -> TgUser: ...
    @property
    def data(self) -> str | None: ...
    @property
    def message(self) -> TgMessageRef | None: ...


# Message fields that carry content the bot cannot read; the first one present names the kind
# (an animation also carries a document, so it comes first). Missing attributes count as absent.
CONTENT_FIELDS = (
    "audio",
    "animation",
    "document",
    "game",
    "photo",
    "sticker",
    "video",
    "video_note",
    "voice",
    "contact",
    "venue",
    "location",
    "poll",
    "dice",
    "story",
    "invoice",
    "new_chat_members",
    "left_chat_member",
)


def content_kind(message: object) -> str:
    """The kind of a non-text message, by Bot API field name ("sticker", "photo", ...)."""
    return next((name for name in CONTENT_FIELDS if getattr(message, name, None)), "unknown")


def _sender(message: TgMessage) -> tuple[int, str, str | None]:
    user = message.from_user
    if user is None:  # never in a private chat; keeps the event well-formed anyway
        return message.chat.id, "", None
    return user.id, user.first_name, user.language_code


def message_event(message: TgMessage) -> Event:
    """A new message: group chat, text or command, or content the bot cannot read."""
    user, name, language = _sender(message)
    chat = message.chat.id
    if message.chat.type != "private":
        return Event(user, chat, EventKind.GROUP, name=name, language_code=language)
    if message.text is not None:
        return text_event(
            user,
            chat,
            message.text,
            message_id=message.message_id,
            name=name,
            language_code=language,
        )
    return Event(
        user,
        chat,
        EventKind.UNSUPPORTED,
        content_type=content_kind(message),
        name=name,
        language_code=language,
    )


def edit_event(message: TgMessage) -> Event | None:
    """An edited message; None when it is in a group, where the bot stays silent."""
    if message.chat.type != "private":
        return None
    user, name, language = _sender(message)
    return Event(user, message.chat.id, EventKind.EDITED, name=name, language_code=language)


def button_event(query: TgQuery) -> Event:
    """A pressed inline button; its data is checked by the core, never trusted here."""
    message = query.message
    return Event(
        query.from_user.id,
        message.chat.id if message is not None else query.from_user.id,
        EventKind.BUTTON,
        payload=query.data or "",
        message_id=message.message_id if message is not None else None,
        name=query.from_user.first_name,
        language_code=query.from_user.language_code,
        callback_id=query.id,
    )


def still_reachable(status: str) -> bool:
    """A my_chat_member status: "kicked" in a private chat means the person blocked the bot."""
    return status not in ("kicked", "left")
