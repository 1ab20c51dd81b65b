"""Hot-path statements run straight on the SQLite driver, compiled once by SQLAlchemy.

SQLAlchemy's per-statement work (cache lookup, execution context, result set-up) costs several
times what SQLite itself spends on a one-row write; an update pays it four or five times
(bench/load.py). The SQL text and each value's conversion still come from SQLAlchemy (the
compiled statement and, as on its own execution, the dialect's variant of each column type), so
nothing is written differently; UTC timestamps on SQLite take one equivalent call (types.py).
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
from sqlalchemy.types import TypeEngine

from bot.storage import asyncpg_driver
from bot.storage.types import UTCDateTime, sqlite_text

Bind = tuple[str, Any, Callable[[Any], Any] | None]  # name, default value, conversion
# SQL text, value conversions, and (position, conversion) of the selected columns that have one
CompiledQuery = tuple[str, list[Bind], list[tuple[int, Callable[[Any], Any]]]]


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
        conn = _unit_connection(session)
        if conn.dialect.name != "sqlite":
            return self._pg_run(conn, rows)
        keys = frozenset(rows[0])
        sql, binds = self._sqlite.get(keys) or self._compile(conn.dialect, keys)
        params = [_values(binds, row) for row in rows]
        raw = conn.connection.driver_connection
        assert raw is not None
        cursor = raw.execute(sql, params[0]) if len(params) == 1 else raw.executemany(sql, params)
        return int(cursor.rowcount)

    def insert(self, session: Session, values: dict[str, Any]) -> int:
        """Execute an INSERT of one row; returns the new row's primary key."""
        conn = _unit_connection(session)
        if conn.dialect.name != "sqlite":
            return self._pg_insert(conn, values)
        keys = frozenset(values)
        sql, binds = self._sqlite.get(keys) or self._compile(conn.dialect, keys)
        raw = conn.connection.driver_connection
        assert raw is not None
        params = _values(binds, values)
        row_id = raw.execute(sql, params).lastrowid
        assert row_id is not None
        return int(row_id)

    def _compile(self, dialect: Dialect, keys: frozenset[str]) -> tuple[str, list[Bind]]:
        self._sqlite[keys] = _compile(self.statement, dialect, keys)
        return self._sqlite[keys]

    def _pg_run(self, conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
        sql, binds = self._pg_compiled(conn.dialect, frozenset(rows[0]), returning=False)
        params = [_values(binds, row) for row in rows]
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
        params = _values(binds, values)
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
            found = self._pg[(keys, returning)] = _compile(statement, dialect, keys)
        return found


def _unit_connection(session: Session) -> Connection:
    """The connection the session runs on.

    A unit's session is bound to its connection, already in its transaction (database.py): that
    connection is used directly, skipping `session.connection()`, which costs more than a one-row
    write. Any other session takes the usual way.
    """
    bind = session.bind
    if isinstance(bind, Connection) and bind.in_transaction():
        return bind
    return session.connection()


def _values(binds: list[Bind], row: dict[str, Any]) -> list[Any]:
    """The row's values in the statement's order, each converted (inlined: a dozen per row)."""
    return [row.get(n, d) if f is None else f(row.get(n, d)) for n, d, f in binds]


def _compile(
    statement: UpdateBase | Select[Any], dialect: Dialect, keys: frozenset[str]
) -> tuple[str, list[Bind]]:
    """SQL text and value conversions: each value converted as SQLAlchemy converts it for this
    dialect, by the dialect's own variant of its type (asyncpg's JSON, SQLite's datetimes)."""
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
        binds.append((bind.key, bind.value, _bind_conversion(bind.type, dialect)))
    return compiled.string, binds


def _bind_conversion(kind: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    if dialect.name == "sqlite" and isinstance(kind, UTCDateTime):
        return sqlite_text  # SQLAlchemy's own text, in one call (tests/test_storage.py)
    return kind.dialect_impl(dialect).bind_processor(dialect)


def _compile_query(statement: Select[Any], dialect: Dialect, keys: frozenset[str]) -> CompiledQuery:
    """As _compile, with each selected column's conversion of what comes back."""
    sql, binds = _compile(statement, dialect, keys)
    outs = [
        c.type.dialect_impl(dialect).result_processor(dialect, None)
        for c in statement.selected_columns
    ]
    return sql, binds, [(i, f) for i, f in enumerate(outs) if f is not None]


def _computed_default(statement: UpdateBase | Select[Any], key: str) -> bool:
    table = getattr(statement, "table", None)
    column = table.c.get(key) if table is not None else None
    if column is None:
        return False
    default = column.onupdate if isinstance(statement, Update) else column.default
    return default is not None and not getattr(default, "is_scalar", True)


def nothing_to_flush(session: Session) -> bool:
    """True when a prepared query sees what the ORM would: no pending change to autoflush first."""
    return not (session.new or session.dirty or session.deleted)


class PreparedQuery:
    """A SELECT run the same way; rows come back as named tuples with converted values."""

    def __init__(self, statement: Select[Any]) -> None:
        self.statement = statement
        self.row: Any = namedtuple("row", statement.selected_columns.keys())  # type: ignore[misc]
        self._sqlite: CompiledQuery | None = None
        self._pg: CompiledQuery | None = None

    def all(self, session: Session, values: dict[str, Any]) -> list[Any]:
        conn = _unit_connection(session)
        if conn.dialect.name != "sqlite":
            return self._pg_all(conn, values)
        if self._sqlite is None:
            self._sqlite = _compile_query(self.statement, conn.dialect, frozenset(values))
        sql, binds, outs = self._sqlite
        raw = conn.connection.driver_connection
        assert raw is not None
        return self._rows(raw.execute(sql, _values(binds, values)).fetchall(), outs)

    def _pg_all(self, conn: Connection, values: dict[str, Any]) -> list[Any]:
        if self._pg is None:
            self._pg = _compile_query(self.statement, conn.dialect, frozenset(values))
        sql, binds, outs = self._pg
        raw = conn.connection.driver_connection
        assert raw is not None
        asyncpg_driver.begin(conn)
        params = _values(binds, values)
        return self._rows(asyncpg_driver.wait(conn, sql, raw.fetch(sql, *params)), outs)

    def _rows(self, rows: Sequence[Any], outs: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
        make = self.row._make
        if not outs:  # most queries: every value as the driver gives it
            return [make(r) for r in rows]
        made = []
        for r in rows:
            values = list(r)
            for i, convert in outs:
                values[i] = convert(values[i])
            made.append(make(values))
        return made
