"""Long polling with WEBHOOK_LISTEN set: the real bot serves /healthz, /readyz and /metrics."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from bot.storage.models import InboxUpdate
from tests.e2e.harness import TOKEN, Bot, table_rows, wait_text
from tests.e2e.webhook_harness import ListeningBot, metrics
from tests.fake_telegram import FakeTelegram

pytestmark = pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux /proc")


def listening_ports(pid: int) -> set[int]:
    """The TCP ports the process is listening on, from its sockets in /proc."""
    fds = Path(f"/proc/{pid}/fd")
    inodes = set()
    for fd in fds.iterdir():
        try:
            target = os.readlink(fd)
        except OSError:  # closed since the listing
            continue
        if target.startswith("socket:["):
            inodes.add(target[len("socket:[") : -1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def test_polling_serves_health_readiness_and_metrics(
    db_url: str, tmp_path: Path, runtime: str
) -> None:
    with FakeTelegram(token=TOKEN) as tg:
        bot = ListeningBot(tg, db_url, tmp_path / "bot.log")
        bot.start()
        assert bot.proc is not None
        try:
            bot.wait_ready()  # /readyz 200 once started
            assert bot.get_json("/readyz") == (200, {"ready": True})
            status, health = bot.get_json("/healthz")
            assert status == 200
            assert health == {"database": "ok", "outbox_depth": health["outbox_depth"]}
            assert isinstance(health["outbox_depth"], int)
            before = metrics(bot)
            assert before["pumpurs_database_up"] == 1
            assert "pumpurs_webhook_refused_total" not in before  # nothing is posted to a poller

            tg.send_text(43, "/start")
            wait_text(tg, 43, "Sveiki!", timeout=30)
            after = metrics(bot)
            assert before["pumpurs_updates_received_total"] == 0
            assert (
                after["pumpurs_updates_received_total"] == 1 == len(table_rows(db_url, InboxUpdate))
            )
            assert after["pumpurs_updates_handled_total"] == 1
            assert after["pumpurs_messages_sent_total"] >= 1
            assert listening_ports(bot.proc.pid) == {bot.port}  # the probes' port, nothing else
            assert bot.get("/telegram/hook")[0] == 404  # no webhook route while polling
        finally:
            assert bot.stop() == 0
    assert f"health endpoints listening on 127.0.0.1:{bot.port}" in bot.log
    assert f"updates are parsed by {runtime}" in bot.log  # the runtime under test ran
    assert "Traceback" not in bot.log
    assert TOKEN.split(":")[1] not in bot.log


def test_polling_without_listen_address_opens_no_port(db_url: str, tmp_path: Path) -> None:
    with FakeTelegram(token=TOKEN) as tg:
        bot = Bot(tg, db_url, tmp_path / "bot.log")  # WEBHOOK_LISTEN left at its default
        bot.start()
        assert bot.proc is not None
        try:
            tg.send_text(44, "/start")
            wait_text(tg, 44, "Sveiki!", timeout=30)  # started and polling
            assert listening_ports(bot.proc.pid) == set()
        finally:
            assert bot.stop() == 0
    assert "listening on" not in bot.log
    assert "Traceback" not in bot.log


def test_a_taken_port_stops_the_polling_bot_with_a_clear_error(db_url: str, tmp_path: Path) -> None:
    with socket.socket() as taken, FakeTelegram(token=TOKEN) as tg:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = Bot(tg, db_url, tmp_path / "bot.log", WEBHOOK_LISTEN=f"127.0.0.1:{port}")
        bot.start()
        assert bot.proc is not None
        assert bot.proc.wait(timeout=60) == 1
    expected = f"long polling could not start: health endpoints: cannot listen on 127.0.0.1:{port}"
    assert expected in bot.log
    assert "(WEBHOOK_LISTEN)" in bot.log
    assert "Traceback" not in bot.log
