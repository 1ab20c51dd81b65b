"""What the rules need to know about some open plans, read in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from bot.domain.semesters import by_code, from_settings
from bot.reminders.rules import PlanFacts
from bot.storage.models import (
    Delivery,
    Membership,
    ParentLink,
    Plan,
    PlanAck,
    PlanEvent,
    School,
)

OPEN = ("draft", "approval", "approved", "in_progress")


def _ids(name: str) -> BindParameter[Any]:
    return bindparam(name, expanding=True)


# Built once: every change to a plan asks these, and building a statement with IN lists costs
# more than running it. Each takes its lists as expanding parameters.
_PLANS = select(Plan).where(Plan.id.in_(_ids("plans")), Plan.status.in_(OPEN))
_LEADERS = select(Membership.user_id, Membership.school_id).where(
    Membership.role.in_(("head", "coordinator")),
    Membership.active.is_(True),
    Membership.school_id.in_(_ids("schools")),
)
_SINCE = (
    select(PlanEvent.plan_id, func.max(PlanEvent.at))
    .where(PlanEvent.plan_id.in_(_ids("plans")))
    .group_by(PlanEvent.plan_id)
)
_DELIVERED = (
    select(Delivery.plan_id, func.max(Delivery.day))
    .where(Delivery.plan_id.in_(_ids("plans")))
    .group_by(Delivery.plan_id)
)
_PARENTS = select(ParentLink.user_id, ParentLink.pupil_id).where(
    ParentLink.pupil_id.in_(_ids("pupils"))
)
_ACKED = select(PlanAck.plan_id, PlanAck.user_id).where(PlanAck.plan_id.in_(_ids("plans")))
_SCHOOLS = select(School).where(School.id.in_(_ids("schools")))


def plan_facts(session: Session, plan_ids: Collection[int]) -> list[PlanFacts]:
    """Facts about those of `plan_ids` that are still open (closed plans remind nobody)."""
    if not plan_ids:
        return []
    plans = list(session.execute(_PLANS, {"plans": list(plan_ids)}).scalars())
    if not plans:
        return []
    ids = [p.id for p in plans]
    school_ids = list({p.school_id for p in plans})
    pupil_ids = list({p.pupil_id for p in plans})
    leaders: dict[int, list[int]] = defaultdict(list)
    for user_id, school_id in session.execute(_LEADERS, {"schools": school_ids}).all():
        if school_id is not None:
            leaders[school_id].append(user_id)
    since = dict(session.execute(_SINCE, {"plans": ids}).all())
    delivered = dict(session.execute(_DELIVERED, {"plans": ids}).all())
    parents: dict[int, list[int]] = defaultdict(list)
    for user_id, pupil_id in session.execute(_PARENTS, {"pupils": pupil_ids}).all():
        parents[pupil_id].append(user_id)
    acked = set(session.execute(_ACKED, {"plans": ids}).all())
    found = session.execute(_SCHOOLS, {"schools": school_ids}).scalars()
    schools = {s.id: s for s in found}
    out = []
    for plan in plans:
        school = schools.get(plan.school_id)
        semester = by_code(
            from_settings((school.settings or {}).get("semesters") if school else None),
            plan.semester,
        )
        review = (plan.content or {}).get("review_date")
        last = delivered.get(plan.id)
        out.append(
            PlanFacts(
                plan_id=plan.id,
                status=plan.status,
                author=plan.author_id,
                leaders=tuple(u for u in leaders.get(plan.school_id, []) if u != plan.author_id),
                changed=plan.updated_at,
                since=since.get(plan.id) or plan.updated_at,
                review_date=dt.date.fromisoformat(review) if review else None,
                semester_end=semester.end if semester else None,
                last_delivery=dt.date.fromisoformat(last) if last else None,
                parents_pending=tuple(
                    u for u in parents.get(plan.pupil_id, []) if (plan.id, u) not in acked
                ),
            )
        )
    return out
