"""Plans with their version rule: a change made against an older version is refused."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from bot.storage.models import Delivery, Plan, PlanAck, PlanEvent, Pupil, User
from bot.storage.prepared import PreparedQuery, nothing_to_flush

# Does the person author any plan? Asked before the full list for people with no school role and
# no child (guests, parents not yet linked): most /plans from them find nothing.
_AUTHORED = PreparedQuery(select(Plan.id).where(Plan.author_id == bindparam("uid")).limit(1))


class VersionConflict(Exception):
    """The plan changed since the person last saw it."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"plan {plan.id} is at version {plan.version}")
        self.plan = plan


def create(session: Session, school_id: int, pupil_id: int, author_id: int, semester: str) -> Plan:
    plan = Plan(
        school_id=school_id,
        pupil_id=pupil_id,
        author_id=author_id,
        semester=semester,
        status="draft",
        content={},
    )
    session.add(plan)
    session.flush()
    add_event(session, plan.id, author_id, "create", "", "draft")
    return plan


def get(session: Session, plan_id: int) -> Plan | None:
    return session.get(Plan, plan_id)


def change(
    session: Session, plan_id: int, seen_version: int, edit: Callable[[dict[str, Any]], None]
) -> Plan:
    """Apply an edit to the content if nobody changed the plan since `seen_version`."""
    plan = session.get(Plan, plan_id, with_for_update=True)
    if plan is None:
        raise LookupError(plan_id)
    if plan.version != seen_version:
        raise VersionConflict(plan)
    content = copy.deepcopy(plan.content or {})
    edit(content)
    plan.content = content
    session.flush()  # the version column moves on here
    return plan


def set_status(
    session: Session, plan: Plan, status: str, actor_id: int, move: str, comment: str = ""
) -> None:
    before = plan.status
    plan.status = status
    session.flush()
    add_event(session, plan.id, actor_id, move, before, status, comment)


def add_event(
    session: Session,
    plan_id: int,
    actor_id: int | None,
    move: str,
    before: str,
    after: str,
    comment: str = "",
) -> None:
    session.add(
        PlanEvent(
            plan_id=plan_id,
            actor_id=actor_id,
            move=move,
            from_status=before,
            to_status=after,
            comment=comment,
        )
    )


def events(session: Session, plan_id: int) -> list[tuple[PlanEvent, str | None]]:
    rows = session.execute(
        select(PlanEvent, User.name)
        .outerjoin(User, User.id == PlanEvent.actor_id)
        .where(PlanEvent.plan_id == plan_id)
        .order_by(PlanEvent.id)
    )
    return [(e, n) for e, n in rows.all()]


def visible(
    session: Session,
    user_id: int,
    schools: frozenset[int],
    children: frozenset[int],
    limit: int = 30,
) -> list[tuple[Plan, Pupil]]:
    """Plans a person may list: their own, their schools' (for leaders), their children's."""
    if not (schools or children) and nothing_to_flush(session):
        authored = _AUTHORED.all(session, {"uid": user_id})
        if not authored:
            return []
    conditions = [Plan.author_id == user_id]
    if schools:
        conditions.append(Plan.school_id.in_(schools))
    if children:
        conditions.append(Plan.pupil_id.in_(children))
    rows = session.execute(
        select(Plan, Pupil)
        .join(Pupil, Pupil.id == Plan.pupil_id)
        .where(or_(*conditions))
        .order_by(Plan.updated_at.desc())
        .limit(limit)
    )
    return [(p, pupil) for p, pupil in rows.all()]


def add_delivery(
    session: Session,
    plan_id: int,
    measure: str,
    day: str,
    amount: float,
    by_whom: str,
    confirmed: bool,
    created_by: int,
) -> Delivery:
    row = Delivery(
        plan_id=plan_id,
        measure=measure,
        day=day,
        amount=amount,
        by_whom=by_whom,
        confirmed=confirmed,
        created_by=created_by,
    )
    session.add(row)
    session.flush()
    return row


def deliveries(session: Session, plan_id: int) -> list[Delivery]:
    rows = session.execute(
        select(Delivery).where(Delivery.plan_id == plan_id).order_by(Delivery.day, Delivery.id)
    )
    return list(rows.scalars())


def acknowledge(session: Session, plan_id: int, user_id: int, version: int) -> bool:
    exists = session.execute(
        select(PlanAck).where(PlanAck.plan_id == plan_id, PlanAck.user_id == user_id)
    ).scalar_one_or_none()
    if exists is not None:
        exists.version = version
        return False
    session.add(PlanAck(plan_id=plan_id, user_id=user_id, version=version))
    return True


def acks(session: Session, plan_id: int) -> int:
    stmt = select(func.count()).select_from(PlanAck).where(PlanAck.plan_id == plan_id)
    return int(session.execute(stmt).scalar_one())
