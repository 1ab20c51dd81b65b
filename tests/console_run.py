"""Runs `python -m bot chat` as a subprocess with piped input, the way a script or person would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def bot_env(db_url: str, **extra: str) -> dict[str, str]:
    keep = ("PATH", "HOME", "LANG", "TEST_DATABASE_URL")
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update({"DATABASE_URL": db_url, "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING"})
    env["ENCRYPTION_KEY"] = "u9Wn5ydTQ2dV5V7j1J0Vr1hPq6cYb3p0mJ7o2QhYk8M="
    env.update(extra)
    return env


def chat(db_url: str, lines: list[str], *args: str, cwd: Path | None = None) -> str:
    """Type the lines, close stdin, return what the bot printed (asserting a clean exit)."""
    result = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *args],
        input="".join(line + "\n" for line in lines),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=bot_env(db_url),
        timeout=60,
        cwd=cwd or ROOT,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result.stdout


def run_cli(db_url: str, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as an operator runs it, on this database; the caller checks it."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=bot_env(db_url, **env),
        cwd=ROOT,
        timeout=60,
    )


def messages(output: str) -> list[str]:
    return [m for m in output.split("\n\n") if m.strip()]
