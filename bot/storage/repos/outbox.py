"""The outbox: Bot API calls to make, marked sent only after Telegram accepted them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from bot.storage.models import OutboxMessage
from bot.storage.prepared import Prepared
from bot.storage.repos import leases
from bot.storage.types import utcnow

PENDING, SENT, FAILED = "pending", "sent", "failed"
QUEUE = leases.Queue(
    OutboxMessage, OutboxMessage.id, OutboxMessage.chat_id, OutboxMessage.state, PENDING, 0x0B0C
)
_INSERT = Prepared(insert(OutboxMessage.__table__))  # type: ignore[arg-type]


def add_many(session: Session, calls: list[tuple[int, str, dict[str, Any]]]) -> None:
    """Queue Bot API calls (chat, method, parameters), in order, in one statement."""
    if calls:
        now = utcnow()
        rows = [
            {
                "chat_id": c,
                "method": m,
                "payload": p,
                "state": PENDING,
                "attempts": 0,
                "error": "",
                "created_at": now,
            }
            for c, m, p in calls
        ]
        _INSERT.run_many(session, rows)


def pending(session: Session, limit: int = 200) -> list[OutboxMessage]:
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.state == PENDING)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


def take_for_chat(
    session: Session, chat_id: int, limit: int = 50
) -> list[tuple[str, dict[str, Any]]]:
    """The console as its own sender: this chat's waiting calls, oldest first, marked sent."""
    stmt = (
        select(OutboxMessage)
        .where(OutboxMessage.state == PENDING, OutboxMessage.chat_id == chat_id)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    rows = list(session.execute(stmt).scalars())
    for row in rows:
        row.state, row.sent_at = SENT, utcnow()
    return [(row.method, dict(row.payload)) for row in rows]


def lease(
    session: Session, owner: str, now: dt.datetime, ttl: dt.timedelta, limit: int = 200
) -> list[tuple[int, int | None]]:
    """(id, chat) of waiting calls this process may send, leased to it, oldest first."""
    return leases.claim(session, QUEUE, owner, now, ttl, limit)


def by_ids(session: Session, ids: list[int]) -> list[OutboxMessage]:
    if not ids:
        return []
    stmt = select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by(OutboxMessage.id)
    return list(session.execute(stmt).scalars())


def renew(session: Session, owner: str, now: dt.datetime, ttl: dt.timedelta) -> int:
    return leases.renew(session, QUEUE, owner, now, ttl)


def release(session: Session, owner: str | None) -> int:
    return leases.release(session, QUEUE, owner)


def mark_sent(session: Session, message_id: int) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=SENT, sent_at=utcnow())
    )


def mark_failed(session: Session, message_id: int, error: str) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(state=FAILED, error=error[:200])
    )


def note_attempt(session: Session, message_id: int, error: str) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(attempts=OutboxMessage.attempts + 1, error=error[:200])
    )


def replace_call(session: Session, message_id: int, method: str, payload: dict[str, Any]) -> None:
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(method=method, payload=payload)
    )


def fail_chat(session: Session, chat_id: int, error: str) -> int:
    """Give up every waiting message of a chat (the person blocked the bot)."""
    result = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.chat_id == chat_id, OutboxMessage.state == PENDING)
        .values(state=FAILED, error=error[:200])
    )
    return int(getattr(result, "rowcount", 0) or 0)


def depth(session: Session) -> int:
    stmt = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.state == PENDING)
    return int(session.execute(stmt).scalar_one())
