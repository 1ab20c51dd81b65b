"""PostgreSQL: statements sent straight on a unit's asyncpg connection, from inside its greenlet.

SQLAlchemy's asyncpg adapter starts a transaction lazily, at a connection's first statement; a
statement sent past the adapter must start it the same way, or it would run outside the unit's
transaction. Errors come out as SQLAlchemy's own would (parameters hidden, a dead connection
invalidated), so nothing above storage sees which way a statement went.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, TypeVar

from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, StatementError
from sqlalchemy.util import await_only

T = TypeVar("T")


def begin(conn: Connection) -> None:
    """Send BEGIN now unless the adapter has (a no-op after the unit's first statement)."""
    adapter: Any = conn.connection.dbapi_connection
    # SQLAlchemy 2.0 keeps a flag; 2.1 only the transaction, set once BEGIN succeeded.
    started = getattr(adapter, "_started", None)
    if not (adapter._transaction is not None if started is None else started):
        wait(conn, "BEGIN", adapter._start_transaction())


def wait(conn: Connection, sql: str, call: Awaitable[T]) -> T:
    """Await a driver call; a failure is raised as SQLAlchemy would raise it."""
    try:
        return await_only(call)
    except Exception as exc:
        wrapped = _as_sqlalchemy(conn, sql, exc)
        if wrapped is None:
            raise
        raise wrapped from wrapped.orig
    except BaseException as exc:
        # Cancelled mid-statement: the protocol state is unknown (SQLAlchemy does the same).
        conn.invalidate(exc)
        raise


def count(status: str) -> int:
    """Rows changed, from a command tag such as 'UPDATE 1' or 'INSERT 0 1'."""
    tail = status.rpartition(" ")[2]
    return int(tail) if tail.isdigit() else 0


def _as_sqlalchemy(conn: Connection, sql: str, exc: Exception) -> StatementError | None:
    adapter: Any = conn.connection.dbapi_connection
    dialect = conn.dialect
    base = dialect.loaded_dbapi.Error
    try:
        adapter._handle_exception(exc)  # always raises: the driver's error in DB-API form
    except Exception as translated:
        exc = translated
    if not isinstance(exc, base):
        return None
    gone = dialect.is_disconnect(exc, adapter, None)
    wrapped = DBAPIError.instance(
        sql, None, exc, base, hide_parameters=True, connection_invalidated=gone, dialect=dialect
    )
    if gone:
        conn.invalidate(exc)
    return wrapped
