"""The reminder worker: create what is due, claim it with a lease, send it through the outbox.

Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several bot processes never send one reminder
twice; a process that dies after claiming leaves a lease that runs out, and the reminder goes out
later. Quiet hours (20:00–08:00 local) hold reminders back; ones missed while the bot was down
go out once at start, marked late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.core.callbacks import encode_global
from bot.core.context import Cursor
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.core.replies import Button, Reply, say
from bot.reminders.facts import plan_facts
from bot.reminders.rules import Settings, after_quiet, quiet, reminders_for
from bot.storage.database import Database
from bot.storage.models import Reminder, User

LEASE = dt.timedelta(minutes=5)
LATE = dt.timedelta(hours=1)
Deliver = Callable[[Session, Turn, Event], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    created: int
    sent: int
    held: int  # due, but quiet hours


def schedule(session: Session, now: dt.datetime, tz: ZoneInfo, settings: Settings) -> int:
    """Write a row for each reminder that is due by `now` (each key once, ever)."""
    rows = [
        {
            "key": d.key,
            "rule": d.rule,
            "user_id": d.user_id,
            "plan_id": d.plan_id,
            "due_at": d.due_at,
            "status": "pending",
            "late": False,
            "created_at": now,
        }
        for f in plan_facts(session)
        for d in reminders_for(f, tz, settings)
        if d.due_at <= now
    ]
    if not rows:
        return 0
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = session.execute(
        insert(Reminder).values(rows).on_conflict_do_nothing(index_elements=["key"])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def claim(session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    rows = (
        session.execute(
            select(Reminder)
            .where(
                Reminder.status == "pending",
                Reminder.due_at <= now,
                or_(Reminder.lease_until.is_(None), Reminder.lease_until < now),
            )
            .order_by(Reminder.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        .scalars()
        .all()
    )
    for row in rows:
        row.lease_until = now + LEASE
    return [r.id for r in rows]


def send(
    session: Session, reminder_id: int, now: dt.datetime, tz: ZoneInfo, deliver: Deliver
) -> bool:
    row = session.get(Reminder, reminder_id, with_for_update=True)
    if row is None or row.status != "pending":
        return False
    user = session.get(User, row.user_id)
    row.status, row.sent_at, row.lease_until = "sent", now, None
    expected = after_quiet(row.due_at, tz) if quiet(row.due_at, tz) else row.due_at
    row.late = now - expected > LATE
    if user is None or not user.reachable or user.telegram_id <= 0:
        return False
    buttons = (
        (Button(say("plan.open"), encode_global("o", str(row.plan_id))),),
        (
            Button(say("reminder.done"), encode_global("D", str(row.id))),
            Button(say("reminder.tomorrow"), encode_global("T", str(row.id))),
        ),
    )
    parts = [say(f"reminder.{row.rule}", number=row.plan_id or 0)]
    if row.late:
        parts.insert(0, say("reminder.late"))
    reply = Reply(tuple(parts), buttons, chat_id=user.telegram_id, language=user.language)
    turn = Turn([reply], Cursor(), user.language or "lv")
    deliver(session, turn, Event(user.telegram_id, user.telegram_id, EventKind.TEXT))
    return True


async def run_once(
    db: Database, now: dt.datetime, tz: ZoneInfo, deliver: Deliver, settings: Settings | None = None
) -> Outcome:
    rules = settings or Settings()
    created = await db.run(lambda s: schedule(s, now, tz, rules))
    if quiet(now, tz, rules):
        held = await db.run(lambda s: _count_due(s, now))
        return Outcome(created, 0, held)
    ids = await db.run(lambda s: claim(s, now))
    sent = 0
    for reminder_id in ids:
        if await db.run(lambda s, r=reminder_id: send(s, r, now, tz, deliver)):  # type: ignore[misc]
            sent += 1
    return Outcome(created, sent, 0)


def _count_due(session: Session, now: dt.datetime) -> int:
    rows = session.execute(
        select(Reminder.id).where(Reminder.status == "pending", Reminder.due_at <= now)
    ).all()
    return len(rows)
