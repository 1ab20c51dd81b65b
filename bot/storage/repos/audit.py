"""The audit log: append-only (the database refuses updates and deletes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry
from bot.storage.types import utcnow

_INSERT = insert(AuditEntry.__table__)  # type: ignore[arg-type]


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    object_type: str = "",
    object_id: int | None = None,
    school_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Who did what to which record, when. Details hold ids and codes, never personal text."""
    session.connection().execute(
        _INSERT,
        {
            "at": utcnow(),
            "actor_id": actor_id,
            "action": action,
            "object_type": object_type,
            "object_id": object_id,
            "school_id": school_id,
            "details": details or {},
            "note": "",
        },
    )


def for_object(
    session: Session, object_type: str, object_id: int, limit: int = 50
) -> list[AuditEntry]:
    rows = session.execute(
        select(AuditEntry)
        .where(AuditEntry.object_type == object_type, AuditEntry.object_id == object_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())


def for_school(session: Session, school_id: int, limit: int = 30) -> list[AuditEntry]:
    rows = session.execute(
        select(AuditEntry)
        .where(AuditEntry.school_id == school_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    return list(rows.scalars())
