"""Hot-path statements run straight on the SQLite driver, compiled once by SQLAlchemy.

SQLAlchemy's per-statement work (cache lookup, execution context, result set-up) costs several
times what SQLite itself spends on a one-row write; an update pays it four or five times
(bench/load.py). The SQL text and each value's conversion still come from SQLAlchemy (the
compiled statement and the column types' bind processors), so nothing is written differently.
PostgreSQL: the same, compiled for asyncpg ($n parameters) and sent on the asyncpg connection
with its prepared-statement cache (asyncpg_driver.py); SQLAlchemy's per-statement work there
(greenlet switch, adapted cursor, execution context) cost more than a round trip to the server.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert, Update, UpdateBase

from bot.storage import asyncpg_driver

Bind = tuple[str, Any, Callable[[Any], Any] | None]  # name, default value, conversion


class Prepared:
    def __init__(self, statement: UpdateBase) -> None:
        self.statement = statement
        self._sqlite: dict[frozenset[str], tuple[str, list[Bind]]] = {}
        self._pg: dict[tuple[frozenset[str], bool], tuple[str, list[Bind]]] = {}

    def run(self, session: Session, values: dict[str, Any]) -> int:
        """Execute with these values; returns the number of rows changed."""
        return self.run_many(session, [values])

    def run_many(self, session: Session, rows: Sequence[dict[str, Any]]) -> int:
        """Execute once per row (rows with the same keys); returns the rows changed."""
        conn = _sqlite_connection(session)
        if conn is None:
            return self._pg_run(_pg_connection(session), rows)
        keys = frozenset(rows[0])
        sql, binds = self._sqlite.get(keys) or self._compile(conn.dialect, keys)
        # Inlined rather than a helper call per value: an outbox row has a dozen columns.
        params = [
            [row.get(n, d) if f is None else f(row.get(n, d)) for n, d, f in binds] for row in rows
        ]
        raw = conn.connection.driver_connection
        assert raw is not None
        cursor = raw.execute(sql, params[0]) if len(params) == 1 else raw.executemany(sql, params)
        return int(cursor.rowcount)

    def insert(self, session: Session, values: dict[str, Any]) -> int:
        """Execute an INSERT of one row; returns the new row's primary key."""
        conn = _sqlite_connection(session)
        if conn is None:
            return self._pg_insert(_pg_connection(session), values)
        keys = frozenset(values)
        sql, binds = self._sqlite.get(keys) or self._compile(conn.dialect, keys)
        raw = conn.connection.driver_connection
        assert raw is not None
        params = [values.get(n, d) if f is None else f(values.get(n, d)) for n, d, f in binds]
        row_id = raw.execute(sql, params).lastrowid
        assert row_id is not None
        return int(row_id)

    def _compile(self, dialect: Dialect, keys: frozenset[str]) -> tuple[str, list[Bind]]:
        self._sqlite[keys] = _compile(self.statement, dialect, keys)
        return self._sqlite[keys]

    def _pg_run(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
        sql, binds = self._pg_compiled(conn.dialect, frozenset(rows[0]), returning=False)
        params = [
            [row.get(n, d) if f is None else f(row.get(n, d)) for n, d, f in binds] for row in rows
        ]
        raw = conn.connection.driver_connection
        assert raw is not None
        asyncpg_driver.begin(conn)
        if len(params) == 1:
            status = asyncpg_driver.wait(conn, sql, raw.execute(sql, *params[0]))
            return asyncpg_driver.count(status)
        # One round trip for all rows; asyncpg reports no count for it (SQLAlchemy's rowcount: -1).
        asyncpg_driver.wait(conn, sql, raw.executemany(sql, params))
        return 0

    def _pg_insert(self, conn: Connection, values: dict[str, Any]) -> int:
        sql, binds = self._pg_compiled(conn.dialect, frozenset(values), returning=True)
        params = [values.get(n, d) if f is None else f(values.get(n, d)) for n, d, f in binds]
        raw = conn.connection.driver_connection
        assert raw is not None
        asyncpg_driver.begin(conn)
        return int(asyncpg_driver.wait(conn, sql, raw.fetchval(sql, *params)))

    def _pg_compiled(
        self, dialect: Dialect, keys: frozenset[str], *, returning: bool
    ) -> tuple[str, list[Bind]]:
        found = self._pg.get((keys, returning))
        if found is None:
            statement = self.statement
            if returning:  # the new row's key, as SQLAlchemy's own INSERT asks for it
                assert isinstance(statement, Insert)
                statement = statement.returning(*statement.table.primary_key)
            found = self._pg[(keys, returning)] = _compile_pg(statement, dialect, keys)
        return found


def _sqlite_connection(session: Session) -> Connection | None:
    """The SQLite connection the session runs on, or None (PostgreSQL: see _pg_connection).

    A unit's session is bound to the writer thread's connection, already in its transaction
    (database.py): that connection is used directly, skipping `session.connection()`, which
    costs more than a one-row write. Any other session takes the usual way.
    """
    bind = session.bind
    if isinstance(bind, Connection) and bind.in_transaction():
        return bind if bind.dialect.name == "sqlite" else None
    conn = session.connection()
    return conn if conn.dialect.name == "sqlite" else None


def _pg_connection(session: Session) -> Connection:
    """The PostgreSQL connection the unit runs on (bound by database.py, or the session's)."""
    bind = session.bind
    if isinstance(bind, Connection) and bind.in_transaction():
        return bind
    return session.connection()


def _compile_pg(
    statement: UpdateBase | Select[Any], dialect: Dialect, keys: frozenset[str]
) -> tuple[str, list[Bind]]:
    # As _compile, but each value converted as SQLAlchemy converts it for this dialect: the
    # dialect's own variant of each type (asyncpg's JSON, its datetimes) with its processor.
    sql, _ = _compile(statement, dialect, keys)  # the same checks of the values given
    compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))
    assert isinstance(compiled, SQLCompiler) and compiled.positiontup is not None
    binds: list[Bind] = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        process = bind.type.dialect_impl(dialect).bind_processor(dialect)
        binds.append((bind.key, bind.value, process))
    return sql, binds


