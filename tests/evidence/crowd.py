"""Drives the real processor as many people at once and checks each update's outcome."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from bot.channels.render import Rendered, Renderer, plain
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.core.replies import Text
from tests.evidence import invariants
from tests.fake_telegram import HTMLParseError, parse_html
from tests.people.harness import Chat


class ErrorLog(logging.Handler):
    """Collects ERROR records from the bot's loggers (the processor logs what it caught)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def __enter__(self) -> ErrorLog:
        logging.getLogger("bot").addHandler(self)
        return self

    def __exit__(self, *exc: object) -> None:
        logging.getLogger("bot").removeHandler(self)


@dataclass
class Outcome:
    """What one update did, as a user and an auditor would judge it."""

    shown: dict[int, list[str]] = field(default_factory=dict)
    html: dict[int, list[str]] = field(default_factory=dict)  # as sent to Telegram
    internal_error: bool = False
    bad_html: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    plans_changed: int = 0  # plans created, changed or removed by this update


class Crowd:
    """Everyone's chats with one bot; keeps every button anyone was ever shown."""

    def __init__(self, chat: Chat) -> None:
        self.chat = chat
        self.latest: dict[int, Rendered] = dict(chat.latest)
        self.seen: dict[int, list[str]] = {
            u: [b.data for row in r.buttons for b in row] for u, r in self.latest.items()
        }
        self.updates = 0
        self._state: invariants.Snapshot | None = None  # after the last checked update

    def buttons(self, user: int) -> list[str]:
        rendered = self.latest.get(user)
        return [b.data for row in rendered.buttons for b in row] if rendered else []

    def press(self, user: int, label: str) -> Event:
        """The press of the button whose label contains `label` on the user's latest message."""
        rendered = self.latest[user]
        data = next(b.data for row in rendered.buttons for b in row if label in b.label)
        return Event(user, user, EventKind.BUTTON, payload=data, name=f"U{user}")

    async def send(self, event: Event, *, check: bool = True) -> Outcome:
        turns: list[Turn] = []

        def collect(session: Session, turn: Turn, ev: Event) -> None:
            turns.append(turn)

        db = self.chat.db
        before = (self._state or await db.run(invariants.snapshot)) if check else None
        await self.chat.processor.handle(event, collect)
        self.updates += 1
        outcome = Outcome()
        for turn in turns:
            for reply in turn.replies:
                if any(isinstance(p, Text) and p.key == "error.internal" for p in reply.parts):
                    outcome.internal_error = True
                rendered = Renderer(reply.language or turn.language).html(reply)
                to = reply.chat_id or event.chat_id
                for chunk in rendered.chunks:
                    try:
                        parse_html(chunk)
                    except HTMLParseError as exc:
                        outcome.bad_html.append(f"{exc}: {chunk[:200]!r}")
                outcome.shown.setdefault(to, []).append(plain("\n".join(rendered.chunks)))
                outcome.html.setdefault(to, []).extend(rendered.chunks)
                if rendered.buttons:
                    self.latest[to] = rendered
                    self.seen.setdefault(to, []).extend(b.data for r in rendered.buttons for b in r)
        if before is not None:
            after, written = await db.run(lambda s: invariants.after(s, before.audit_top))
            outcome.broken = invariants.violations(before, after, written)
            ids = before.plans.keys() | after.plans.keys()
            outcome.plans_changed = sum(before.plans.get(i) != after.plans.get(i) for i in ids)
            self._state = after
        return outcome


def answered(event: Event, outcome: Outcome) -> bool:
    """A private message always gets an answer in its own chat."""
    return event.kind == EventKind.GROUP or bool(outcome.shown.get(event.chat_id))
