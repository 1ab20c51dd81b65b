"""Polling mode's probes in-process: not ready before start-up is done, gone once stopped."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from bot.channels.inbox_worker import InboxWorker
from bot.channels.metrics import ErrorCount
from bot.channels.receive import receive
from bot.channels.sender import Sender
from bot.channels.telegram_http import BotApi
from bot.config import Settings
from bot.storage.database import Database
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def _ignore(update_id: int, payload: dict[str, Any]) -> None:
    return None


async def _status(http: aiohttp.ClientSession, url: str) -> int:
    """The HTTP status, or 0 while nothing answers on the port."""
    try:
        async with http.get(url) as response:
            return response.status
    except aiohttp.ClientConnectionError:
        return 0


async def _until(http: aiohttp.ClientSession, url: str, wanted: int) -> None:
    for _ in range(600):  # a bound, not a timing: the loop yields to the bot between tries
        if await _status(http, url) == wanted:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{url} never answered {wanted}")


async def test_polling_probes_follow_start_up_and_close_on_stop(db: Database) -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings(_env_file=None, webhook_listen=f"127.0.0.1:{port}")  # type: ignore[call-arg]
    async with (
        FakeTelegram(token=TOKEN) as tg,
        BotApi(tg.base_url, TOKEN) as api,
        aiohttp.ClientSession() as http,
    ):
        worker = InboxWorker(db, _ignore, concurrency=2)
        stop, started = asyncio.Event(), asyncio.Event()
        args = (settings, api, db, worker, Sender(db, api), ErrorCount(), stop, started)
        async with asyncio.TaskGroup() as tasks:
            receiving = tasks.create_task(receive(*args))
            await _until(http, base + "/healthz", 200)
            assert await _status(http, base + "/readyz") == 503  # start-up not finished yet
            started.set()
            await _until(http, base + "/readyz", 200)
            stop.set()
        assert receiving.done() and receiving.exception() is None
        assert await _status(http, base + "/healthz") == 0  # the port is closed after stop
