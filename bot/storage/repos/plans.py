"""Plans with their version rule: a change made against an older version is refused."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import bindparam, event, func, inspect, or_, select
from sqlalchemy.orm import Session, make_transient_to_detached
from sqlalchemy.orm.util import identity_key

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
    _hold(session, plan)
    add_event(session, plan.id, author_id, "create", "", "draft")
    return plan


# session.info key: the plans this transaction has loaded, held so they stay loaded.
_HELD = "plans.held"


def open_for(session: Session, pupil_id: int, semester: str) -> Plan | None:
    """The pupil's plan for this semester that is not closed, if there is one (the newest)."""
    query = (
        select(Plan)
        .where(Plan.pupil_id == pupil_id, Plan.semester == semester, Plan.status != "closed")
        .order_by(Plan.id.desc())
        .limit(1)
    )
    return session.execute(query).scalars().first()


def get(session: Session, plan_id: int) -> Plan | None:
    if identity_key(Plan, plan_id) in session.identity_map or not nothing_to_flush(session):
        plan = session.get(Plan, plan_id)
    else:
        plan = _load(session, plan_id)
    if plan is not None:
        _hold(session, plan)
    return plan


_PLAN = PreparedQuery(select(*Plan.__table__.columns).where(Plan.id == bindparam("id")))


def _load(session: Session, plan_id: int) -> Plan | None:
    """The plan as session.get loads it, by a prepared query: a wizard step reads its plan on
    every press, and the ORM's loading machinery cost several times the query (bench/load.py)."""
    rows = _PLAN.all(session, {"id": plan_id})
    if not rows:
        return None
    plan = Plan(**rows[0]._asdict())
    make_transient_to_detached(plan)  # as loaded: every column's value is the stored one
    session.add(plan)
    return plan


def _hold(session: Session, plan: Plan) -> None:
    # The identity map holds objects weakly: a plan the caller has dropped would be read and
    # decrypted again by the next step of the same unit (a wizard step asks several times).
    session.info.setdefault(_HELD, {})[plan.id] = plan


def change(
    session: Session, plan_id: int, seen_version: int, edit: Callable[[dict[str, Any]], None]
) -> Plan:
    """Apply an edit to the content if nobody changed the plan since `seen_version`."""
    plan = loaded(session, (plan_id,)).get(plan_id)
    if plan is None:
        plan = session.get(Plan, plan_id, with_for_update=True)
    if plan is None:
        raise LookupError(plan_id)
    _hold(session, plan)
    if plan.version != seen_version:
        raise VersionConflict(plan)
    content = copy.deepcopy(plan.content or {})
    edit(content)
    plan.content = content
    session.flush()  # the version column moves on here
    return plan


def loaded(session: Session, plan_ids: Iterable[int]) -> dict[int, Plan]:
    """Those of the plans this transaction has read already and that a re-read would not change.

    Only on SQLite: a transaction reads one snapshot there (a unit's begins with the write lock),
    so a plan it loaded and flushed is what a SELECT would return; SQLite has no FOR UPDATE, so
    the re-read only decrypted the content again. On PostgreSQL other transactions' commits show
    between statements, and a change re-reads the plan FOR UPDATE to lock it: nothing is reused.
    """
    if session.get_bind().dialect.name != "sqlite":
        return {}
    held: dict[int, Plan] = session.info.get(_HELD, {})
    out = {}
    for plan_id in plan_ids:
        plan = held.get(plan_id)
        if plan is not None and _as_stored(plan):
            out[plan_id] = plan
    return out


def _as_stored(plan: Plan) -> bool:
    # Unflushed edits or expired columns: a re-read would flush or load first.
    state = inspect(plan)
    return state.persistent and not (state.modified or state.expired_attributes)


@event.listens_for(Session, "after_transaction_end")
def _forget_held(session: Session, _transaction: Any) -> None:
    # Held plans are only current within the transaction that read them.
    session.info.pop(_HELD, None)


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
