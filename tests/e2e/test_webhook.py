"""Webhook mode end to end: the real bot process receives updates by HTTP POST from the fake."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
import urllib.request
import zoneinfo
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from bot.channels.telegram_updates import ALLOWED_UPDATES
from bot.storage.database import Database
from bot.storage.models import InboxUpdate, Reminder, User
from tests.databases import postgres_admin_url
from tests.e2e.harness import TOKEN, Bot, table_rows, texts, wait_text
from tests.e2e.webhook_harness import SECRET, WEBHOOK_URL, WebhookBot, metrics, webhook_bots
from tests.fake_telegram import FakeTelegram, Fault, make_message, make_update, make_user
from tests.fake_telegram.webhook import post


def test_webhook_refuses_a_wrong_secret_and_handles_a_retry_once(
    db_url: str, tmp_path: Path
) -> None:
    with webhook_bots(db_url, tmp_path, LOG_FORMAT="json") as (tg, [bot]):
        assert tg.webhook["url"] == WEBHOOK_URL
        assert tg.webhook["secret_token"] == SECRET
        assert tg.webhook["allowed_updates"] == ALLOWED_UPDATES
        start = make_update("message", make_message("/start", make_user(41)), update_id=7001)

        assert post(bot.base, WEBHOOK_URL, start, None) == 401
        assert post(bot.base, WEBHOOK_URL, start, "wrong-secret") == 401
        assert post(bot.base, WEBHOOK_URL, start, SECRET[:-1]) == 401
        assert table_rows(db_url, InboxUpdate) == []  # refused means nothing stored

        tg.push_update(start)
        wait_text(tg, 41, "Sveiki!")
        assert post(bot.base, WEBHOOK_URL, start, SECRET) == 200  # Telegram retrying
        tg.send_text(41, "/help")
        wait_text(tg, 41, "Es atbildu")
        assert len(texts(tg, 41)) == 2  # the retried /start was not answered again

        status, health = bot.get_json("/healthz")
        assert status == 200
        assert health == {"database": "ok", "outbox_depth": health["outbox_depth"]}
        assert isinstance(health["outbox_depth"], int)
        figures = metrics(bot)
        assert figures["pumpurs_updates_handled_total"] == 2
        assert figures["pumpurs_webhook_refused_total"] == 3
        assert figures["pumpurs_send_latency_seconds_count"] >= 2
        assert figures['pumpurs_send_latency_seconds_bucket{le="+Inf"}'] >= 2
        assert figures["pumpurs_unreachable_users"] == 0
        assert figures["pumpurs_database_up"] == 1
        assert "pumpurs_outbox_depth" in figures
    assert {r.status for r in table_rows(db_url, InboxUpdate)} == {"done"}
    for line in bot.log.splitlines():  # LOG_FORMAT=json: every line is one JSON object
        assert {"time", "level", "logger", "message"} <= set(json.loads(line))
    assert "webhook server listening" in bot.log


def test_webhook_answers_bad_requests_politely(db_url: str, tmp_path: Path) -> None:
    with webhook_bots(db_url, tmp_path) as (_tg, [bot]):
        status, _ = bot.get("/telegram/hook")  # only POST delivers updates
        assert status == 405
        assert post(bot.base, WEBHOOK_URL, {"message": {}}, SECRET) == 400  # no update_id
        assert post(bot.base, WEBHOOK_URL + "/elsewhere", {"update_id": 1}, SECRET) == 404
        assert bot.get("/readyz")[0] == 200
        assert table_rows(db_url, InboxUpdate) == []


def daytime_zone() -> str:
    """A zone where it is now working hours, so the reminder is not held for quiet hours."""
    now = dt.datetime.now(dt.UTC)
    for name in (
        "Europe/Riga",
        "Asia/Tokyo",
        "Asia/Kolkata",
        "America/Sao_Paulo",
        "America/Los_Angeles",
        "Pacific/Honolulu",
        "Pacific/Auckland",
        "America/New_York",
    ):
        if 9 <= now.astimezone(zoneinfo.ZoneInfo(name)).hour < 18:
            return name
    raise AssertionError("no zone in working hours")


def add_due_reminder(db_url: str, telegram_id: int) -> None:
    """A person with a reminder due five minutes ago, written before any bot starts."""
    now = dt.datetime.now(dt.UTC)

    def unit(session: Session) -> None:
        user = User(telegram_id=telegram_id, name="Ilze", language="lv", reachable=True)
        session.add(user)
        session.flush()
        session.add(
            Reminder(
                key=f"review_overdue:{user.id}:0:test",
                rule="review_overdue",
                user_id=user.id,
                plan_id=None,
                due_at=now - dt.timedelta(minutes=5),
                status="pending",
                late=False,
                created_at=now,
            )
        )

    async def write() -> None:
        db = Database(db_url)
        try:
            await db.run(unit)
        finally:
            await db.close()

    asyncio.run(write())


@pytest.mark.skipif(
    postgres_admin_url() is None, reason="several processes share one PostgreSQL, not SQLite"
)
def test_two_processes_answer_every_update_once_in_order(db_url: str, tmp_path: Path) -> None:
    add_due_reminder(db_url, 500)
    users = list(range(300, 308))
    script = ["/start", "/menu", "/help", "/menu", "/help", "/menu"]
    with webhook_bots(db_url, tmp_path, count=2, TIMEZONE=daytime_zone()) as (tg, bots):
        targets = [b.base for b in bots]
        for i, command in enumerate(script):
            # Odd rounds reach both processes: a retry after a lost answer, behind a balancer.
            tg.route_webhook(*targets, fan_out=i % 2 == 1)
            for user in users:
                tg.send_text(user, command)
        total = len(users) * len(script)
        tg.wait_for(lambda: sum(len(tg.sent_messages(u)) for u in users) >= total, timeout=60)
        wait_text(tg, 500, "")
        time.sleep(1.5)  # anything sent twice would arrive now
        handled = [metrics(b)["pumpurs_updates_handled_total"] for b in bots]
        received = [metrics(b)["pumpurs_updates_received_total"] for b in bots]
    for user in users:
        shown = texts(tg, user)
        assert len(shown) == len(script), shown
        assert shown[0].startswith("Sveiki!"), shown
        expected = ["Galvenā izvēlne" if c == "/menu" else "Es atbildu" for c in script[1:]]
        assert [s.startswith(e) for s, e in zip(shown[1:], expected, strict=True)] == [True] * len(
            expected
        ), shown
    assert sum(handled) == total  # each stored update was fed to a dispatcher exactly once
    assert all(n > 0 for n in received), received
    assert len(tg.sent_messages(500)) == 1  # the reminder went out once, from one process
    assert [r.status for r in table_rows(db_url, Reminder)] == ["sent"]
    assert {r.status for r in table_rows(db_url, InboxUpdate)} == {"done"}
    assert TOKEN not in "".join(b.log for b in bots)


def test_a_refused_set_webhook_stops_the_bot_with_a_clear_error(
    db_url: str, tmp_path: Path
) -> None:
    with FakeTelegram(token=TOKEN) as tg:
        tg.inject("setWebhook", Fault.server_error(400))
        bot = WebhookBot(tg, db_url, tmp_path / "bot.log")
        bot.start()
        assert bot.proc is not None
        assert bot.proc.wait(timeout=60) == 1
    assert "webhook mode could not start: setWebhook failed" in bot.log
    assert "Traceback" not in bot.log


def test_polling_removes_a_webhook_left_from_webhook_mode(db_url: str, tmp_path: Path) -> None:
    with FakeTelegram(token=TOKEN) as tg:
        left = json.dumps({"url": WEBHOOK_URL, "secret_token": SECRET}).encode()
        headers = {"Content-Type": "application/json"}
        request = urllib.request.Request(f"{tg.api_url}/setWebhook", left, headers)
        urllib.request.urlopen(request, timeout=10).close()
        bot = Bot(tg, db_url, tmp_path / "bot.log")  # no WEBHOOK_URL: polling
        bot.start()
        try:
            tg.send_text(42, "/start")
            wait_text(tg, 42, "Sveiki!", timeout=30)
            assert tg.calls("deleteWebhook")[0].params == {"drop_pending_updates": False}
            assert tg.webhook["url"] == ""
        finally:
            assert bot.stop() == 0
    assert "Traceback" not in bot.log
