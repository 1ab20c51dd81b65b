"""When someone blocks the bot, their school's coordinators are told, once, by name and role."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.replies import Raw, Reply, say
from bot.storage.models import Membership, ParentLink, Pupil, User
from bot.storage.repos import people

TOLD = ("coordinator",)
FALLBACK = ("head",)  # a school without a coordinator: its head is told instead


def unreachable_notices(session: Session, telegram_id: int) -> list[Reply]:
    """Notices for the coordinators of the person's schools; none if they were marked already."""
    user = people.find_user(session, telegram_id)
    if user is None or not user.reachable:
        return []  # unknown, or already told about: once per person, not per failed message
    roles: dict[int, str] = {}
    for m in people.roles_of(session, user.id):
        if m.school_id is not None:
            roles.setdefault(m.school_id, m.role)
    for school_id in session.execute(
        select(Pupil.school_id)
        .join(ParentLink, ParentLink.pupil_id == Pupil.id)
        .where(ParentLink.user_id == user.id)
    ).scalars():
        roles.setdefault(school_id, "parent")
    notices: list[Reply] = []
    told: set[int] = set()
    for school_id, role in sorted(roles.items()):
        for leader in _leaders(session, school_id, user.id):
            if leader.id in told or not leader.reachable or leader.telegram_id <= 0:
                continue
            told.add(leader.id)
            text = say("unreachable.notice", name=Raw(user.name or "—"), role=say(f"role.{role}"))
            notices.append(Reply((text,), chat_id=leader.telegram_id, language=leader.language))
    return notices


def _leaders(session: Session, school_id: int, person_id: int) -> list[User]:
    for roles in (TOLD, FALLBACK):
        found = list(
            session.execute(
                select(User)
                .join(Membership, Membership.user_id == User.id)
                .where(
                    Membership.school_id == school_id,
                    Membership.role.in_(roles),
                    Membership.active.is_(True),
                    User.id != person_id,
                )
                .order_by(User.id)
            ).scalars()
        )
        if found:
            return found
    return []
