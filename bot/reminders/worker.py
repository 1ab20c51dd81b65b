"""The reminder worker: claim due rows with a lease, send them through the outbox.

Rows are written when plans change (see sync.py), so each run only reads due rows through the
index on (status, due_at). Claims use `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several bot
processes never send one reminder twice; a process that dies after claiming leaves a lease that
runs out, and the reminder goes out later. Quiet hours (20:00–08:00 local) hold reminders back;
ones missed while the bot was down go out once at start, marked late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import exists, func, or_, select, update
from sqlalchemy.orm import Session

from bot.core.callbacks import encode_global
from bot.core.context import Cursor
from bot.core.engine import Turn
from bot.core.events import Event, EventKind
from bot.core.replies import Button, Part, Reply, say
from bot.reminders.digest import digest_parts, schedule_digests
from bot.reminders.facts import OPEN
from bot.reminders.kinds import DIGEST, kind_of, parse_off
from bot.reminders.rules import Settings, after_quiet, quiet
from bot.reminders.sync import sync_plans
from bot.storage.database import Database
from bot.storage.models import Plan, Reminder, User
from bot.storage.repos import reminder_prefs

LEASE = dt.timedelta(minutes=5)
LATE = dt.timedelta(hours=1)
Deliver = Callable[[Session, Turn, Event], None]


@dataclass(frozen=True, slots=True)
class Outcome:
    created: int
    sent: int
    held: int  # due, but quiet hours


def backfill(session: Session, now: dt.datetime, tz: ZoneInfo, settings: Settings) -> int:
    """Rows for open plans that have none (made before reminders existed, or by a bulk load)."""
    bare = select(Plan.id).where(
        Plan.status.in_(OPEN), ~exists().where(Reminder.plan_id == Plan.id)
    )
    return sync_plans(session, session.execute(bare).scalars(), now, tz, settings, past=True)


def claim(session: Session, now: dt.datetime, limit: int = 100) -> list[int]:
    """Lease up to `limit` due reminders to this process (the due scan: index on status, due_at)."""
    ids = list(
        session.execute(
            select(Reminder.id)
            .where(
                Reminder.status == "pending",
                Reminder.due_at <= now,
                or_(Reminder.lease_until.is_(None), Reminder.lease_until < now),
            )
            .order_by(Reminder.due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        ).scalars()
    )
    if ids:
        lease = update(Reminder).where(Reminder.id.in_(ids)).values(lease_until=now + LEASE)
        session.execute(lease)
    return ids


def send(
    session: Session, reminder_id: int, now: dt.datetime, tz: ZoneInfo, deliver: Deliver
) -> bool:
    row = session.get(Reminder, reminder_id, with_for_update=True)
    if row is None or row.status != "pending":
        return False
    user = session.get(User, row.user_id)
    row.sent_at, row.lease_until = now, None
    if kind_of(row.rule) in parse_off(reminder_prefs.get(session, row.user_id).off):
        row.status = "off"  # the person turned this kind off
        return False
    row.status = "sent"
    expected = after_quiet(row.due_at, tz) if quiet(row.due_at, tz) else row.due_at
    row.late = now - expected > LATE
    if user is None or not user.reachable or user.telegram_id <= 0:
        return False
    parts: list[Part]
    buttons: tuple[tuple[Button, ...], ...]
    if row.rule == DIGEST:
        parts, buttons = list(digest_parts(session, row.user_id, now.astimezone(tz).date())), ()
    else:
        parts = [say(f"reminder.{row.rule}", number=row.plan_id or 0)]
        buttons = _buttons(row)
    if row.late:
        parts.insert(0, say("reminder.late"))
    reply = Reply(tuple(parts), buttons, chat_id=user.telegram_id, language=user.language)
    turn = Turn([reply], Cursor(), user.language or "lv")
    deliver(session, turn, Event(user.telegram_id, user.telegram_id, EventKind.TEXT))
    return True


def _buttons(row: Reminder) -> tuple[tuple[Button, ...], ...]:
    return (
        (Button(say("plan.open"), encode_global("o", str(row.plan_id))),),
        (
            Button(say("reminder.done"), encode_global("D", str(row.id))),
            Button(say("reminder.tomorrow"), encode_global("T", str(row.id))),
        ),
    )


async def run_once(
    db: Database,
    now: dt.datetime,
    tz: ZoneInfo,
    deliver: Deliver,
    settings: Settings | None = None,
    *,
    start: bool = False,
) -> Outcome:
    """Send what is due at `now`. At `start`, first write rows for plans that have none."""
    rules = settings or Settings()
    created = 0
    if start:
        created += await db.run(lambda s: backfill(s, now, tz, rules))
    created += await db.run(lambda s: schedule_digests(s, now, tz, rules))
    if quiet(now, tz, rules):
        held = await db.run(lambda s: _count_due(s, now))
        return Outcome(created, 0, held)
    sent = 0
    while ids := await db.run(lambda s: claim(s, now)):
        for reminder_id in ids:
            if await db.run(lambda s, r=reminder_id: send(s, r, now, tz, deliver)):  # type: ignore[misc]
                sent += 1
    return Outcome(created, sent, 0)


def _count_due(session: Session, now: dt.datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(Reminder)
        .where(Reminder.status == "pending", Reminder.due_at <= now)
    )
    return int(session.execute(stmt).scalar_one())
