"""Runs the real bot (`python -m bot run`) as a subprocess against the fake Bot API server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.console_run import ROOT, bot_env, run_cli
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"


class Bot:
    """The bot process; can be killed and started again on the same database."""

    def __init__(self, tg: FakeTelegram, db_url: str, log: Path, **env: str) -> None:
        self.tg, self.db_url, self.log_path = tg, db_url, log
        self.env = env  # extra settings, e.g. webhook mode
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = bot_env(
            self.db_url,
            BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE=self.tg.base_url,
            LOG_LEVEL="INFO",
            # Set per test by tests/e2e/conftest.py: each test runs on every runtime.
            BOT_FRAMEWORK=os.environ.get("BOT_FRAMEWORK", "aiogram"),
            **self.env,
        )
        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"], env=env, cwd=ROOT, stdout=log, stderr=log
        )

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                raise
        return int(self.proc.returncode)

    @property
    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_bot(db_url: str, tmp: Path, **fake: Any) -> Iterator[tuple[FakeTelegram, Bot]]:
    framework = os.environ.get("BOT_FRAMEWORK", "aiogram")
    with FakeTelegram(token=TOKEN, **fake) as tg:
        bot = Bot(tg, db_url, tmp / "bot.log")
        bot.start()
        try:
            yield tg, bot
        finally:
            if bot.proc is not None and bot.proc.poll() is None:
                bot.stop()
            log = bot.log
            assert "Traceback" not in log, log
            assert f"updates are parsed by {framework}" in log  # the runtime under test ran
            assert TOKEN.split(":")[1] not in log  # the token never reaches the logs


def cli_invite(db_url: str, role: str, school: str, *extra: str) -> str:
    """`python -m bot admin invite` as an operator runs it; returns the printed token."""
    result = run_cli(db_url, "admin", "invite", "--role", role, "--school", school, *extra)
    assert result.returncode == 0, result.stderr
    return result.stdout.split("Token: ")[1].split()[0]


def table_rows(db_url: str, model: type) -> list[Any]:
    """Every row of a model's table, read through a fresh connection."""
    import asyncio

    from sqlalchemy import select

    from bot.storage.database import Database

    async def read() -> list[Any]:
        db = Database(db_url)
        try:
            return await db.run(lambda s: list(s.execute(select(model)).scalars()))
        finally:
            await db.close()

    return asyncio.run(read())


def texts(tg: FakeTelegram, chat: int) -> list[str]:
    return [m.get("text", "") for m in tg.sent_messages(chat)]


def last(tg: FakeTelegram, chat: int) -> dict[str, Any]:
    return tg.sent_messages(chat)[-1]


def button(message: dict[str, Any], label_part: str) -> str:
    for row in message.get("reply_markup", {}).get("inline_keyboard", []):
        for b in row:
            if label_part in b["text"]:
                return str(b["callback_data"])
    raise AssertionError(f"no button with {label_part!r} in {message.get('reply_markup')}")


def wait_text(tg: FakeTelegram, chat: int, part: str, timeout: float = 15.0) -> dict[str, Any]:
    """Wait until a message containing `part` arrives in the chat; return it."""

    def found() -> bool:
        return any(part in m.get("text", "") for m in tg.sent_messages(chat))

    tg.wait_for(found, timeout=timeout, description=f"a message with {part!r}")
    return next(m for m in reversed(tg.sent_messages(chat)) if part in m.get("text", ""))


def wait_new(
    tg: FakeTelegram, chat: int, part: str, after: int, timeout: float = 15.0
) -> dict[str, Any]:
    """Wait for a message containing `part` among those sent after the first `after` messages."""

    def found() -> dict[str, Any] | None:
        return next((m for m in tg.sent_messages(chat)[after:] if part in m.get("text", "")), None)

    return tg.wait_for(found, timeout=timeout, description=f"a new message with {part!r}")


def pause(seconds: float) -> None:
    time.sleep(seconds)


__all__ = ["ROOT", "TOKEN", "Bot", "os", "running_bot"]
