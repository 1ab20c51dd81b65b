"""What the core hands back: text keys with parameters, buttons, files. Channels render them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Union

# A parameter is plain data; a nested Text is translated too; Raw is shown as given (escaped).
Param = Union[str, int, float, dt.date, "Text", "Raw", "Markup", "Lines"]


@dataclass(frozen=True, slots=True)
class Raw:
    """Text typed by a person or taken from content: shown literally, escaped by the channel."""

    value: str


@dataclass(frozen=True, slots=True)
class Markup:
    """Already formatted content (limited Telegram HTML) from trusted files such as articles."""

    value: str


@dataclass(frozen=True, slots=True)
class Text:
    """A translatable text key with named parameters; `count` selects a plural form."""

    key: str
    params: dict[str, Param] = field(default_factory=dict)
    count: int | None = None


@dataclass(frozen=True, slots=True)
class Lines:
    """Several texts shown one per line (a list of figures) rather than as paragraphs."""

    items: tuple[Text | Raw, ...]


Part = Text | Raw | Markup | Lines


@dataclass(frozen=True, slots=True)
class Button:
    """An inline button: a label and compact callback data (never the label)."""

    label: Text | Raw
    data: str


@dataclass(frozen=True, slots=True)
class Reply:
    """One bot message. `edit` replaces the message whose button was pressed."""

    parts: tuple[Part, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    document: str | None = None  # a file path
    photo: str | None = None
    edit: bool = False
    protect: bool = False  # ask Telegram to stop forwarding and saving
    chat_id: int | None = None  # another person's chat (a notification); None: this chat
    language: str | None = None  # the other person's language, for a notification


def say(key: str, count: int | None = None, **params: Param) -> Text:
    return Text(key, dict(params), count)


def reply(*parts: Part, buttons: tuple[tuple[Button, ...], ...] = (), **kw: object) -> Reply:
    return Reply(tuple(parts), buttons, **kw)  # type: ignore[arg-type]


LABEL_LIMIT = 60  # characters of free text on a button: phones cut longer labels anyway


def label_text(text: str, limit: int = LABEL_LIMIT) -> Raw:
    """Free text as a button label: a long one is cut at a word and ends in "…", so it reads as
    shortened rather than as a sentence that stops halfway."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return Raw(text)
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return Raw(cut.rstrip(" ,.;:–—-") + "…")
