"""The one sender against the fake Bot API: limits, 429 for the whole queue, retries, 403."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from bot.channels.sender import Limits, Sender
from bot.channels.telegram_http import BotApi
from bot.storage.database import Database
from bot.storage.models import OutboxMessage, User
from bot.storage.repos import outbox
from tests.fake_telegram import FakeTelegram, Fault

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"
FAST = Limits(per_chat_interval=0.05, max_backoff=0.2)


async def _queue(db: Database, calls: list[tuple[int, str]]) -> None:
    rows: list[tuple[int, str, dict[str, Any]]] = [
        (chat, "sendMessage", {"chat_id": chat, "text": text}) for chat, text in calls
    ]
    await db.run(lambda s: outbox.add_many(s, rows))


def _texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in tg.sent_messages(chat)]


async def test_order_per_chat_survives_server_errors_and_drops(db_url: str) -> None:
    db = Database(db_url)
    async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN) as api:
        tg.inject("sendMessage", Fault.server_error(500), Fault.drop(), Fault.server_error(503))
        await _queue(db, [(1, "one"), (1, "two"), (1, "three"), (2, "other")])
        sender = Sender(db, api, FAST)
        assert await sender.drain(20)
        assert _texts(tg, 1) == ["one", "two", "three"]
        assert _texts(tg, 2) == ["other"]
    states = await db.run(lambda s: [r.state for r in s.execute(select(OutboxMessage)).scalars()])
    assert states == ["sent"] * 4
    await db.close()


async def test_429_pauses_the_whole_queue(db_url: str) -> None:
    db = Database(db_url)
    async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN) as api:
        tg.inject("sendMessage", Fault.retry_after(2))
        await _queue(db, [(1, "a"), (2, "b"), (3, "c")])
        sender = Sender(db, api, Limits(per_chat_interval=0.05, concurrency=1))
        started = time.monotonic()
        assert await sender.drain(20)
        ok = [c for c in tg.calls("sendMessage") if c.ok]
        assert len(ok) == 3
        first_429 = next(c for c in tg.calls("sendMessage") if c.status == 429).time
        assert all(c.time - first_429 >= 1.9 for c in ok)  # nobody was sent to during the pause
        assert time.monotonic() - started >= 2
    await db.close()


async def test_global_and_per_chat_limits_hold(db_url: str) -> None:
    db = Database(db_url)
    async with (
        FakeTelegram(token=TOKEN, global_rate=30, per_chat_rate=1) as tg,
        BotApi(tg.base_url, TOKEN) as api,
    ):
        await _queue(db, [(chat, "hi") for chat in range(1, 41)] + [(1, "again"), (1, "more")])
        assert await Sender(db, api).drain(30)
        assert tg.http_429 == 0
        assert _texts(tg, 1) == ["hi", "again", "more"]
    await db.close()


async def test_403_marks_person_unreachable_and_drops_their_queue(db_url: str) -> None:
    db = Database(db_url)

    def person(s: Any) -> None:
        s.add(User(telegram_id=7, name="Ieva", language="lv"))

    await db.run(person)
    async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN) as api:
        tg.block_user(7)
        told: list[int] = []
        await _queue(db, [(7, "x"), (7, "y"), (8, "z")])
        sender = Sender(db, api, FAST, on_unreachable=lambda s, chat: told.append(chat))
        assert await sender.drain(20)
        assert _texts(tg, 8) == ["z"] and not _texts(tg, 7)
        assert told == [7]
        assert len([c for c in tg.calls("sendMessage") if c.status == 403]) == 1
    reachable = await db.run(lambda s: s.execute(select(User.reachable)).scalar_one())
    assert reachable is False
    await db.close()
