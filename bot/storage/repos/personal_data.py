"""A person's own data: gathered for /mydata, erased for /forget."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from bot.storage.models import (
    AuditEntry,
    Conversation,
    Membership,
    ParentLink,
    Pupil,
    RedeemFailure,
    School,
    SchoolQuestion,
    User,
)
from bot.storage.types import utcnow


def gather(session: Session, user_id: int) -> dict[str, Any]:
    """Everything stored about the person, as plain JSON-ready data."""
    user = session.get_one(User, user_id)
    roles = session.execute(
        select(Membership, School.name)
        .outerjoin(School, School.id == Membership.school_id)
        .where(Membership.user_id == user_id)
    ).all()
    children = session.execute(
        select(Pupil)
        .join(ParentLink, ParentLink.pupil_id == Pupil.id)
        .where(ParentLink.user_id == user_id)
    ).scalars()
    asked = session.execute(
        select(SchoolQuestion).where(SchoolQuestion.user_id == user_id)
    ).scalars()
    actions = session.execute(
        select(AuditEntry).where(AuditEntry.actor_id == user_id).order_by(AuditEntry.id)
    ).scalars()
    cursor = session.get(Conversation, user_id)
    return {
        "user": {
            "telegram_id": user.telegram_id,
            "name": user.name,
            "language": user.language,
            "reachable": user.reachable,
            "created_at": user.created_at.isoformat(),
        },
        "roles": [
            {"role": m.role, "school": name, "active": m.active, "since": m.created_at.isoformat()}
            for m, name in roles
        ],
        "children": [{"name": p.name, "class": p.class_name} for p in children],
        "questions_to_school": [
            {"text": q.text, "asked_at": q.created_at.isoformat(), "status": q.status}
            for q in asked
        ],
        "conversation": {"dialog": cursor.dialog, "step": cursor.step} if cursor else None,
        "actions": [{"action": a.action, "at": a.at.isoformat()} for a in actions],
    }


def erase(session: Session, user_id: int) -> None:
    """Remove the person's personal data. Plans they wrote stay with the school."""
    user = session.get_one(User, user_id)
    telegram_id = user.telegram_id
    session.execute(delete(ParentLink).where(ParentLink.user_id == user_id))
    session.execute(delete(SchoolQuestion).where(SchoolQuestion.user_id == user_id))
    session.execute(delete(Conversation).where(Conversation.user_id == user_id))
    session.execute(delete(RedeemFailure).where(RedeemFailure.telegram_id == telegram_id))
    session.execute(update(Membership).where(Membership.user_id == user_id).values(active=False))
    # The row stays so plans can say "former staff member"; nothing identifies the person.
    user.name, user.language, user.reachable = "", None, False
    user.telegram_id = -user_id
    user.erased_at = utcnow()
