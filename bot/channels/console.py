"""The console channel: the same dialogs in a terminal, in the protocol of design.md.

Each bot message prints as its text, then `[n] label` per button, then a blank line. A bare
number presses button n of the latest message (when it has buttons); `\\7` sends "7" as text.
"""

from __future__ import annotations

import asyncio
import re
import sys
from typing import TextIO

from sqlalchemy.orm import Session

from bot.app.processor import Processor
from bot.channels.render import Rendered, Renderer, plain
from bot.core.engine import Turn
from bot.core.events import Event, EventKind, text_event
from bot.storage.repos import conversations, people

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_ESCAPED_NUMBER = re.compile(r"^\\(\d+)$")


class Console:
    def __init__(
        self, processor: Processor, user_id: int, name: str, lang: str | None, out: TextIO
    ) -> None:
        self.processor = processor
        self.user_id, self.name, self.lang = user_id, name, lang
        self.out = out
        self.latest: Rendered | None = None
        self._turns: list[Turn] = []

    def _collect(self, session: Session, turn: Turn, event: Event) -> None:
        self._turns.append(turn)

    async def run(self, lines: TextIO) -> int:
        await self._open()
        loop = asyncio.get_running_loop()
        while True:
            if lines.isatty():
                self.out.write("> ")
                self.out.flush()
            line = await loop.run_in_executor(None, lines.readline)
            if not line:
                return 0
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            await self.send(self.event_for(line))

    async def _open(self) -> None:
        """First run: /start. Later runs: show where the person left off."""
        known = await self.processor.db.run(self._has_cursor)
        if known:
            await self.send(self._event(EventKind.TEXT), resume=True)
        else:
            await self.send(text_event(self.user_id, self.user_id, "/start", **self._who()))

    def _has_cursor(self, session: Session) -> bool:
        user = people.find_user(session, self.user_id)
        row = conversations.load(session, user.id) if user is not None else None
        return row is not None and bool(row.dialog)

    def event_for(self, line: str) -> Event:
        if (m := _NUMBER.match(line)) and self.latest is not None and self.latest.buttons:
            flat = [b for row in self.latest.buttons for b in row]
            n = int(m[1])
            if 1 <= n <= len(flat):
                return self._event(EventKind.BUTTON, payload=flat[n - 1].data)
        if m := _ESCAPED_NUMBER.match(line):
            line = m[1]
        return text_event(self.user_id, self.user_id, line, **self._who())

    def _who(self) -> dict[str, object]:
        return {"name": self.name, "language_code": self.lang}

    def _event(self, kind: EventKind, payload: str = "") -> Event:
        return Event(
            self.user_id,
            self.user_id,
            kind,
            payload=payload,
            name=self.name,
            language_code=self.lang,
        )

    async def send(self, event: Event, resume: bool = False) -> None:
        self._turns.clear()
        await self.processor.handle(event, self._collect, resume=resume)
        for turn in self._turns:
            for reply in turn.replies:
                if reply.chat_id is None or reply.chat_id == self.user_id:
                    self.show(Renderer(reply.language or turn.language).html(reply))

    def show(self, rendered: Rendered) -> None:
        for chunk in rendered.chunks:
            self.out.write(plain(chunk) + "\n")
        n = 0
        for row in rendered.buttons:
            for button in row:
                n += 1
                self.out.write(f"[{n}] {button.label}\n")
        if rendered.reply.document:
            self.out.write(f"[document] {rendered.reply.document}\n")
        if rendered.reply.photo:
            self.out.write(f"[photo] {rendered.reply.photo}\n")
        self.out.write("\n")
        self.out.flush()
        self.latest = rendered


def stdin() -> TextIO:
    # Piped input may be in any encoding the shell gives; read it as UTF-8 and never crash on it.
    return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
