"""Fresh databases for tests: a SQLite file, or a new PostgreSQL database per test."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from bot.storage import migrate


def postgres_admin_url() -> str | None:
    """TEST_DATABASE_URL names a PostgreSQL server (and a database to connect to first)."""
    return os.environ.get("TEST_DATABASE_URL") or None


async def _admin(sql: str) -> None:
    url = make_url(postgres_admin_url() or "")
    conn = await asyncpg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        database=url.database or "postgres",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@contextmanager
def fresh_database(tmp_path: Path, *, migrated: bool = True) -> Iterator[str]:
    """Yield the URL of an empty (or migrated) database that is removed afterwards."""
    admin = postgres_admin_url()
    if admin is None:
        url = f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        if migrated:
            migrate.upgrade(url)
        yield url
        return
    name = f"t_{uuid.uuid4().hex[:16]}"
    asyncio.run(_admin(f'CREATE DATABASE "{name}"'))
    url = make_url(admin).set(drivername="postgresql+asyncpg", database=name)
    rendered = url.render_as_string(hide_password=False)
    try:
        if migrated:
            migrate.upgrade(rendered)
        yield rendered
    finally:
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
