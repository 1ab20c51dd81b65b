"""What a channel hands the core: one user action, already stripped of transport details."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

# Longer texts are cut before anything else sees them, so time and storage stay bounded.
MAX_TEXT = 4000


class EventKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"
    BUTTON = "button"
    UNSUPPORTED = "unsupported"  # stickers, photos, voice, documents...
    EDITED = "edited"  # an edited earlier message
    GROUP = "group"  # anything in a group chat


@dataclass(frozen=True, slots=True)
class Event:
    """One user action in a channel."""

    user_id: int
    chat_id: int
    kind: EventKind
    text: str = ""
    command: str = ""  # without the slash, lower case
    args: str = ""  # what followed the command
    payload: str = ""  # button data, never trusted
    message_id: int | None = None  # the bot message whose button was pressed
    name: str = ""
    language_code: str | None = None
    content_type: str = ""
    too_long: bool = False
    callback_id: str = ""  # Telegram's id of a button press, to answer it


def text_event(user_id: int, chat_id: int, text: str, **kw: object) -> Event:
    """A typed line: a command when it starts with '/', else free text (cut to MAX_TEXT)."""
    base = Event(user_id, chat_id, EventKind.TEXT, **kw)  # type: ignore[arg-type]
    # NUL is never meaningful in a message and PostgreSQL refuses to store it in text.
    stripped = text.replace("\x00", "").strip()
    if stripped.startswith("/") and len(stripped) > 1 and not stripped[1].isspace():
        head, _, args = stripped.partition(" ")
        command = head[1:].split("@", 1)[0].lower()
        return replace(
            base,
            kind=EventKind.COMMAND,
            text=stripped[:MAX_TEXT],
            command=command,
            args=args.strip()[:MAX_TEXT],
        )
    return replace(base, text=stripped[:MAX_TEXT], too_long=len(stripped) > MAX_TEXT)
