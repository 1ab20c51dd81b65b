"""Every end-to-end test runs once per Telegram runtime (BOT_FRAMEWORK=aiogram and ptb)."""

from __future__ import annotations

import os

import pytest

RUNTIMES = ("aiogram", "ptb")


@pytest.fixture(autouse=True, params=RUNTIMES)
def runtime(
    request: pytest.FixtureRequest, _clean_env: None, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The framework the bot process runs on; the harness passes it on as BOT_FRAMEWORK."""
    framework = str(request.param)
    if framework == "ptb" and not os.environ.get("CI"):  # CI installs the extra: never skip there
        pytest.importorskip("telegram.ext", reason="the ptb extra is not installed")
    monkeypatch.setenv("BOT_FRAMEWORK", framework)
    return framework
