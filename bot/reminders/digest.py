"""The weekly digest for school heads and coordinators: once a week each, on their chosen day.

The row is written when the week's digest time has come (09:00 local on the person's weekday,
Monday unless they chose another); its key names the ISO week, so each person gets one a week.
The figures are read when it is sent, so they are current.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.replies import Lines, Part, Raw, say
from bot.reminders.figures import LEADERS, SchoolFigures, figures, led_schools
from bot.reminders.kinds import DIGEST, parse_off
from bot.reminders.rules import Due, Settings, at_hour
from bot.reminders.sync import insert_new
from bot.storage.models import Membership
from bot.storage.repos import reminder_prefs

STATUS_ORDER = ("draft", "approval", "approved", "in_progress", "revision", "suspended", "closed")


def digest_due(week_day: dt.date, weekday: int, tz: ZoneInfo, s: Settings) -> dt.datetime:
    """This week's digest moment for someone who chose `weekday` (0 = Monday)."""
    monday = week_day - dt.timedelta(days=week_day.weekday())
    return at_hour(monday + dt.timedelta(days=weekday), s.digest_hour, tz)


def schedule_digests(session: Session, now: dt.datetime, tz: ZoneInfo, s: Settings) -> int:
    """Write this week's digest row for each leader whose digest time has come."""
    leaders = dict(
        session.execute(
            select(Membership.user_id, func.min(Membership.created_at))
            .where(
                Membership.role.in_(LEADERS),
                Membership.active.is_(True),
                Membership.school_id.is_not(None),
            )
            .group_by(Membership.user_id)
        ).all()
    )
    if not leaders:
        return 0
    prefs = reminder_prefs.many(session, list(leaders))
    today = now.astimezone(tz).date()
    year, week, _ = today.isocalendar()
    dues = []
    for user_id, since in leaders.items():
        chosen = prefs.get(user_id, reminder_prefs.Prefs())
        if DIGEST in parse_off(chosen.off):
            continue
        due = digest_due(today, chosen.digest_day, tz, s)
        if due <= now and since <= due:  # someone who joined after it has the next one
            dues.append(Due(DIGEST, user_id, 0, f"{year}-W{week:02d}", due))
    return insert_new(session, dues, now)


def digest_parts(session: Session, user_id: int, today: dt.date) -> tuple[Part, ...]:
    parts: list[Part] = [say("digest.title")]
    schools = [figures(session, school, today) for school in led_schools(session, user_id)]
    for f in schools:
        parts.append(say("digest.school", school=Raw(f.school)))
        parts.extend(_blocks(f))
    if not schools:
        parts.append(say("digest.no_schools"))
    return tuple(parts)


def _blocks(f: SchoolFigures) -> list[Part]:
    """Two short lists, one figure per line: plans by status, then what needs attention."""
    statuses = [
        say("digest.status", status=say(f"plan.status.{k}"), n=f.by_status[k])
        for k in STATUS_ORDER
        if f.by_status.get(k)
    ]
    return [
        Lines((say("digest.by_status"), *(statuses or [say("digest.no_plans")]))),
        Lines(
            (
                say("digest.overdue_reviews", f.overdue_reviews),
                say("digest.pending_approvals", f.pending_approvals),
                say("digest.unreachable", f.unreachable),
                say("digest.unanswered", f.unanswered),
            )
        ),
    ]
