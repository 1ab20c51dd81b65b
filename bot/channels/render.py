"""Turns core replies into text in the user's language: Telegram HTML, or plain for the console."""

from __future__ import annotations

import datetime as dt
import html
import re
import weakref
from dataclasses import dataclass

from bot.core.replies import Button, Lines, Markup, Param, Part, Raw, Reply, Text
from bot.i18n import Translator, translator

TELEGRAM_LIMIT = 4096
_TAG = re.compile(r"<[^>]+>")
# Button labels that are a bare text key (nav.back, input.yes, option labels) per translator:
# the same few hundred strings on every keyboard. Keyed weakly, so reloaded catalogues start anew.
_LABELS: weakref.WeakKeyDictionary[Translator, dict[str, str]] = weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class RenderedButton:
    label: str
    data: str


@dataclass(frozen=True, slots=True)
class Rendered:
    """One reply as text chunks (each within Telegram's limit) and button rows for the last."""

    chunks: tuple[str, ...]
    buttons: tuple[tuple[RenderedButton, ...], ...]
    reply: Reply


class Renderer:
    def __init__(self, language: str) -> None:
        self.tr: Translator = translator(language)
        labels = _LABELS.get(self.tr)
        if labels is None:
            labels = _LABELS[self.tr] = {}
        self._labels = labels

    def html(self, r: Reply) -> Rendered:
        text = "\n\n".join([self.part(p) for p in r.parts if p is not None])
        rows = tuple(tuple([self.button(b) for b in row]) for row in r.buttons)
        return Rendered(split(text, TELEGRAM_LIMIT), rows, r)

    def part(self, part: Part) -> str:
        if isinstance(part, Raw):
            return html.escape(part.value, quote=False)
        if isinstance(part, Markup):
            return part.value
        if isinstance(part, Lines):
            return "\n".join([self.part(p) for p in part.items])
        params = {k: self.param(v) for k, v in part.params.items()} if part.params else None
        if part.count is not None:
            return self.tr.plural(part.key, part.count, params)
        return self.tr.text(part.key, params)

    def param(self, value: Param) -> str:
        if isinstance(value, (Text, Raw, Markup, Lines)):
            return self.part(value)
        if isinstance(value, dt.datetime):  # a moment: day and time, in Riga
            return self.tr.datetime(value, "short")
        if isinstance(value, dt.date):
            return self.tr.date(value, "medium")
        if isinstance(value, int | float):
            return self.tr.number(value)
        return html.escape(str(value), quote=False)

    def button(self, b: Button) -> RenderedButton:
        # Button labels are plain text in Telegram: no HTML, no entities.
        label = b.label
        if isinstance(label, Text) and not label.params and label.count is None:
            text = self._labels.get(label.key)
            if text is None:
                text = self._labels[label.key] = plain(self.tr.text(label.key))
            return RenderedButton(text, b.data)
        if isinstance(label, Raw):  # escaping it and then taking the HTML away gives it back as is
            return RenderedButton(label.value, b.data)
        return RenderedButton(plain(self.part(label)), b.data)


def plain(text: str) -> str:
    """HTML to what a terminal shows."""
    return html.unescape(_TAG.sub("", text))


def split(text: str, limit: int) -> tuple[str, ...]:
    """Split at paragraph, then line, then word boundaries so no chunk passes the limit."""
    if len(text) <= limit:
        return (text,)
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit))
        if cut <= 0:
            cut = rest.rfind(" ", 0, limit)
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return tuple(chunks)
