"""Database URLs: one setting, the right driver for each path, never a password in messages."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import URL, make_url


def parse(url: str) -> URL:
    return make_url(url)


def is_sqlite(url: str) -> bool:
    return parse(url).get_backend_name() == "sqlite"


def async_url(url: str) -> URL:
    """The asyncio driver URL (Alembic's async env, PostgreSQL at run time)."""
    u = parse(url)
    if u.get_backend_name() == "sqlite":
        return u.set(drivername="sqlite+aiosqlite")
    return u.set(drivername="postgresql+asyncpg")


def sync_sqlite_url(url: str) -> URL:
    """SQLite runs each unit of work as one synchronous transaction in a worker thread."""
    return parse(url).set(drivername="sqlite+pysqlite")


def safe(url: str | URL) -> str:
    """The URL as it may be shown to an operator: no password."""
    u = parse(url) if isinstance(url, str) else url
    return u.render_as_string(hide_password=True)


def ensure_sqlite_dir(url: str) -> None:
    """Create the folder of a SQLite file so the zero-setup default needs nothing."""
    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for an in-memory database or another backend."""
    u = parse(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:":
        return Path(u.database).expanduser()
    return None


def key_file(url: str) -> Path:
    """The local encryption key lives next to the SQLite file it protects."""
    path = sqlite_file(url)
    return path.parent / "encryption.key" if path is not None else Path("data/encryption.key")
