"""Keep a plan's pending reminders in step with the plan, in the transaction that changed it.

Each change recomputes the changed plans' reminders from the rules and writes a row for each one
still to come (the key — rule, person, plan, occurrence — makes each fire once, ever). Pending rows
whose reminder no longer applies (the draft was edited, the review date moved, the plan closed)
are cancelled. The worker then only reads due rows; it never scans the plans.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.reminders.facts import OPEN, plan_facts
from bot.reminders.rules import Due, Settings, reminders_for
from bot.storage.models import Plan, Reminder
from bot.storage.touched import Touched

CHUNK = 500  # plans per round trip when many change at once (a backfill)
SNOOZE = ":+"  # "remind me tomorrow" rows carry the original key plus this and a stamp

Clock = Callable[[], dt.datetime]

# Built once, as in facts.py: each change to a plan asks it.
_EXISTING = select(Reminder.id, Reminder.key, Reminder.status, Reminder.due_at).where(
    Reminder.plan_id.in_(bindparam("plans", expanding=True))
)


def sync_plans(
    session: Session,
    plan_ids: Iterable[int],
    now: dt.datetime,
    tz: ZoneInfo,
    settings: Settings,
    *,
    past: bool = False,
) -> int:
    """Bring these plans' reminders in line with their state; returns how many rows were added.

    Reminders already due are written only with `past` (a backfill of plans that never had
    rows); after a change, one that is already past belongs to the old state of the plan.
    """
    ids = sorted(set(plan_ids))
    added = 0
    for start in range(0, len(ids), CHUNK):
        added += _sync_chunk(session, ids[start : start + CHUNK], now, tz, settings, past)
    return added


def _sync_chunk(
    session: Session,
    ids: list[int],
    now: dt.datetime,
    tz: ZoneInfo,
    settings: Settings,
    past: bool,
) -> int:
    wanted = {d.key: d for f in plan_facts(session, ids) for d in reminders_for(f, tz, settings)}
    existing = session.execute(_EXISTING, {"plans": ids}).all()
    known = {row.key for row in existing}
    stale = [
        row.id
        for row in existing
        if row.status == "pending" and row.key.split(SNOOZE)[0] not in wanted
    ]
    if stale:
        session.execute(update(Reminder).where(Reminder.id.in_(stale)).values(status="cancelled"))
    for row in existing:
        due = wanted.get(row.key)
        if row.status == "pending" and due is not None and due.due_at != row.due_at:
            session.execute(update(Reminder).where(Reminder.id == row.id).values(due_at=due.due_at))
    fresh = [d for k, d in wanted.items() if k not in known and (past or d.due_at > now)]
    return insert_new(session, fresh, now)


def insert_new(session: Session, dues: Collection[Due], now: dt.datetime) -> int:
    """Insert rows for these reminders; a key that exists already is left as it is."""
    if not dues:
        return 0
    rows = [
        {
            "key": d.key,
            "rule": d.rule,
            "user_id": d.user_id,
            "plan_id": d.plan_id or None,
            "due_at": d.due_at,
            "status": "pending",
            "late": False,
            "created_at": now,
        }
        for d in dues
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = session.execute(
        insert(Reminder).values(rows).on_conflict_do_nothing(index_elements=["key"])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def open_plans_of(session: Session, changed: Touched) -> set[int]:
    """The plans a unit of work changed, with those whose school leaders or parents changed."""
    ids = set(changed.plans)
    if changed.schools:
        ids.update(
            session.execute(
                select(Plan.id).where(Plan.school_id.in_(changed.schools), Plan.status.in_(OPEN))
            ).scalars()
        )
    if changed.pupils:
        ids.update(
            session.execute(
                select(Plan.id).where(Plan.pupil_id.in_(changed.pupils), Plan.status.in_(OPEN))
            ).scalars()
        )
    return ids


class KeepRemindersInStep:
    """A `Database.before_commit` hook: the changed plans' reminders, rewritten before commit."""

    def __init__(self, tz: ZoneInfo, settings: Settings | None = None, clock: Clock | None = None):
        self.tz = tz
        self.settings = settings or Settings()
        self.clock: Clock = clock or (lambda: dt.datetime.now(dt.UTC))

    def __call__(self, session: Session, changed: Touched) -> None:
        ids = open_plans_of(session, changed)
        if ids:
            sync_plans(session, ids, self.clock(), self.tz, self.settings)
