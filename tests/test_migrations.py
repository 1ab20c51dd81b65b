"""Migrations go up, down and up again, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine

from bot.storage import migrate, urls
from bot.storage.models import Base


def _tables(url: str) -> set[str]:
    async def read() -> set[str]:
        engine = create_async_engine(urls.async_url(url))
        try:
            async with engine.connect() as conn:
                return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        finally:
            await engine.dispose()

    return asyncio.run(read())


def test_up_down_up(empty_db_url: str) -> None:
    expected = set(Base.metadata.tables)
    migrate.upgrade(empty_db_url)
    assert migrate.current_revision(empty_db_url) == migrate.head_revision()
    assert expected <= _tables(empty_db_url)
    migrate.downgrade(empty_db_url, "base")
    assert migrate.current_revision(empty_db_url) is None
    assert not expected & _tables(empty_db_url)
    migrate.upgrade(empty_db_url)
    assert expected <= _tables(empty_db_url)


def test_upgrade_if_needed_runs_once(empty_db_url: str) -> None:
    assert migrate.upgrade_if_needed(empty_db_url) is True
    assert migrate.upgrade_if_needed(empty_db_url) is False


def test_models_match_migrations(db_url: str) -> None:
    """Every model column exists in the migrated schema (a forgotten migration fails here)."""

    async def columns() -> dict[str, set[str]]:
        engine = create_async_engine(urls.async_url(db_url))
        try:
            async with engine.connect() as conn:
                return await conn.run_sync(
                    lambda c: {
                        t: {col["name"] for col in inspect(c).get_columns(t)}
                        for t in Base.metadata.tables
                    }
                )
        finally:
            await engine.dispose()

    found = asyncio.run(columns())
    for name, table in Base.metadata.tables.items():
        assert {c.name for c in table.columns} <= found[name], name


def test_audit_log_is_append_only(db_url: str) -> None:
    async def tamper() -> None:
        engine = create_async_engine(urls.async_url(db_url))
        try:
            async with engine.begin() as conn:
                await conn.execute(
                    text(
                        "INSERT INTO audit_log (at, action, object_type, details, note) "
                        "VALUES (CURRENT_TIMESTAMP, 'view', 'plan', '{}', '')"
                    )
                )
            for sql in ("UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"):
                with pytest.raises(DBAPIError):
                    async with engine.begin() as conn:
                        await conn.execute(text(sql))
        finally:
            await engine.dispose()

    asyncio.run(tamper())
