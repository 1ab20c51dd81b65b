"""Per-chat leases on queue rows (inbox, outbox) so several processes share one database.

A process takes the oldest waiting rows of every chat no other live process holds, and stamps
them with its name and a deadline. A chat stays with one process while it has leased rows, so
each chat's rows are still handled one at a time and in order; a dead process's lease runs out
and another takes over. Claims are serialised (an advisory lock on PostgreSQL, `BEGIN IMMEDIATE`
on SQLite) because two claims racing could otherwise split one chat between two processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, select, text, update
from sqlalchemy.orm import InstrumentedAttribute, Session


@dataclass(frozen=True, slots=True)
class Queue:
    """The columns of one queue table the lease works with."""

    model: type[Any]
    key: InstrumentedAttribute[Any]
    chat: InstrumentedAttribute[Any]
    status: InstrumentedAttribute[Any]
    waiting: str
    lock_id: int  # advisory lock number of this queue's claims


def claim(
    session: Session, queue: Queue, owner: str, now: dt.datetime, lease: dt.timedelta, limit: int
) -> list[tuple[int, int | None]]:
    """Lease the waiting rows this process may work on now; (key, chat) pairs, oldest first.

    Only keys and chats are read: callers load the few payloads they do not hold yet.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": queue.lock_id})
    model = queue.model
    held_elsewhere = and_(
        model.lease_owner.is_not(None), model.lease_owner != owner, model.lease_until > now
    )
    busy = (
        select(queue.chat)
        .where(queue.status == queue.waiting, queue.chat.is_not(None), held_elsewhere)
        .distinct()
    )
    stmt = (
        select(queue.key, queue.chat, model.lease_owner, model.lease_until)
        .where(
            queue.status == queue.waiting,
            ~held_elsewhere,
            or_(queue.chat.is_(None), queue.chat.not_in(busy)),
        )
        .order_by(queue.key)
        .limit(limit)
    )
    rows = session.execute(stmt).all()
    # Renew only leases past half their time: most rounds then write nothing.
    fresh = now + lease / 2
    renew = [
        key for key, _, holder, until in rows if holder != owner or until is None or until < fresh
    ]
    if renew:
        session.execute(
            update(model)
            .where(queue.key.in_(renew))
            .values(lease_owner=owner, lease_until=now + lease)
            .execution_options(synchronize_session=False)
        )
    return [(key, chat) for key, chat, _, _ in rows]


def renew(session: Session, queue: Queue, owner: str, now: dt.datetime, lease: dt.timedelta) -> int:
    """Extend the leases `owner` holds: a live process keeps its chats however long it works."""
    model = queue.model
    result = session.execute(
        update(model)
        .where(queue.status == queue.waiting, model.lease_owner == owner)
        .values(lease_until=now + lease)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def release(session: Session, queue: Queue, owner: str | None) -> int:
    """Give back the leases of `owner` (at shutdown), or every lease when owner is None."""
    model = queue.model
    condition: ColumnElement[bool] = model.lease_owner.is_not(None)
    if owner is not None:
        condition = model.lease_owner == owner
    result = session.execute(
        update(model)
        .where(queue.status == queue.waiting, condition)
        .values(lease_owner=None, lease_until=None)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)
