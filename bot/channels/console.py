"""The console channel: the same dialogs in a terminal, in the protocol of design.md.

Each bot message prints as its text, then `[n] label` per button, then a blank line. A bare
number presses button n of the latest message (when it has buttons); `\\7` sends "7" as text.

Messages for other people (a coordinator told about a submitted plan) go to the outbox, as in
Telegram. Without a bot token the console is the only channel, so it also shows what waits in the
outbox for its own user (notifications from others, reminders from `reminders run-once`) when it
starts and after each line.
"""

from __future__ import annotations

import asyncio
import dataclasses
import re
import sys
from typing import Any, TextIO

from sqlalchemy.orm import Session

from bot.app.processor import Processor
from bot.channels.render import Rendered, RenderedButton, Renderer, plain
from bot.channels.sender import FILE_FIELD, FILE_KIND
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.core.engine import Turn
from bot.core.events import Event, EventKind, text_event
from bot.core.replies import Reply
from bot.storage.repos import conversations, outbox, people

_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
_ESCAPED_NUMBER = re.compile(r"^\\(\d+)$")


class Console:
    def __init__(
        self,
        processor: Processor,
        user_id: int,
        name: str,
        lang: str | None,
        out: TextIO,
        *,
        mailbox: bool = True,
    ) -> None:
        self.processor = processor
        self.user_id, self.name, self.lang = user_id, name, lang
        self.out = out
        self.mailbox = mailbox  # show this user's waiting outbox messages (no Telegram sender)
        self.latest: list[RenderedButton] = []
        self._turns: list[Turn] = []

    def _collect(self, session: Session, turn: Turn, event: Event) -> None:
        mine: list[Reply] = []
        others: list[Reply] = []
        for reply in turn.replies:
            own = reply.chat_id is None or reply.chat_id == self.user_id
            (mine if own else others).append(reply)
        self._turns.append(dataclasses.replace(turn, replies=mine))
        if others:  # committed with the turn, delivered to the other person's channel
            deliver_to_outbox(session, dataclasses.replace(turn, replies=others), event)

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
        if (m := _NUMBER.match(line)) and self.latest:
            n = int(m[1])
            if 1 <= n <= len(self.latest):
                return self._event(EventKind.BUTTON, payload=self.latest[n - 1].data)
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
                self.show(Renderer(reply.language or turn.language).html(reply))
        await self.show_mail()

    def show(self, rendered: Rendered) -> None:
        buttons = [b for row in rendered.buttons for b in row]
        reply = rendered.reply
        self._print([plain(c) for c in rendered.chunks], buttons, reply.document, reply.photo)

    async def show_mail(self) -> None:
        """Print what others' actions and reminders left in the outbox for this user."""
        if not self.mailbox:
            return
        user = self.user_id
        for method, payload in await self.processor.db.run(lambda s: outbox.take_for_chat(s, user)):
            self._print_call(method, payload)

    def _print_call(self, method: str, payload: dict[str, Any]) -> None:
        if method in ("sendMessage", "editMessageText"):
            rows = (payload.get("reply_markup") or {}).get("inline_keyboard") or []
            buttons = [
                RenderedButton(str(b.get("text", "")), str(b.get("callback_data", "")))
                for row in rows
                for b in row
            ]
            self._print([plain(str(payload.get("text", "")))], buttons, None, None)
        elif method in ("sendDocument", "sendPhoto"):
            path = str(payload.get(FILE_FIELD, ""))
            photo = payload.get(FILE_KIND) == "photo"
            self._print([], [], None if photo else path, path if photo else None)
        # answerCallbackQuery, deleteMessage: nothing to show in a terminal

    def _print(
        self,
        lines: list[str],
        buttons: list[RenderedButton],
        document: str | None,
        photo: str | None,
    ) -> None:
        for line in lines:
            self.out.write(line + "\n")
        for n, button in enumerate(buttons, 1):
            self.out.write(f"[{n}] {button.label}\n")
        if document:
            self.out.write(f"[document] {document}\n")
        if photo:
            self.out.write(f"[photo] {photo}\n")
        self.out.write("\n")
        self.out.flush()
        self.latest = buttons


def stdin() -> TextIO:
    # Piped input may be in any encoding the shell gives; read it as UTF-8 and never crash on it.
    return open(sys.stdin.fileno(), encoding="utf-8", errors="replace", closefd=False)
