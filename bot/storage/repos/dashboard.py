"""Queries for the coordinator's view: a school's plans with their history, unreachable people."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import Membership, ParentLink, Plan, PlanEvent, Pupil, User


def plans_of(session: Session, school_ids: frozenset[int]) -> list[tuple[Plan, Pupil]]:
    """Every plan of the schools with its pupil, oldest first."""
    if not school_ids:
        return []
    rows = session.execute(
        select(Plan, Pupil)
        .join(Pupil, Pupil.id == Plan.pupil_id)
        .where(Plan.school_id.in_(school_ids))
        .order_by(Plan.id)
    )
    return [(plan, pupil) for plan, pupil in rows.all()]


def status_history(
    session: Session, plan_ids: list[int]
) -> dict[int, list[tuple[dt.datetime, str]]]:
    """(when, status entered) per plan, oldest first."""
    out: dict[int, list[tuple[dt.datetime, str]]] = defaultdict(list)
    if not plan_ids:
        return out
    rows = session.execute(
        select(PlanEvent.plan_id, PlanEvent.at, PlanEvent.to_status)
        .where(PlanEvent.plan_id.in_(plan_ids))
        .order_by(PlanEvent.id)
    )
    for plan_id, at, status in rows.all():
        if status:
            out[plan_id].append((at, status))
    return out


def unreachable(session: Session, school_ids: frozenset[int]) -> list[tuple[int, str, str, int]]:
    """(user id, name, role, school id) of people of the schools who blocked the bot: active
    staff, and parents of the schools' pupils. Erased people are left out."""
    if not school_ids:
        return []
    staff = session.execute(
        select(User.id, User.name, Membership.role, Membership.school_id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.school_id.in_(school_ids),
            Membership.active.is_(True),
            User.reachable.is_(False),
            User.erased_at.is_(None),
        )
    ).all()
    parents = session.execute(
        select(User.id, User.name, Pupil.school_id)
        .join(ParentLink, ParentLink.user_id == User.id)
        .join(Pupil, Pupil.id == ParentLink.pupil_id)
        .where(
            Pupil.school_id.in_(school_ids),
            User.reachable.is_(False),
            User.erased_at.is_(None),
        )
    ).all()
    found: dict[tuple[int, int], tuple[int, str, str, int]] = {}
    for user_id, name, role, school in staff:
        if school is not None:
            found.setdefault((user_id, school), (user_id, name, role, school))
    for user_id, name, school in parents:
        found.setdefault((user_id, school), (user_id, name, "parent", school))
    return sorted(found.values(), key=lambda row: (row[1].casefold(), row[0]))
