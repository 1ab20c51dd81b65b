"""A tiny harness: the real engine, test flows, a recording services fake, no database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.app.build import build_registry
from bot.core import callbacks
from bot.core.context import Ctx, Cursor, Person
from bot.core.engine import Engine, Turn
from bot.core.events import Event, EventKind, text_event
from bot.core.flows_loader import load_flows
from bot.core.registry import ActionResult
from bot.core.replies import Raw, Reply, Text

FLOWS = Path(__file__).parent / "flows"
TODAY = dt.date(2026, 11, 30)


@dataclass
class RecordingServices:
    calls: list[tuple[str, Any]] = field(default_factory=list)

    def set_language(self, language: str) -> None:
        self.calls.append(("set_language", language))

    def store_school_question(self, school_id: int | None, hint: str, text: str) -> int:
        self.calls.append(("question", (school_id, hint, text)))
        return 1


class Session:
    """One person talking to the engine; keeps the cursor between events like the database does."""

    def __init__(self, language: str = "lv", new: bool = False) -> None:
        registry = build_registry()
        self.remembered: list[dict[str, Any]] = []
        registry.actions["remember"] = self._remember
        registry.conditions["never"] = lambda ctx, data: False
        registry.conditions.setdefault("has_school", lambda ctx, data: False)
        self.engine = Engine(load_flows(FLOWS), registry)
        self.cursor = Cursor()
        self.services = RecordingServices()
        self.language = language
        self.new = new
        self.last: Turn | None = None

    def _remember(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        self.remembered.append(dict(data))
        return ActionResult()

    def ctx(self) -> Ctx:
        now = dt.datetime.combine(TODAY, dt.time(10), tzinfo=dt.UTC)
        person = Person(1, "Anna", is_new=self.new)
        return Ctx(person, self.language, now, TODAY, self.services)

    def send(self, event: Event) -> Turn:
        turn = self.engine.handle(self.cursor, event, self.ctx())
        self.cursor, self.language, self.new = turn.cursor, turn.language, False
        self.last = turn
        return turn

    def text(self, text: str) -> Turn:
        return self.send(text_event(7, 7, text))

    def press(self, value: str, serial: int | None = None) -> Turn:
        data = callbacks.encode(self.cursor.serial if serial is None else serial, value)
        return self.send(Event(7, 7, EventKind.BUTTON, payload=data))

    def goto(self, dialog: str) -> Turn:
        self.cursor = Cursor()
        turn = self.engine.handle(self.cursor, text_event(7, 7, "/menu"), self.ctx())
        self.cursor = turn.cursor
        from bot.core.steps import StepRunner

        run = StepRunner(self.engine.flows, self.engine.registry, self.cursor, self.ctx())
        run.start_dialog(dialog)
        self.last = Turn(run.replies, self.cursor, self.language)
        return self.last


def keys(turn: Turn) -> list[str]:
    """Every text key the turn shows, in order (raw text as 'raw:...')."""
    out: list[str] = []
    for r in turn.replies:
        for p in r.parts:
            out.append(p.key if isinstance(p, Text) else f"raw:{getattr(p, 'value', '')}")
    return out


def buttons(reply: Reply) -> list[str]:
    return [
        b.label.key if isinstance(b.label, Text) else str(b.label)
        for row in reply.buttons
        for b in row
    ]


def raw_params(reply: Reply) -> dict[str, str]:
    out = {}
    for p in reply.parts:
        if isinstance(p, Text):
            out.update({k: v.value for k, v in p.params.items() if isinstance(v, Raw)})
    return out
