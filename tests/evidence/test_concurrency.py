"""Fifty people at once doing mixed work, through two bot processes' worth of database handles
(on SQLite two writers contend for the file lock): no "database is locked" and no apology reach
anyone, everyone is answered, and concurrent plan edits lose nothing."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.orm import Session

from bot.app.processor import Processor
from bot.core.events import Event, EventKind, text_event
from bot.storage.database import Database
from bot.storage.models import Plan
from bot.storage.repos import plans
from tests.evidence import invariants
from tests.evidence.crowd import Crowd, ErrorLog, answered
from tests.evidence.flags import report, scale
from tests.evidence.world import NOW, PEOPLE, World, engine
from tests.people.harness import Chat

NEWCOMERS = list(range(2000, 2000 + 50 - len(PEOPLE)))
QUESTIONS = ("Kā palīdzēt bērnam, kurš bieži kavē?", "Как получить компенсацию за проезд?")


def _crowd(url: str, world: World) -> Crowd:
    """One of two bot processes: its own database handle (and on SQLite its own connection)."""
    db = Database(url)
    chat = Chat(db, Processor(db, engine(), admins=frozenset({1}), clock=lambda: NOW))
    chat.latest = dict(world.latest)
    return Crowd(chat)


async def _person(crowd: Crowd, user: int, rounds: int, failures: list[str]) -> int:
    """A few minutes of someone's work, squeezed: commands, a question, button presses."""
    lang = "ru" if user % 3 == 0 else "lv"
    lines = ["/start", QUESTIONS[user % 2], "/menu", "", "", "/plans", "", "/topics", "", "/help"]
    sent = 0
    for _ in range(rounds):
        for line in lines:
            mine = crowd.buttons(user)
            if line:
                event = text_event(user, user, line, name=f"U{user}", language_code=lang)
            elif mine:
                event = Event(user, user, EventKind.BUTTON, payload=mine[user % len(mine)])
            else:
                continue
            outcome = await crowd.send(event, check=False)
            sent += 1
            shown = " ".join(t for ts in outcome.shown.values() for t in ts)
            if outcome.internal_error or not answered(event, outcome) or "locked" in shown:
                failures.append(f"{user}: {event.kind} {event.text or event.payload} → {shown}")
    return sent


def test_fifty_people_at_once_are_all_answered(world: World) -> None:
    rounds = scale(1, 5)

    async def run(url: str) -> None:
        crowds = [_crowd(url, world), _crowd(url, world)]
        failures: list[str] = []
        try:
            with ErrorLog() as errors:
                everyone = [*PEOPLE, *NEWCOMERS]
                counts = await asyncio.gather(
                    *(_person(crowds[i % 2], u, rounds, failures) for i, u in enumerate(everyone))
                )
            state = await crowds[0].chat.db.run(invariants.snapshot)
            report("50 people at once", people=len(everyone), updates=sum(counts),
                   failures=len(failures), errors=len(errors.records))  # fmt: skip
            assert not failures, failures[:5]
            assert not [r.getMessage() for r in errors.records]
            assert not state.problems
        finally:
            for crowd in crowds:
                await crowd.chat.close()

    with world.clone() as url:
        asyncio.run(run(url))


def test_fifty_concurrent_plan_edits_lose_nothing(world: World) -> None:
    """Read-modify-write against a version, retried on conflict: every edit lands exactly once."""
    writers = 50

    def version(session: Session) -> int:
        plan = session.get(Plan, 2)
        assert plan is not None
        return plan.version

    def attempt(marker: int, seen: int) -> Any:
        def unit(session: Session) -> bool:
            try:
                plans.change(session, 2, seen, lambda c: c.setdefault("notes", []).append(marker))
            except plans.VersionConflict:
                return False
            return True

        return unit

    async def writer(db: Database, marker: int, conflicts: list[int]) -> None:
        # The version is read in one transaction and the edit made in another, as when a
        # person looks at the plan and then presses a button: others may write in between.
        while not await db.run(attempt(marker, await db.run(version))):
            conflicts.append(marker)

    async def run(url: str) -> None:
        dbs = [Database(url), Database(url)]
        try:
            before = await dbs[0].run(version)
            conflicts: list[int] = []
            await asyncio.gather(*(writer(dbs[i % 2], i, conflicts) for i in range(writers)))
            plan = await dbs[0].run(lambda s: s.get(Plan, 2))
            assert plan is not None
            report("concurrent plan edits", writers=writers, conflicts_refused=len(conflicts),
                   version_before=before, version_after=plan.version)  # fmt: skip
            assert sorted(plan.content["notes"]) == list(range(writers))  # none lost, none twice
            assert plan.version == before + writers
        finally:
            for db in dbs:
                await db.close()

    with world.clone() as url:
        asyncio.run(run(url))
