"""Shared fixtures: a fresh database on SQLite, or on PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.storage import crypto
from tests.databases import fresh_database

# A fixed key for the test run (subprocesses get it as ENCRYPTION_KEY, see console_run.py).
TEST_KEY = b"u9Wn5ydTQ2dV5V7j1J0Vr1hPq6cYb3p0mJ7o2QhYk8M="


@pytest.fixture(autouse=True)
def _encryption() -> Iterator[None]:
    crypto.configure([TEST_KEY])
    yield
    crypto.reset()


@pytest.fixture(autouse=True)
def _logging_as_it_was() -> Iterator[None]:
    """A test that sets logging up (logs.setup) leaves no levels behind for the next one."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.setLevel(levels.get(name, logging.NOTSET))


@pytest.fixture
def db_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database(tmp_path) as url:
        yield url


@pytest.fixture
def empty_db_url(tmp_path: Path) -> Iterator[str]:
    with fresh_database(tmp_path, migrated=False) as url:
        yield url


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read a developer's .env or real token."""
    for name in (
        "BOT_TOKEN",
        "DATABASE_URL",
        "TELEGRAM_API_BASE",
        "BOT_FRAMEWORK",
        "DEFAULT_LANGUAGE",
        "TIMEZONE",
        "WEBHOOK_URL",
        "WEBHOOK_SECRET",
        "WEBHOOK_LISTEN",
        "ENCRYPTION_KEY",
        "ADMIN_TELEGRAM_IDS",
        "LOG_LEVEL",
        "LOG_FORMAT",
    ):
        monkeypatch.delenv(name, raising=False)
