"""The figures in a coordinator's weekly digest, per school they lead."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select, union
from sqlalchemy.orm import Session

from bot.storage.models import (
    Membership,
    ParentLink,
    Plan,
    Pupil,
    School,
    SchoolQuestion,
    User,
)

LEADERS = ("head", "coordinator")
RUNNING = ("approved", "in_progress")


@dataclass(frozen=True, slots=True)
class SchoolFigures:
    school: str
    by_status: dict[str, int] = field(default_factory=dict)
    overdue_reviews: int = 0
    pending_approvals: int = 0
    unreachable: int = 0
    unanswered: int = 0


def led_schools(session: Session, user_id: int) -> list[School]:
    led = select(Membership.school_id).where(
        Membership.user_id == user_id,
        Membership.role.in_(LEADERS),
        Membership.active.is_(True),
    )
    rows = session.execute(select(School).where(School.id.in_(led)).order_by(School.name))
    return list(rows.scalars())


def figures(session: Session, school: School, today: dt.date) -> SchoolFigures:
    counts = Counter(
        dict(
            session.execute(
                select(Plan.status, func.count())
                .where(Plan.school_id == school.id)
                .group_by(Plan.status)
            ).all()
        )
    )
    # The review date lives in the encrypted content, so it is read plan by plan.
    running = session.execute(
        select(Plan.content).where(Plan.school_id == school.id, Plan.status.in_(RUNNING))
    ).scalars()
    overdue = sum(
        1 for c in running if (c or {}).get("review_date") and c["review_date"] < today.isoformat()
    )
    people = union(
        select(Membership.user_id).where(
            Membership.school_id == school.id, Membership.active.is_(True)
        ),
        select(ParentLink.user_id)
        .join(Pupil, Pupil.id == ParentLink.pupil_id)
        .where(Pupil.school_id == school.id),
    ).subquery()
    unreachable = session.execute(
        select(func.count())
        .select_from(User)
        .where(User.id.in_(select(people.c.user_id)), User.reachable.is_(False))
    ).scalar_one()
    unanswered = session.execute(
        select(func.count())
        .select_from(SchoolQuestion)
        .where(SchoolQuestion.school_id == school.id, SchoolQuestion.status == "new")
    ).scalar_one()
    return SchoolFigures(
        school=school.name,
        by_status={k: int(v) for k, v in counts.items()},
        overdue_reviews=overdue,
        pending_approvals=int(counts.get("approval", 0)),
        unreachable=int(unreachable),
        unanswered=int(unanswered),
    )