def _compile(
    statement: UpdateBase | Select[Any], dialect: Dialect, keys: frozenset[str]
) -> tuple[str, list[Bind]]:
    # column_keys: an INSERT names only the columns given, as SQLAlchemy's own would.
    compiled = statement.compile(dialect=dialect, column_keys=sorted(keys))
    assert isinstance(compiled, SQLCompiler) and compiled.positiontup is not None
    binds: list[Bind] = []
    for name in compiled.positiontup:
        bind = compiled.binds[name]
        if bind.required and bind.key not in keys:
            raise ValueError(f"no value for {bind.key!r}")
        if bind.key not in keys and _computed_default(statement, bind.key):
            # SQLAlchemy would call the default (a timestamp) at execution; here it is not.
            raise ValueError(f"give {bind.key!r}: its default is computed per row")
        binds.append((bind.key, bind.value, bind.type.bind_processor(dialect)))
    return compiled.string, binds


def _computed_default(statement: UpdateBase | Select[Any], key: str) -> bool:
    table = getattr(statement, "table", None)
    column = table.c.get(key) if table is not None else None
    if column is None:
        return False
    default = column.onupdate if isinstance(statement, Update) else column.default
    return default is not None and not getattr(default, "is_scalar", True)


def _convert(value: Any, process: Callable[[Any], Any] | None) -> Any:
    return value if process is None else process(value)


def nothing_to_flush(session: Session) -> bool:
    """True when a prepared query sees what the ORM would: no pending change to autoflush first."""
    return not (session.new or session.dirty or session.deleted)


class PreparedQuery:
    """A SELECT run the same way; rows come back as named tuples with converted values."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self.row = namedtuple("row", statement.selected_columns.keys())  # type: ignore[misc]
        self._sqlite: tuple[str, list[Bind], list[Callable[[Any], Any] | None]] | None = None
        self._pg: tuple[str, list[Bind], list[Callable[[Any], Any] | None]] | None = None

    def all(self, session: Session, values: dict[str, Any]) -> list[Any]:
        conn = _sqlite_connection(session)
        if conn is None:
            return self._pg_all(_pg_connection(session), values)
        if self._sqlite is None:
            sql, binds = _compile(self.statement, conn.dialect, frozenset(values))
            columns = self.statement.selected_columns
            outs: list[Callable[[Any], Any] | None] = [
                c.type.result_processor(conn.dialect, None) for c in columns
            ]
            self._sqlite = (sql, binds, outs)
        sql, binds, outs = self._sqlite
        raw = conn.connection.driver_connection
        assert raw is not None
        rows = raw.execute(sql, [_convert(values.get(n, d), f) for n, d, f in binds]).fetchall()
        return [self.row(*(_convert(v, f) for v, f in zip(r, outs, strict=True))) for r in rows]

    def _pg_all(self, conn: Connection, values: dict[str, Any]) -> list[Any]:
        if self._pg is None:
            dialect = conn.dialect
            sql, binds = _compile_pg(self.statement, dialect, frozenset(values))
            outs: list[Callable[[Any], Any] | None] = [
                c.type.dialect_impl(dialect).result_processor(dialect, None)
                for c in self.statement.selected_columns
            ]
            self._pg = (sql, binds, outs)
        sql, binds, outs = self._pg
        raw = conn.connection.driver_connection
        assert raw is not None
        asyncpg_driver.begin(conn)
        params = [_convert(values.get(n, d), f) for n, d, f in binds]
        rows = asyncpg_driver.wait(conn, sql, raw.fetch(sql, *params))
        return [self.row(*(_convert(v, f) for v, f in zip(r, outs, strict=True))) for r in rows]
