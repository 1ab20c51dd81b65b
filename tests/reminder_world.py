"""A small school for reminder tests: people, plans with set dates, and a worker on a fake clock."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.channels.telegram_delivery import deliver_to_outbox
from bot.reminders import worker
from bot.reminders.sync import KeepRemindersInStep
from bot.storage.database import Database
from bot.storage.models import Membership, ParentLink, Plan, PlanEvent, User
from bot.storage.repos import schools

RIGA = ZoneInfo("Europe/Riga")
T = TypeVar("T")


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A Riga wall-clock time as aware UTC."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=RIGA).astimezone(dt.UTC)


def open_db(url: str, now: dt.datetime | None = None) -> Database:
    """A database whose units keep reminders in step, as the running bot's do."""
    db = Database(url)
    clock = (lambda: now) if now is not None else None
    db.before_commit.append(KeepRemindersInStep(RIGA, clock=clock))
    return db


def unit(url: str, fn: Callable[[Session], T], now: dt.datetime | None = None) -> T:
    async def go() -> T:
        db = open_db(url, now)
        try:
            return await db.run(fn)
        finally:
            await db.close()

    return asyncio.run(go())


def rows(url: str, query: Any) -> list[Any]:
    return unit(url, lambda s: [tuple(r) for r in s.execute(query).all()])


def run(url: str, now: dt.datetime, *, start: bool = False) -> worker.Outcome:
    async def go() -> worker.Outcome:
        db = Database(url)
        try:
            return await worker.run_once(db, now, RIGA, deliver_to_outbox, start=start)
        finally:
            await db.close()

    return asyncio.run(go())


def person(s: Session, telegram_id: int, name: str, lang: str = "lv") -> User:
    user = User(telegram_id=telegram_id, name=name, language=lang)
    s.add(user)
    s.flush()
    return user


def school_with_staff(s: Session, name: str = "Bauskas skola") -> dict[str, Any]:
    """A school with a teacher (lv), a coordinator (ru) and a parent (lv) of one pupil."""
    school, _ = schools.find_or_create_school(s, name)
    teacher = person(s, 601, "Anna")
    coordinator = person(s, 602, "Olga", "ru")
    parent = person(s, 603, "Ilze")
    s.add(Membership(user_id=teacher.id, school_id=school.id, role="teacher"))
    s.add(Membership(user_id=coordinator.id, school_id=school.id, role="coordinator"))
    s.add(Membership(user_id=parent.id, school_id=school.id, role="parent"))
    pupil = schools.add_pupil(s, school.id, "Ieva", "5.a", teacher.id)
    s.add(ParentLink(user_id=parent.id, pupil_id=pupil.id))
    s.flush()
    return {
        "school": school.id,
        "teacher": teacher.id,
        "coordinator": coordinator.id,
        "parent": parent.id,
        "pupil": pupil.id,
    }


def plan(
    s: Session,
    w: dict[str, Any],
    status: str,
    *,
    since: dt.datetime,
    semester: str = "2026/27-2",
    **content: str,
) -> int:
    """A plan that entered `status` at `since` (its last change too)."""
    row = Plan(
        school_id=w["school"],
        pupil_id=w["pupil"],
        author_id=w["teacher"],
        status=status,
        semester=semester,
        content=dict(content),
        created_at=since,
        updated_at=since,
    )
    s.add(row)
    s.flush()
    s.add(PlanEvent(plan_id=row.id, actor_id=w["teacher"], move="x", to_status=status, at=since))
    return row.id
