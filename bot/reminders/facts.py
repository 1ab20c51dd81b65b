"""What the rules need to know about some open plans, read in a few queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, func, select
from sqlalchemy.orm import Session

from bot.domain.semesters import by_code, from_settings
from bot.reminders.rules import NEEDS, PlanFacts
from bot.storage.models import (
    Delivery,
    Membership,
    ParentLink,
    Plan,
    PlanAck,
    PlanEvent,
    School,
)
from bot.storage.repos import plans as plans_repo

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
    """Facts about those of `plan_ids` that are still open (closed plans remind nobody).

    Only the facts the rules read for a plan's status are looked up (rules.NEEDS); the others
    are left empty, which those rules never look at.
    """
    if not plan_ids:
        return []
    plans = _open_plans(session, plan_ids)
    if not plans:
        return []

    def needing(fact: str) -> list[Plan]:
        return [p for p in plans if fact in NEEDS[p.status]]

    leaders: dict[int, list[int]] = defaultdict(list)
    if schools_led := _unique(p.school_id for p in needing("leaders")):
        for user_id, school_id in session.execute(_LEADERS, {"schools": schools_led}).all():
            if school_id is not None:
                leaders[school_id].append(user_id)
    since = _by_plan(session, _SINCE, needing("since"))
    delivered = _by_plan(session, _DELIVERED, needing("last_delivery"))
    parents: dict[int, list[int]] = defaultdict(list)
    acked: set[tuple[int, int]] = set()
    schools: dict[int, School] = {}
    if waiting := needing("parents_pending"):
        pupils = _unique(p.pupil_id for p in waiting)
        for user_id, pupil_id in session.execute(_PARENTS, {"pupils": pupils}).all():
            parents[pupil_id].append(user_id)
        acked = {(a, u) for a, u in session.execute(_ACKED, {"plans": [p.id for p in waiting]})}
    if ending := _unique(p.school_id for p in needing("semester_end")):
        schools = {s.id: s for s in session.execute(_SCHOOLS, {"schools": ending}).scalars()}
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


def _open_plans(session: Session, plan_ids: Collection[int]) -> list[Plan]:
    """The open plans among `plan_ids`, by id; those this unit has just read are not read again."""
    held = plans_repo.loaded(session, plan_ids)
    rest = [i for i in plan_ids if i not in held]
    found = [p for p in held.values() if p.status in OPEN]
    if rest:
        found.extend(session.execute(_PLANS, {"plans": rest}).scalars())
    return sorted(found, key=lambda p: p.id)


def _by_plan(session: Session, query: Select[int, Any], plans: list[Plan]) -> dict[int, Any]:
    """plan id → the query's second column, for these plans (no query for none)."""
    if not plans:
        return {}
    return dict(session.execute(query, {"plans": [p.id for p in plans]}).all())


def _unique(ids: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(ids))
