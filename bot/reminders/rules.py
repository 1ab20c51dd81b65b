"""Which reminders a plan's state calls for, and when. Pure: facts and a clock in, reminders out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Settings:
    """Each rule's timing (days); reminders go out at `hour` local time, outside quiet hours."""

    draft_days: int = 3
    approval_days: int = 3
    review_before: tuple[int, ...] = (7, 1)
    review_overdue_days: int = 1
    evaluation_before: int = 14
    no_delivery_days: int = 14
    ack_days: int = 7
    hour: int = 9
    digest_hour: int = 9  # the coordinators' weekly digest, on each one's chosen weekday
    quiet_from: int = 20
    quiet_to: int = 8


@dataclass(frozen=True, slots=True)
class PlanFacts:
    plan_id: int
    status: str
    author: int | None
    leaders: tuple[int, ...]  # the school's head and coordinator (user ids)
    changed: dt.datetime  # last change
    since: dt.datetime  # when the plan entered its status
    review_date: dt.date | None
    semester_end: dt.date | None
    last_delivery: dt.date | None
    parents_pending: tuple[int, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class Due:
    rule: str
    user_id: int
    plan_id: int
    occurrence: str
    due_at: dt.datetime

    @property
    def key(self) -> str:
        return f"{self.rule}:{self.user_id}:{self.plan_id}:{self.occurrence}"


RUNNING = ("approved", "in_progress")

# The facts `reminders_for` reads for a plan in each status, beyond its status, author, last
# change and review date: facts.py asks the database only for these (a draft needs none of them,
# and drafts are what changes most). tests/test_reminders.py holds the two in step.
_RUNNING_NEEDS = frozenset({"leaders", "since", "semester_end", "parents_pending"})
NEEDS: dict[str, frozenset[str]] = {
    "draft": frozenset(),
    "approval": frozenset({"leaders", "since"}),
    "approved": _RUNNING_NEEDS,
    "in_progress": _RUNNING_NEEDS | {"last_delivery"},
}


def at_hour(day: dt.date, hour: int, tz: ZoneInfo) -> dt.datetime:
    """`hour` o'clock local time on `day`, as an aware UTC time (right across DST changes)."""
    return dt.datetime.combine(day, dt.time(hour), tzinfo=tz).astimezone(dt.UTC)


def reminders_for(f: PlanFacts, tz: ZoneInfo, s: Settings = Settings()) -> list[Due]:
    out: list[Due] = []

    def add(rule: str, users: tuple[int | None, ...], occurrence: str, day: dt.date) -> None:
        for user in users:
            if user is not None:
                out.append(Due(rule, user, f.plan_id, occurrence, at_hour(day, s.hour, tz)))

    changed = f.changed.astimezone(tz).date()
    since = f.since.astimezone(tz).date()
    if f.status == "draft":
        add(
            "draft_stale",
            (f.author,),
            changed.isoformat(),
            changed + dt.timedelta(days=s.draft_days),
        )
    if f.status == "approval":
        add(
            "approval_waiting",
            f.leaders,
            since.isoformat(),
            since + dt.timedelta(days=s.approval_days),
        )
    if f.status in RUNNING and f.review_date is not None:
        for days in s.review_before:
            add(
                f"review_in_{days}",
                (f.author,),
                f.review_date.isoformat(),
                f.review_date - dt.timedelta(days=days),
            )
        overdue = f.review_date + dt.timedelta(days=s.review_overdue_days)
        add("review_overdue", (f.author, *f.leaders), f.review_date.isoformat(), overdue)
    if f.status in RUNNING and f.semester_end is not None:
        add(
            "evaluation_due",
            (f.author,),
            f.semester_end.isoformat(),
            f.semester_end - dt.timedelta(days=s.evaluation_before),
        )
    if f.status == "in_progress":
        last = f.last_delivery or since
        add(
            "no_delivery",
            (f.author,),
            last.isoformat(),
            last + dt.timedelta(days=s.no_delivery_days),
        )
    if f.status in RUNNING:
        add(
            "ack_pending",
            f.parents_pending,
            since.isoformat(),
            since + dt.timedelta(days=s.ack_days),
        )
    return out


def quiet(moment: dt.datetime, tz: ZoneInfo, s: Settings = Settings()) -> bool:
    hour = moment.astimezone(tz).hour
    return hour >= s.quiet_from or hour < s.quiet_to


def after_quiet(moment: dt.datetime, tz: ZoneInfo, s: Settings = Settings()) -> dt.datetime:
    """The end of the quiet hours that `moment` falls in."""
    local = moment.astimezone(tz)
    day = local.date() if local.hour < s.quiet_to else local.date() + dt.timedelta(days=1)
    return at_hour(day, s.quiet_to, tz)
