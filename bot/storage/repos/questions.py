"""Questions people asked the school in chat."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.storage.models import SchoolQuestion


def add(
    session: Session,
    user_id: int,
    school_id: int | None,
    school_hint: str,
    text: str,
    language: str,
) -> int:
    row = SchoolQuestion(
        user_id=user_id,
        school_id=school_id,
        school_hint=school_hint[:120],
        text=text,
        language=language,
    )
    session.add(row)
    session.flush()
    return row.id
