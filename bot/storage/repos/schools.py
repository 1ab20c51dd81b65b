"""Schools, pupils and who belongs where."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from bot.storage.models import Membership, ParentLink, Pupil, School, User
from bot.storage.prepared import PreparedQuery, nothing_to_flush


def find_or_create_school(
    session: Session, name: str, municipality: str = "", kind: str = "general"
) -> tuple[School, bool]:
    clean = " ".join(name.split())
    found = session.execute(
        select(School).where(func.lower(School.name) == clean.lower())
    ).scalar_one_or_none()
    if found is not None:
        return found, False
    school = School(name=clean, municipality=municipality, kind=kind)
    session.add(school)
    session.flush()
    return school, True


def get_school(session: Session, school_id: int) -> School | None:
    return session.get(School, school_id)


def school_names(session: Session, ids: frozenset[int] | None) -> list[tuple[int, str]]:
    """(id, name) of the given schools, or of all schools when ids is None (first 50)."""
    stmt = select(School.id, School.name).order_by(School.name).limit(50)
    if ids is not None:
        if not ids:
            return []
        stmt = stmt.where(School.id.in_(ids))
    return [(int(i), str(n)) for i, n in session.execute(stmt).all()]


def add_membership(session: Session, user_id: int, school_id: int | None, role: str) -> bool:
    """Grant a role; re-activates one held before. False if it was already active."""
    row = session.execute(
        select(Membership).where(
            Membership.user_id == user_id,
            Membership.role == role,
            Membership.school_id.is_(None)
            if school_id is None
            else Membership.school_id == school_id,
        )
    ).scalar_one_or_none()
    if row is None:
        session.add(Membership(user_id=user_id, school_id=school_id, role=role, active=True))
        session.flush()
        return True
    if row.active:
        return False
    row.active = True
    return True


def staff(session: Session, school_id: int) -> list[tuple[Membership, User]]:
    rows = session.execute(
        select(Membership, User)
        .join(User, User.id == Membership.user_id)
        .where(
            Membership.school_id == school_id,
            Membership.active.is_(True),
            Membership.role != "parent",
        )
        .order_by(User.name, Membership.id)
    )
    return [(m, u) for m, u in rows.all()]


def membership(session: Session, membership_id: int) -> Membership | None:
    return session.get(Membership, membership_id)


def add_pupil(
    session: Session, school_id: int, name: str, class_name: str, created_by: int
) -> Pupil:
    pupil = Pupil(school_id=school_id, name=name, class_name=class_name, created_by=created_by)
    session.add(pupil)
    session.flush()
    return pupil


def pupils_of_schools(session: Session, school_ids: frozenset[int]) -> list[Pupil]:
    if not school_ids:
        return []
    rows = session.execute(
        select(Pupil).where(Pupil.school_id.in_(school_ids)).order_by(Pupil.class_name, Pupil.name)
    )
    return list(rows.scalars())


def pupil(session: Session, pupil_id: int) -> Pupil | None:
    return session.get(Pupil, pupil_id)


def parents_of(session: Session, pupil_id: int) -> frozenset[int]:
    if nothing_to_flush(session):  # asked on every plan step: prepared, unless a flush is due
        return frozenset(r.user_id for r in _PARENTS.all(session, {"pupil": pupil_id}))
    rows = session.execute(select(ParentLink.user_id).where(ParentLink.pupil_id == pupil_id))
    return frozenset(rows.scalars())


_PARENTS = PreparedQuery(
    select(ParentLink.user_id).where(ParentLink.pupil_id == bindparam("pupil"))
)


def children_of(session: Session, user_id: int) -> list[Pupil]:
    rows = session.execute(
        select(Pupil)
        .join(ParentLink, ParentLink.pupil_id == Pupil.id)
        .where(ParentLink.user_id == user_id)
        .order_by(Pupil.name)
    )
    return list(rows.scalars())


def link_parent(session: Session, user_id: int, pupil_id: int) -> None:
    exists = session.execute(
        select(ParentLink.id).where(ParentLink.user_id == user_id, ParentLink.pupil_id == pupil_id)
    ).first()
    if exists is None:
        session.add(ParentLink(user_id=user_id, pupil_id=pupil_id))


def user_name(session: Session, user_id: int) -> str | None:
    user = session.get(User, user_id)
    return user.name if user is not None else None


def user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def recipients(
    session: Session, school_id: int, roles: tuple[str, ...], exclude_user: int | None = None
) -> list[tuple[int, str | None]]:
    """(Telegram id, language) of reachable people holding one of `roles` at the school."""
    found = {
        user.telegram_id: user.language
        for member, user in staff(session, school_id)
        if member.role in roles
        and user.reachable
        and user.telegram_id > 0
        and user.id != exclude_user
    }
    return sorted(found.items())
