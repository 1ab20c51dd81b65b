"""Invitations: 192 random bits shown once, stored only as a SHA-256 hash, used at most once."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.storage.models import Invitation, RedeemFailure
from bot.storage.types import utcnow

MAX_FAILURES = 5  # wrong tokens before the person has to wait
FAILURE_WINDOW = dt.timedelta(minutes=15)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create(
    session: Session,
    role: str,
    school_id: int | None,
    pupil_id: int | None,
    created_by: int | None,
    ttl: dt.timedelta,
) -> str:
    """A new invitation; returns the token, which is never stored."""
    token = secrets.token_urlsafe(24)  # 192 bits, fits Telegram's /start parameter
    now = utcnow()
    session.add(
        Invitation(
            token_hash=hash_token(token),
            role=role,
            school_id=school_id,
            pupil_id=pupil_id,
            created_by=created_by,
            created_at=now,
            expires_at=now + ttl,
        )
    )
    session.flush()
    return token


@dataclass(frozen=True, slots=True)
class Redeemed:
    role: str
    school_id: int | None
    pupil_id: int | None


def redeem(session: Session, token: str, user_id: int) -> Redeemed | str:
    """Use the invitation: its grant, or why not ("unknown", "used", "expired").

    One conditional UPDATE claims it, so twenty redemptions at once succeed exactly once.
    """
    digest = hash_token(token.strip())
    now = utcnow()
    claimed = session.execute(
        update(Invitation)
        .where(
            Invitation.token_hash == digest,
            Invitation.used_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(used_at=now, used_by=user_id)
    )
    row = session.execute(
        select(Invitation).where(Invitation.token_hash == digest)
    ).scalar_one_or_none()
    if not getattr(claimed, "rowcount", 0):
        if row is None:
            return "unknown"
        return "used" if row.used_at is not None and row.used_at <= now else "expired"
    assert row is not None
    return Redeemed(row.role, row.school_id, row.pupil_id)


def failures(session: Session, telegram_id: int) -> int:
    """Recent failed attempts (older ones are forgotten)."""
    row = session.get(RedeemFailure, telegram_id)
    if row is None or utcnow() - row.last_at > FAILURE_WINDOW:
        return 0
    return row.count


def note_failure(session: Session, telegram_id: int) -> None:
    row = session.get(RedeemFailure, telegram_id, with_for_update=True)
    now = utcnow()
    if row is None:
        session.add(RedeemFailure(telegram_id=telegram_id, count=1, last_at=now))
    elif now - row.last_at > FAILURE_WINDOW:
        row.count, row.last_at = 1, now
    else:
        row.count, row.last_at = row.count + 1, now


def purge_expired(session: Session, before: dt.datetime) -> int:
    result = session.execute(
        Invitation.__table__.delete().where(Invitation.expires_at < before)  # type: ignore[attr-defined]
    )
    return int(getattr(result, "rowcount", 0) or 0)
