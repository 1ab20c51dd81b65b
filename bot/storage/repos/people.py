"""Users and their roles."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import Membership, User


def get_or_create_user(
    session: Session, telegram_id: int, name: str, language: str
) -> tuple[User, bool]:
    """The user row for this id, created on first contact (second value: it is new)."""
    user = session.execute(select(User).where(User.telegram_id == telegram_id)).scalar_one_or_none()
    if user is not None:
        if name and user.name != name[:64] and user.erased_at is None:
            user.name = name[:64]
        return user, False
    user = User(telegram_id=telegram_id, name=name[:64], language=language, reachable=True)
    session.add(user)
    session.flush()
    return user, True


def find_user(session: Session, telegram_id: int) -> User | None:
    return session.execute(select(User).where(User.telegram_id == telegram_id)).scalar_one_or_none()


def roles_of(session: Session, user_id: int) -> list[Membership]:
    rows = session.execute(
        select(Membership).where(Membership.user_id == user_id, Membership.active.is_(True))
    )
    return list(rows.scalars())


def mark_unreachable(session: Session, telegram_id: int) -> None:
    user = session.execute(select(User).where(User.telegram_id == telegram_id)).scalar_one_or_none()
    if user is not None:
        user.reachable = False


def count_unreachable(session: Session) -> int:
    """People who blocked the bot (or whose account is gone): messages to them are dropped."""
    stmt = select(func.count()).select_from(User).where(User.reachable.is_(False))
    return int(session.execute(stmt).scalar_one())
