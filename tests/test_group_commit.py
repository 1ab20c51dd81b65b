"""Units of work that wait together share a transaction on SQLite, and stay all-or-nothing each."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.storage.database import Database
from bot.storage.models import User


def _add(telegram_id: int) -> Callable[[Session], int]:
    def unit(s: Session) -> int:
        user = User(telegram_id=telegram_id, name=f"U{telegram_id}")
        s.add(user)
        s.flush()
        return user.id

    return unit


def _fail_after_writing(s: Session) -> int:
    _add(2)(s)
    raise ValueError("a bug in this unit")


async def _together(db: Database, units: list[Callable[[Session], Any]]) -> list[Any]:
    """Run the units so that they wait together: on SQLite, behind a unit that holds the thread."""
    release = threading.Event()
    entered = threading.Event()

    def hold(s: Session) -> str:
        entered.set()
        release.wait(timeout=30)
        return "held"

    first: Awaitable[Any] | None = None
    if db.is_sqlite:
        first = asyncio.ensure_future(db.run(hold))
        await asyncio.to_thread(entered.wait, 30)
    tasks = [asyncio.ensure_future(db.run(u)) for u in units]
    await asyncio.sleep(0)  # let every task queue its unit
    release.set()
    if first is not None:
        assert await first == "held"
    return await asyncio.gather(*tasks, return_exceptions=True)


async def _stored(db: Database) -> list[int]:
    return await db.run(lambda s: sorted(s.execute(select(User.telegram_id)).scalars()))


async def test_waiting_units_commit_together_and_each_gets_its_own_result(db_url: str) -> None:
    db = Database(db_url)
    try:
        before = db.transactions
        results = await _together(db, [_add(n) for n in (1, 2, 3, 4, 5)])
        if db.is_sqlite:
            assert db.transactions - before == 2  # the holding unit, then the five as one group
        assert len(set(results)) == 5 and all(isinstance(r, int) for r in results)
        assert await _stored(db) == [1, 2, 3, 4, 5]
    finally:
        await db.close()


async def test_a_failing_unit_is_rolled_back_alone(db_url: str) -> None:
    db = Database(db_url)
    try:
        results = await _together(db, [_add(1), _fail_after_writing, _add(3)])
        assert isinstance(results[0], int) and isinstance(results[2], int)
        assert isinstance(results[1], ValueError)
        assert await _stored(db) == [1, 3]
    finally:
        await db.close()


async def test_a_unit_that_ends_the_transaction_does_not_take_the_others_with_it(
    db_url: str,
) -> None:
    db = Database(db_url)
    try:
        await db.run(_add(7))
        # A duplicate fails in the ORM flush, which rolls back the whole transaction.
        results = await _together(db, [_add(1), _add(7), _add(3)])
        assert isinstance(results[1], IntegrityError)
        assert isinstance(results[0], int) and isinstance(results[2], int)
        assert await _stored(db) == [1, 3, 7]
    finally:
        await db.close()


def _leave_traces(s: Session) -> None:
    """A unit that fails with objects loaded, a pending one, and notes in session.info."""
    s.info["note"] = "left behind"
    s.execute(select(User)).scalars().all()
    s.add(User(telegram_id=99, name="U99"))
    raise ValueError("a bug in this unit")


def _what_the_session_holds(s: Session) -> tuple[dict[str, Any], int, int]:
    return dict(s.info), len(s.identity_map), len(s.new)


async def test_each_unit_starts_on_a_clean_session(db_url: str) -> None:
    """The SQLite writer reuses its session: nothing a unit loaded or noted reaches the next."""
    db = Database(db_url)
    try:
        await db.run(_add(1))
        alone = [await _run_catching(db, _leave_traces), await db.run(_what_the_session_holds)]
        grouped = await _together(db, [_add(2), _leave_traces, _what_the_session_holds])
        assert isinstance(alone[0], ValueError) and isinstance(grouped[1], ValueError)
        assert alone[1] == grouped[2] == ({}, 0, 0)
        assert await _stored(db) == [1, 2]
    finally:
        await db.close()


async def _run_catching(db: Database, unit: Callable[[Session], Any]) -> Any:
    try:
        return await db.run(unit)
    except Exception as exc:
        return exc
