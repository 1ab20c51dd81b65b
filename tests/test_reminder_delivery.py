"""Reminders through the sender against the fake Bot API: 403 tells the coordinator, 429 waits."""

from __future__ import annotations

import asyncio
import datetime as dt
import time
from typing import Any

from sqlalchemy import select

from bot.channels.sender import Limits, Sender
from bot.channels.telegram_http import BotApi
from bot.channels.unreachable import tell_coordinators
from bot.storage.database import Database
from bot.storage.models import Membership, ReminderPreference, User
from bot.storage.repos import outbox
from tests.fake_telegram import FakeTelegram, Fault
from tests.reminder_world import local, person, plan, rows, run, school_with_staff, unit

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"
FAST = Limits(per_chat_interval=0.05, max_backoff=0.2)
SEEDED = dt.datetime(2027, 1, 1, tzinfo=dt.UTC)


def _texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [m["text"] for m in tg.sent_messages(chat)]


async def _drain(db_url: str, tg: FakeTelegram, calls: list[tuple[int, str]]) -> None:
    db = Database(db_url)
    queued: list[tuple[int, str, dict[str, Any]]] = [
        (chat, "sendMessage", {"chat_id": chat, "text": text}) for chat, text in calls
    ]
    await db.run(lambda s: outbox.add_many(s, queued))
    async with BotApi(tg.base_url, TOKEN) as api:
        assert await Sender(db, api, FAST, on_unreachable=tell_coordinators).drain(20)
    await db.close()


def test_403_marks_the_person_and_tells_each_coordinator_once(db_url: str) -> None:
    def world(s: Any) -> None:
        w = school_with_staff(s)
        head = person(s, 604, "Jānis")  # the school has a coordinator: the head is not told
        s.add(Membership(user_id=head.id, school_id=w["school"], role="head"))

    unit(db_url, world, SEEDED)

    async def go() -> None:
        async with FakeTelegram(token=TOKEN) as tg:
            tg.block_user(603)
            await _drain(db_url, tg, [(603, "one"), (603, "two"), (601, "hello")])
            await _drain(db_url, tg, [(603, "three")])  # blocked still: no second notice
            assert _texts(tg, 602) == [
                "Бот заблокирован пользователем: Ilze (родитель). Сообщения и напоминания "
                "больше не доставляются. Пожалуйста, свяжитесь другим способом."
            ]
            assert _texts(tg, 601) == ["hello"] and _texts(tg, 604) == []

    asyncio.run(go())
    assert rows(db_url, select(User.telegram_id).where(User.reachable.is_(False))) == [(603,)]


def test_a_teacher_blocking_the_bot_is_named_with_their_role_to_the_head(db_url: str) -> None:
    def world(s: Any) -> None:
        w = school_with_staff(s)
        coordinator = s.get(User, w["coordinator"])
        coordinator.reachable = False  # told nothing: cannot be reached either
        head = person(s, 604, "Jānis")
        s.add(Membership(user_id=head.id, school_id=w["school"], role="head"))
        s.execute(
            Membership.__table__.update()
            .where(Membership.user_id == w["coordinator"])
            .values(active=False)
        )

    unit(db_url, world, SEEDED)

    async def go() -> None:
        async with FakeTelegram(token=TOKEN) as tg:
            tg.block_user(601)
            await _drain(db_url, tg, [(601, "x")])
            assert _texts(tg, 604) == [
                "Anna (klases audzinātājs (plāna sagatavotājs)) bloķēja botu, tāpēc ziņas un "
                "atgādinājumi vairs netiek piegādāti. Lūdzu, sazinieties citādi."
            ]

    asyncio.run(go())


def test_a_due_reminder_waits_out_429_and_arrives_once(db_url: str) -> None:
    w = unit(db_url, school_with_staff, SEEDED)
    since = dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC)
    unit(db_url, lambda s: plan(s, w, "approval", since=since), SEEDED)
    no_digest = ReminderPreference(user_id=w["coordinator"], off="digest")
    unit(db_url, lambda s: s.add(no_digest), SEEDED)
    assert run(db_url, local(dt.date(2027, 1, 14), 9)).sent == 1

    async def go() -> None:
        db = Database(db_url)
        async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN) as api:
            tg.inject("sendMessage", Fault.retry_after(1))
            started = time.monotonic()
            assert await Sender(db, api, FAST).drain(20)
            assert time.monotonic() - started >= 1.0  # the queue paused for retry_after
            (text,) = _texts(tg, 602)
            assert "ждёт вашего согласования" in text
            assert [c.status for c in tg.calls("sendMessage")] == [429, 200]
        await db.close()

    asyncio.run(go())
