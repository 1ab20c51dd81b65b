"""Bot processes with a port (webhook mode, or polling with probes) against the fake Bot API."""

from __future__ import annotations

import json
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from tests.e2e.harness import TOKEN, Bot
from tests.fake_telegram import FakeTelegram

WEBHOOK_URL = "https://bot.example.lv/telegram/hook"
SECRET = "s3cret_Webhook-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ListeningBot(Bot):
    """A bot process with WEBHOOK_LISTEN on its own loopback port: the probes, maybe a webhook."""

    def __init__(self, tg: FakeTelegram, db_url: str, log: Path, **env: str) -> None:
        self.port = free_port()
        super().__init__(tg, db_url, log, WEBHOOK_LISTEN=f"127.0.0.1:{self.port}", **env)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return int(exc.code), exc.read().decode()
        except (urllib.error.URLError, OSError):
            return 0, ""

    def wait_ready(self, timeout: float = 60.0) -> None:
        """Poll /readyz (another process: nothing to wait on but its answer)."""
        deadline = time.monotonic() + timeout
        while self.get("/readyz")[0] != 200:
            assert self.proc is not None and self.proc.poll() is None, self.log
            assert time.monotonic() < deadline, f"bot not ready after {timeout}s:\n{self.log}"
            time.sleep(0.1)

    def get_json(self, path: str) -> tuple[int, Any]:
        status, body = self.get(path)
        return status, json.loads(body) if body else None


def metrics(bot: ListeningBot) -> dict[str, float]:
    """The bot's /metrics as name -> value (histogram buckets keep their label in the name)."""
    status, body = bot.get("/metrics")
    assert status == 200, body
    return {
        name: float(value)
        for line in body.splitlines()
        if line and not line.startswith("#")
        for name, value in [line.rsplit(" ", 1)]
    }


class WebhookBot(ListeningBot):
    """A bot process in webhook mode: Telegram (the fake) posts updates to its port."""

    def __init__(self, tg: FakeTelegram, db_url: str, log: Path, **env: str) -> None:
        super().__init__(tg, db_url, log, WEBHOOK_URL=WEBHOOK_URL, WEBHOOK_SECRET=SECRET, **env)


@contextmanager
def webhook_bots(
    db_url: str, tmp: Path, count: int = 1, **env: str
) -> Iterator[tuple[FakeTelegram, list[WebhookBot]]]:
    """Start `count` bot processes on one database; yields once every one reports ready."""
    with FakeTelegram(token=TOKEN) as tg, ExitStack() as stack:
        bots = [WebhookBot(tg, db_url, tmp / f"bot{i}.log", **env) for i in range(count)]
        for bot in bots:
            bot.start()
            stack.callback(_stop, bot)
        for bot in bots:
            bot.wait_ready()
        tg.route_webhook(*(b.base for b in bots))
        yield tg, bots


def _stop(bot: WebhookBot) -> None:
    if bot.proc is not None and bot.proc.poll() is None:
        bot.stop()
    log = bot.log
    assert "Traceback" not in log, log
    assert TOKEN.split(":")[1] not in log  # the token never reaches the logs
