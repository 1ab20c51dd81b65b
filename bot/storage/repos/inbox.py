"""The inbox: received updates, stored before they are acknowledged, processed exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.storage.models import InboxUpdate
from bot.storage.prepared import Prepared
from bot.storage.repos import leases
from bot.storage.types import utcnow

PENDING, DONE, FAILED = "pending", "done", "failed"
QUEUE = leases.Queue(
    InboxUpdate, InboxUpdate.update_id, InboxUpdate.chat_id, InboxUpdate.status, PENDING, 0x1B0C
)


# Built once per dialect and run as executemany: a multi-row VALUES statement is compiled anew
# for every batch size, which measured slower than storing the batch itself (bench/load.py).
_ADD = {
    name: Prepared(
        dialect.insert(InboxUpdate.__table__).on_conflict_do_nothing(index_elements=["update_id"])
    )
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def add_many(session: Session, updates: Sequence[tuple[int, int | None, dict[str, Any]]]) -> int:
    """Store updates; an update_id seen before (a Telegram retry) is ignored. Returns new rows."""
    if not updates:
        return 0
    now = utcnow()
    rows = [
        {
            "update_id": u,
            "chat_id": c,
            "payload": p,
            "status": PENDING,
            "attempts": 0,
            "received_at": now,
        }
        for u, c, p in updates
    ]
    return _ADD[session.get_bind().dialect.name].run_many(session, rows)


def pending(session: Session, limit: int = 200) -> list[InboxUpdate]:
    stmt = (
        select(InboxUpdate)
        .where(InboxUpdate.status == PENDING)
        .order_by(InboxUpdate.update_id)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def lease(
    session: Session, owner: str, now: dt.datetime, ttl: dt.timedelta, limit: int = 500
) -> list[tuple[int, int | None]]:
    """(update_id, chat) of waiting updates this process may work on, leased to it, oldest first."""
    return leases.claim(session, QUEUE, owner, now, ttl, limit)


def payloads(session: Session, update_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    if not update_ids:
        return {}
    stmt = select(InboxUpdate.update_id, InboxUpdate.payload).where(
        InboxUpdate.update_id.in_(update_ids)
    )
    return {u: dict(p) for u, p in session.execute(stmt).all()}


def release(session: Session, owner: str | None) -> int:
    return leases.release(session, QUEUE, owner)


def claim(session: Session, update_id: int) -> InboxUpdate | None:
    """The row if it still waits (another worker or an earlier run may have done it)."""
    row = session.get(InboxUpdate, update_id, with_for_update=True)
    return row if row is not None and row.status == PENDING else None


def finish(session: Session, update_id: int, status: str = DONE) -> None:
    row = session.get(InboxUpdate, update_id)
    if row is not None:
        row.status, row.processed_at = status, utcnow()


def count_pending(session: Session) -> int:
    stmt = select(func.count()).select_from(InboxUpdate).where(InboxUpdate.status == PENDING)
    return int(session.execute(stmt).scalar_one())


def max_update_id(session: Session) -> int | None:
    return session.execute(select(func.max(InboxUpdate.update_id))).scalar_one_or_none()
