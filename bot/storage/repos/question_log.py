"""The question log: no names or ids, only a keyed hash of who asked (to tell repeat askers)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from bot.storage.models import QuestionLog
from bot.storage.prepared import Prepared
from bot.storage.types import utcnow

_table = QuestionLog.__table__
_INSERT = Prepared(insert(_table))  # type: ignore[arg-type]  # every question writes one row
FEEDBACK = ("up", "down", "none")
MISSED_BANDS = ("none",)


def user_hash(telegram_id: int, key: bytes) -> str:
    return hashlib.blake2b(str(telegram_id).encode(), key=key[:64], digest_size=16).hexdigest()


def add(
    session: Session,
    asker: str,
    language: str,
    text: str,
    ids: list[str],
    scores: list[float],
    band: str,
) -> int:
    return _INSERT.insert(
        session,
        {
            "user_hash": asker,
            "language": language,
            "text": text[:1000],
            "results": {"ids": ids, "scores": scores},
            "band": band,
            "feedback": "",
            "created_at": utcnow(),
        },
    )


def set_feedback(session: Session, log_id: int, asker: str, feedback: str) -> bool:
    """Record 👍, 👎 or "none of these" on the asker's own question only."""
    result = session.execute(
        update(QuestionLog)
        .where(QuestionLog.id == log_id, QuestionLog.user_hash == asker)
        .values(feedback=feedback)
    )
    return bool(getattr(result, "rowcount", 0))


def get_own(session: Session, log_id: int, asker: str) -> QuestionLog | None:
    row = session.get(QuestionLog, log_id)
    return row if row is not None and row.user_hash == asker else None


@dataclass(frozen=True, slots=True)
class Missed:
    text: str
    language: str
    reason: str  # none (nothing found) | rejected ("none of these") | down (👎)
    results: dict[str, Any]


def missed(session: Session, limit: int = 2000) -> list[Missed]:
    rows = session.execute(
        select(QuestionLog)
        .where((QuestionLog.band == "none") | QuestionLog.feedback.in_(("down", "none")))
        .order_by(QuestionLog.id.desc())
        .limit(limit)
    ).scalars()
    out = []
    for r in rows:
        reason = {"down": "down", "none": "rejected"}.get(r.feedback, "none")
        out.append(Missed(r.text, r.language, reason, dict(r.results)))
    return out
