"""Operations: health, readiness and metrics, the webhook receiver's refusals, JSON logs."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot import logs
from bot.channels.metrics import Histogram, Sample, exposition
from bot.channels.probes import Probes
from bot.channels.webhook import SECRET_HEADER, WebhookReceiver
from bot.config import SettingsError, load_settings
from bot.storage.database import Database
from bot.storage.repos import inbox, outbox

DOWN = "postgresql+asyncpg://nobody@127.0.0.1:9/nowhere"  # nothing listens on port 9
TOKEN = "123456:ABCdefGHIjklMNOpqrSTUvwxYZ012345"


async def _client(routes: list[web.RouteDef]) -> TestClient[web.Request, web.Application]:
    app = web.Application()
    app.add_routes(routes)
    client = TestClient(TestServer(app))
    await client.start_server()
    return client


@pytest.fixture
async def db(db_url: str) -> AsyncIterator[Database]:
    database = Database(db_url)
    yield database
    await database.close()


def _probes(db: Database, ready: Callable[[], bool] = lambda: True) -> Probes:
    return Probes(db, lambda: [Sample("pumpurs_updates_handled_total", "counter", "x", 3)], ready)


async def test_health_reports_outbox_depth(db: Database) -> None:
    await db.run(lambda s: outbox.add_many(s, [(1, "sendMessage", {"chat_id": 1, "text": "a"})]))
    client = await _client(_probes(db).routes())
    try:
        response = await client.get("/healthz")
        assert response.status == 200
        assert await response.json() == {"database": "ok", "outbox_depth": 1}
        text = await (await client.get("/metrics")).text()
        assert "pumpurs_outbox_depth 1\n" in text
        assert "pumpurs_updates_handled_total 3\n" in text
        assert "# TYPE pumpurs_unreachable_users gauge" in text
    finally:
        await client.close()


async def test_unreachable_database_is_unhealthy_not_a_crash() -> None:
    db = Database(DOWN)
    client = await _client(_probes(db).routes())
    try:
        response = await client.get("/healthz")
        assert response.status == 503
        assert await response.json() == {"database": "unreachable"}
        text = await (await client.get("/metrics")).text()
        assert "pumpurs_database_up 0\n" in text and "outbox_depth" not in text
    finally:
        await client.close()
        await db.close()


async def test_not_ready_until_started_and_again_when_stopping(db: Database) -> None:
    state = {"ready": False}
    client = await _client(_probes(db, lambda: state["ready"]).routes())
    try:
        assert (await client.get("/readyz")).status == 503
        state["ready"] = True
        assert (await client.get("/readyz")).status == 200
        state["ready"] = False  # SIGTERM received
        assert (await client.get("/readyz")).status == 503
    finally:
        await client.close()


async def test_receiver_refuses_without_the_secret_and_stores_once(db: Database) -> None:
    woken: list[bool] = []
    receiver = WebhookReceiver(db, "right_secret", lambda: woken.append(True))
    client = await _client([web.post("/hook", receiver.handle)])
    update = {"update_id": 5, "message": {"message_id": 1, "chat": {"id": 7, "type": "private"}}}
    try:
        for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: "right_secre"}):
            assert (await client.post("/hook", json=update, headers=headers)).status == 401
        assert await db.run(inbox.count_pending) == 0 and not woken
        right = {SECRET_HEADER: "right_secret"}
        assert (await client.post("/hook", data=b"{not json", headers=right)).status == 400
        for _ in range(2):  # the second is Telegram retrying
            assert (await client.post("/hook", json=update, headers=right)).status == 200
        rows = await db.run(lambda s: [(r.update_id, r.chat_id) for r in inbox.pending(s)])
        assert rows == [(5, 7)]
        assert (receiver.received, receiver.refused) == (2, 3)
    finally:
        await client.close()


async def test_receiver_answers_503_when_it_cannot_store() -> None:
    db = Database(DOWN)
    receiver = WebhookReceiver(db, "s", lambda: None)
    client = await _client([web.post("/hook", receiver.handle)])
    try:
        response = await client.post("/hook", json={"update_id": 1}, headers={SECRET_HEADER: "s"})
        assert response.status == 503  # not acknowledged, so Telegram delivers it again
    finally:
        await client.close()
        await db.close()


def test_histogram_buckets_are_cumulative() -> None:
    latency = Histogram(buckets=(0.1, 1.0))
    for seconds in (0.05, 0.5, 0.7, 3.0):
        latency.observe(seconds)
    text = exposition([Sample("lat", "histogram", "Latency", latency)])
    assert 'lat_bucket{le="0.1"} 1\n' in text
    assert 'lat_bucket{le="1"} 3\n' in text
    assert 'lat_bucket{le="+Inf"} 4\n' in text
    assert "lat_count 4\n" in text and "lat_sum 4.250000\n" in text


def test_json_logs_are_one_object_per_line_without_tokens(monkeypatch: pytest.MonkeyPatch) -> None:
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    logs.setup("INFO", "json")
    log = logging.getLogger("bot.test")
    log.info("calling https://api.telegram.org/bot%s/getMe", TOKEN)
    try:
        raise RuntimeError(f"failed at /bot{TOKEN}/sendMessage")
    except RuntimeError:
        log.exception("send failed for update %d", 42)
    lines = stream.getvalue().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "bot.test"
    assert first["message"] == "calling https://api.telegram.org/bot<token>/getMe"
    assert second["message"] == "send failed for update 42"
    assert "RuntimeError" in second["exception"]
    assert TOKEN not in stream.getvalue()
    logs.setup("WARNING")


def test_log_format_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_FORMAT", "JSON")
    assert load_settings(None).log_format == "json"
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match=r"^Invalid setting LOG_FORMAT: .*text or json"):
        load_settings(None)


def test_webhook_mode_needs_a_secret(tmp_path: Path) -> None:
    import os

    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH", "LANG")}
    env.update(BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.lv/hook")
    result = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert result.returncode == 2
    assert "WEBHOOK_SECRET" in result.stderr and "Traceback" not in result.stderr
