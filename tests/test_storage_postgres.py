"""PostgreSQL's own paths: prepared statements on the driver, and a pooled connection that died."""

from __future__ import annotations

import datetime as dt
from typing import Any

import asyncpg
import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage import database
from bot.storage.database import Database
from bot.storage.models import OutboxMessage, User
from bot.storage.prepared import Prepared, PreparedQuery

WHEN = dt.datetime(2026, 10, 5, 9, 0, 1, 250_000, tzinfo=dt.UTC)


def _postgres(url: str) -> Database:
    db = Database(url)
    if db.is_sqlite:
        pytest.skip("PostgreSQL only")
    return db


def _outbox_row(chat: int) -> dict[str, Any]:
    payload = {"chat_id": chat, "text": 'Sveiki, Jānis! "ē"', "reply_markup": {"k": [1, None]}}
    return {
        "chat_id": chat,
        "method": "sendMessage",
        "payload": payload,
        "state": "pending",
        "attempts": 0,
        "error": "",
        "created_at": WHEN,
    }


async def test_prepared_statements_write_and_read_what_sqlalchemy_does(db_url: str) -> None:
    db = _postgres(db_url)
    table = OutboxMessage.__table__
    try:

        def write(s: Session) -> None:
            Prepared(insert(table)).run(s, _outbox_row(1))  # type: ignore[arg-type]
            s.connection().execute(insert(table), _outbox_row(1))  # type: ignore[arg-type]
            rows = [_outbox_row(2), _outbox_row(3)]
            assert Prepared(insert(table)).run_many(s, rows) == 0  # type: ignore[arg-type]
            s.connection().execute(insert(table), [_outbox_row(2), _outbox_row(3)])  # type: ignore[arg-type]

        await db.run(write)
        columns = "chat_id, method, payload::text, state, attempts, error, created_at::text"
        stored = await db.run(
            lambda s: s.execute(text(f"SELECT {columns} FROM outbox ORDER BY id")).all()
        )
        prepared, plain = [stored[0], *stored[2:4]], [stored[1], *stored[4:6]]
        assert [tuple(r) for r in prepared] == [tuple(r) for r in plain]
        assert [r[0] for r in prepared] == [1, 2, 3]
        assert stored[0][-1] == "2026-10-05 09:00:01.25"

        query = PreparedQuery(select(table.c.payload, table.c.created_at).order_by(table.c.id))
        read = await db.run(lambda s: query.all(s, {}))
        orm = await db.run(lambda s: s.execute(query.statement).all())
        assert [tuple(r) for r in read] == [tuple(r) for r in orm]
        assert read[0].created_at == WHEN and read[0].payload == _outbox_row(1)["payload"]
    finally:
        await db.close()


async def test_prepared_statement_errors_are_sqlalchemys_and_undo_the_unit(db_url: str) -> None:
    db = _postgres(db_url)
    new_user = Prepared(insert(User.__table__))  # type: ignore[arg-type]
    person = {"telegram_id": 5, "name": "Anna", "language": "lv", "reachable": True}
    person |= {"created_at": WHEN, "updated_at": WHEN}
    try:
        first = await db.run(lambda s: new_user.insert(s, person))

        def twice(s: Session) -> None:
            new_user.insert(s, {**person, "telegram_id": 6})
            new_user.insert(s, person)  # the same telegram_id again

        with pytest.raises(IntegrityError) as info:
            await db.run(twice)
        assert "Anna" not in str(info.value)  # parameters stay out of messages (and logs)
        ids = await db.run(lambda s: s.execute(select(User.id)).scalars().all())
        assert ids == [first]
    finally:
        await db.close()


@pytest.mark.parametrize("noticed", [True, False], ids=["closed-seen", "closed-unseen"])
async def test_unit_runs_on_after_the_server_closed_its_pooled_connection(
    db_url: str, noticed: bool
) -> None:
    """A server restart closes idle connections: the next unit still runs, exactly once."""
    db = _postgres(db_url)
    assert db._async_engine is not None
    if not noticed:  # leave it to BEGIN to find the dead connection (and the unit to retry)
        event.remove(db._async_engine.sync_engine, "checkout", database._closed_by_server)
    try:
        await db.run(lambda s: s.execute(text("SELECT 1")).scalar_one())
        url = make_url(db_url)
        admin = await asyncpg.connect(
            host=url.host, port=url.port, user=url.username, database=url.database
        )
        try:
            # With a timeout, each call waits until that backend is gone (PostgreSQL 14+).
            await admin.fetch(
                "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        finally:
            await admin.close()
        calls: list[int] = []
        attempts: list[bool] = []
        run_unit = db._pg_unit

        def counted(unit: Any, may_retry: bool) -> Any:
            attempts.append(may_retry)
            return run_unit(unit, may_retry)

        db._pg_unit = counted  # type: ignore[method-assign]

        def unit(s: Session) -> int:
            calls.append(1)
            return int(s.execute(text("SELECT 2")).scalar_one())

        assert await db.run(unit) == 2
        assert calls == [1]
        # Seen closed, the pool replaces it at checkout; unseen, BEGIN fails and the unit retries.
        assert attempts == ([True] if noticed else [True, False])
    finally:
        await db.close()
