"""Runs units of work. Each unit is one transaction executed by a plain function on a Session.

SQLite: the function runs in one worker thread on a synchronous connection (WAL, busy timeout,
`BEGIN IMMEDIATE` so concurrent read-modify-write cannot silently lose an edit). That is about six
times faster than SQLAlchemy's async path over aiosqlite, which hops threads on every statement.
Units that queue while the thread is busy share one transaction, each in its own SAVEPOINT, so each
is still all-or-nothing (see group_commit.py).
PostgreSQL: the same function runs through asyncpg, the whole unit (checkout, BEGIN, statements,
COMMIT) in one greenlet as `AsyncSession.run_sync` would, without the async session around it.
Both engines hide bound parameters, so an SQL error never carries a pupil's name into a log.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError, InvalidatePoolError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.util import greenlet_spawn

from bot.storage import asyncpg_driver, jsonfast, touched, urls
from bot.storage.checkpoint import WRITER_BACKSTOP_PAGES, Checkpointer
from bot.storage.group_commit import GroupQueue, Outcome

T = TypeVar("T")
Hook = Callable[[Session, touched.Touched], None]
log = logging.getLogger(__name__)

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_GROUP = 8  # units at most in one SQLite transaction
# Chats the inbox worker runs at once on SQLite: measured best of 2, 3 and 8 (bench/load.py);
# more only queue longer for the one writer thread.
SQLITE_CONCURRENCY = 3
# PostgreSQL: updates/s measured flat from 2 to 10 chats at once on a 2-core machine (the process
# is CPU-bound), while p99 grew with each one (bench/load.py: 2 → ~13 ms, 3 → ~18, 4 → ~25,
# 6 → ~30, 10 → ~50); 3 keeps the latency and still overlaps one unit's round trips with others.
PG_CONCURRENCY = 3
# Pooled PostgreSQL connections are replaced after this long, before a firewall or the server
# drops them idle (no ping per unit: see _pg_unit).
PG_RECYCLE_S = 1800


class DatabaseUnavailable(Exception):
    """The database could not be reached; the message names the URL without its password."""


class Database:
    """The one way code above storage touches the database: `await db.run(unit)`."""

    def __init__(self, url: str, *, pool_size: int = 10) -> None:
        self.url = url
        self.is_sqlite = urls.is_sqlite(url)
        self._sync_engine: Engine | None = None
        self._async_engine: AsyncEngine | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._conn: Connection | None = None
        self._session: Session | None = None  # the writer thread's, reused unit after unit
        self._checkpointer: Checkpointer | None = None
        if self.is_sqlite:
            urls.ensure_sqlite_dir(url)
            path = urls.sqlite_file(url)
            if path is not None:
                self._checkpointer = Checkpointer(path, SQLITE_BUSY_TIMEOUT_MS)
            self._sync_engine = _sqlite_engine(url, backstop=self._checkpointer is not None)
            # SQLite has one writer: one worker thread serialises units without lock waits.
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db")
            self._queue = GroupQueue(self._executor, self._run_group, SQLITE_GROUP)
        else:
            self._async_engine = create_async_engine(
                urls.async_url(url),
                hide_parameters=True,
                json_serializer=jsonfast.dumps,
                json_deserializer=jsonfast.loads,
                pool_size=pool_size,
                max_overflow=pool_size // 2,
                pool_recycle=PG_RECYCLE_S,
            )
            event.listen(self._async_engine.sync_engine, "checkout", _closed_by_server)
        self.pool_size = 1 if self.is_sqlite else pool_size
        # Run at the end of every unit, in its transaction, with what the unit changed.
        self.before_commit: list[Hook] = []
        # Units worth having in flight at once: a connection each, or a SQLite group.
        self.concurrency = SQLITE_CONCURRENCY if self.is_sqlite else min(PG_CONCURRENCY, pool_size)
        self.transactions = 0  # SQLite: transactions committed or tried (one per group)

    @property
    def safe_url(self) -> str:
        return urls.safe(self.url)

    async def run(self, unit: Callable[[Session], T]) -> T:
        """Run `unit(session)` in one transaction; commit if it returns, roll back if it raises."""
        if self.is_sqlite:
            if self._executor is None:
                raise RuntimeError("database is closed")
            result: T = await self._queue.run(lambda s: self._unit(s, unit))
            return result
        try:
            return await greenlet_spawn(self._pg_unit, unit, True)
        except _StaleConnection:
            # The pooled connection had died idle (a server restart): nothing ran; once more.
            return await greenlet_spawn(self._pg_unit, unit, False)

    def _pg_unit(self, unit: Callable[[Session], T], may_retry: bool) -> T:
        assert self._async_engine is not None
        with self._async_engine.sync_engine.connect() as conn, conn.begin():
            # BEGIN before the unit runs, not lazily at its first statement: a dead connection
            # shows here, where a retry is safe, at no cost (a pre-ping was three round trips).
            try:
                asyncpg_driver.begin(conn)
            except DBAPIError as exc:
                if may_retry and exc.connection_invalidated:
                    raise _StaleConnection from exc
                raise
            return _call(_new_session(conn), lambda s: self._unit(s, unit))

    def _unit(self, session: Session, unit: Callable[[Session], T]) -> T:
        result = unit(session)
        if self.before_commit:
            session.flush()
            changed = touched.take(session)
            if changed:
                for hook in self.before_commit:
                    hook(session, changed)
        return result

    def _connection(self) -> tuple[Connection, Session]:
        # The one worker thread keeps one connection: no pool checkout and reset per unit. It
        # keeps one session on it too: a new Session per unit cost more than a one-row write
        # (event set-up); the session is closed and its notes cleared after every unit (_call).
        if self._conn is None:
            assert self._sync_engine is not None
            self._conn = self._sync_engine.connect()
            self._session = _new_session(self._conn)
        assert self._session is not None
        return self._conn, self._session

    def _run_group(self, units: list[Callable[[Session], Any]]) -> list[Outcome]:
        """In the worker thread: one transaction for the group, one savepoint for each unit."""
        conn, session = self._connection()
        self.transactions += 1
        if self._checkpointer is not None:
            self._checkpointer.poke()  # it waits its turn; this group's commit goes first
        if len(units) == 1:
            return [_alone(conn, session, units[0])]
        try:
            return _shared(conn, session, units)
        except _GroupBroken as broken:
            # One unit ended the shared transaction: the others run again, each on its own.
            return [
                broken.outcome if i == broken.index else _alone(conn, session, unit)
                for i, unit in enumerate(units)
            ]
        except Exception as exc:  # the COMMIT failed: nothing of the group was stored
            return [(False, exc)] * len(units)

    def _close_conn(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn, self._session = None, None

    def run_blocking(self, unit: Callable[[Session], T]) -> T:
        """For CLI commands outside an event loop."""
        return asyncio.run(self._run_once(unit))

    async def _run_once(self, unit: Callable[[Session], T]) -> T:
        try:
            return await self.run(unit)
        finally:
            await self.close()

    async def check(self) -> None:
        """Fail fast with a clear message when the database cannot be reached."""
        try:
            await self.run(lambda s: s.execute(text("SELECT 1")).scalar_one())
        except (OperationalError, DBAPIError, OSError) as exc:
            raise DatabaseUnavailable(
                f"Cannot reach the database at {self.safe_url}: {_reason(exc)}"
            ) from None

    async def close(self) -> None:
        if self._async_engine is not None:
            await self._async_engine.dispose()
        if self._sync_engine is not None:
            self._sync_engine.dispose()
        if self._executor is not None:
            self._executor.submit(self._close_conn).result()
            self._executor.shutdown(wait=True)
            self._executor = None
        if self._checkpointer is not None:
            self._checkpointer.stop()


class _StaleConnection(Exception):
    pass


def _closed_by_server(_dbapi_conn: Any, _record: Any, proxy: Any) -> None:
    # Free, unlike a ping: asyncpg has already seen the socket close (a server restart).
    if proxy.driver_connection.is_closed():
        raise InvalidatePoolError("connection closed by the server")


class _GroupBroken(Exception):
    def __init__(self, index: int, outcome: Outcome) -> None:
        self.index, self.outcome = index, outcome


def _new_session(conn: Connection) -> Session:
    return Session(bind=conn, expire_on_commit=False)


def _call(session: Session, unit: Callable[[Session], T]) -> T:
    """Run the unit and flush; the session is then closed and forgets all it held or noted, so
    the next unit on it starts as on a new one."""
    try:
        value = unit(session)
        session.flush()
        return value
    finally:
        session.close()
        session.info.clear()


def _alone(conn: Connection, session: Session, unit: Callable[[Session], Any]) -> Outcome:
    try:
        with conn.begin():
            return (True, _call(session, unit))
    except Exception as exc:
        return (False, exc)


def _shared(
    conn: Connection, session: Session, units: list[Callable[[Session], Any]]
) -> list[Outcome]:
    """Each unit in a savepoint: one that raises is rolled back alone and reports its exception."""
    # Plain SQL on the driver: SQLAlchemy's nested transactions cost more than a unit's statements.
    raw = conn.connection.driver_connection
    assert raw is not None
    outcomes: list[Outcome] = []
    with conn.begin():
        for index, unit in enumerate(units):
            raw.execute("SAVEPOINT unit")
            try:
                value = _call(session, unit)
            except Exception as exc:
                if not (conn.in_transaction() and raw.in_transaction):
                    # A failed flush rolls the whole transaction back (as would a disk error):
                    # the units before this one are gone with it.
                    raise _GroupBroken(index, (False, exc)) from None
                raw.execute("ROLLBACK TO unit")
                raw.execute("RELEASE unit")
                outcomes.append((False, exc))
            else:
                raw.execute("RELEASE unit")
                outcomes.append((True, value))
    return outcomes


def _sqlite_engine(url: str, *, backstop: bool) -> Engine:
    engine = create_engine(
        urls.sync_sqlite_url(url),
        hide_parameters=True,
        json_serializer=jsonfast.dumps,
        json_deserializer=jsonfast.loads,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        pool_size=1,
        max_overflow=1,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (the driver's own is deferred).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        if backstop:  # the checkpoint thread copies the log; the writer only if it falls behind
            cur.execute(f"PRAGMA wal_autocheckpoint={WRITER_BACKSTOP_PAGES}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Straight on the driver: SQLAlchemy's statement path costs more than the BEGIN itself,
        # and every unit (or group of units) pays it.
        try:
            conn.connection.driver_connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:  # "database is locked" after the busy timeout
            raise OperationalError("BEGIN IMMEDIATE", None, exc) from exc

    return engine


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).splitlines()[0][:200] if str(orig) else type(orig).__name__
