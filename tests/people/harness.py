"""In-process chat for access tests: the real processor and engine on a real database."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from bot.app.build import build_engine
from bot.app.processor import Processor
from bot.channels.render import Rendered, Renderer, plain
from bot.core.engine import Turn
from bot.core.events import Event, EventKind, text_event
from bot.storage.database import Database

_TOKEN = re.compile(r"/start (\S+)")


class Chat:
    """Several people talking to one bot; each keeps their latest message with buttons."""

    def __init__(self, db: Database, processor: Processor) -> None:
        self.db, self.processor = db, processor
        self.latest: dict[int, Rendered] = {}
        self.log: dict[int, list[str]] = {}
        self._turns: list[Turn] = []

    @classmethod
    def open(cls, db_url: str, admins: frozenset[int] = frozenset()) -> Chat:
        db = Database(db_url)
        return cls(db, Processor(db, build_engine(), admins=admins))

    def _collect(self, session: Session, turn: Turn, event: Event) -> None:
        self._turns.append(turn)

    async def send(self, user: int, event: Event) -> list[str]:
        self._turns.clear()
        await self.processor.handle(event, self._collect)
        shown: list[str] = []
        for turn in self._turns:
            renderer = Renderer(turn.language)
            for reply in turn.replies:
                rendered = renderer.html(reply)
                shown.append(plain("\n".join(rendered.chunks)))
                if rendered.buttons:
                    self.latest[user] = rendered
        self.log.setdefault(user, []).extend(shown)
        return shown

    async def say(self, user: int, text: str, lang: str = "lv") -> list[str]:
        return await self.send(
            user, text_event(user, user, text, name=f"U{user}", language_code=lang)
        )

    async def press(self, user: int, label: str) -> list[str]:
        return await self.send(user, self.button_event(user, label))

    def button_event(self, user: int, label: str) -> Event:
        for row in self.latest[user].buttons:
            for b in row:
                if label in b.label:
                    return Event(user, user, EventKind.BUTTON, payload=b.data, name=f"U{user}")
        raise AssertionError(f"no button {label!r}: {self.labels(user)}")

    async def forge(self, user: int, payload: str) -> list[str]:
        return await self.send(user, Event(user, user, EventKind.BUTTON, payload=payload))

    def labels(self, user: int) -> list[str]:
        rendered = self.latest.get(user)
        return [b.label for row in rendered.buttons for b in row] if rendered else []

    def token(self, user: int) -> str:
        for text in reversed(self.log.get(user, [])):
            if m := _TOKEN.search(text):
                return m[1]
        raise AssertionError("no invitation in the chat")

    async def close(self) -> None:
        await self.db.close()


async def rows(db: Database, query: Any) -> list[Any]:
    return await db.run(lambda s: list(s.execute(query).all()))
