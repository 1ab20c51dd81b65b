"""A person's reminder preferences: kinds turned off and their digest weekday."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import ReminderPreference

MONDAY = 0


@dataclass(frozen=True, slots=True)
class Prefs:
    off: str = ""  # comma-separated kinds
    digest_day: int = MONDAY


def get(session: Session, user_id: int) -> Prefs:
    row = session.get(ReminderPreference, user_id)
    return Prefs(row.off, row.digest_day) if row is not None else Prefs()


def many(session: Session, user_ids: list[int]) -> dict[int, Prefs]:
    rows = session.execute(
        select(ReminderPreference).where(ReminderPreference.user_id.in_(user_ids))
    ).scalars()
    return {r.user_id: Prefs(r.off, r.digest_day) for r in rows}


def save(session: Session, user_id: int, prefs: Prefs) -> None:
    row = session.get(ReminderPreference, user_id)
    if row is None:
        session.add(ReminderPreference(user_id=user_id, off=prefs.off, digest_day=prefs.digest_day))
    else:
        row.off, row.digest_day = prefs.off, prefs.digest_day
