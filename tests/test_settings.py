"""Settings: defaults, .env, and one clear line per bad variable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_SQLITE_URL, SettingsError, load_settings


def test_defaults_need_nothing() -> None:
    s = load_settings(None)
    assert s.bot_token is None
    assert s.database_url == DEFAULT_SQLITE_URL
    assert s.telegram_api_base == "https://api.telegram.org"
    assert (s.bot_framework, s.default_language, s.timezone) == ("aiogram", "lv", "Europe/Riga")
    assert s.listen_host_port == ("0.0.0.0", 8080)


def test_env_file_is_read(tmp_path: Path) -> None:
    env = tmp_path / ".env"
    env.write_text("BOT_TOKEN=123456:ABCdef_ghi\nADMIN_TELEGRAM_IDS=5, 7\nDEFAULT_LANGUAGE=ru\n")
    s = load_settings(env)
    assert s.bot_token is not None and s.bot_token.get_secret_value() == "123456:ABCdef_ghi"
    assert s.admin_telegram_ids == [5, 7]
    assert s.default_language == "ru"


def test_only_a_chosen_listen_address_opens_a_port_while_polling(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The default address alone: polling listens on nothing.
    assert not load_settings(None).listen_chosen
    env = tmp_path / ".env"
    env.write_text("WEBHOOK_LISTEN=127.0.0.1:9100\n")
    from_file = load_settings(env)
    assert from_file.listen_chosen and from_file.listen_host_port == ("127.0.0.1", 9100)
    monkeypatch.setenv("WEBHOOK_LISTEN", "0.0.0.0:8080")  # the default value, but set on purpose
    assert load_settings(None).listen_chosen


def test_secrets_are_never_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:SECRETsecret")
    monkeypatch.setenv("WEBHOOK_SECRET", "hush")
    s = load_settings(None)
    assert "SECRETsecret" not in repr(s) and "hush" not in str(s)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("BOT_TOKEN", "not a token"),
        ("DATABASE_URL", "mysql://x"),
        ("TELEGRAM_API_BASE", "ftp://x"),
        ("BOT_FRAMEWORK", "telethon"),
        ("DEFAULT_LANGUAGE", "en"),
        ("TIMEZONE", "Europe/Nowhere"),
        ("WEBHOOK_SECRET", "has space"),
        ("WEBHOOK_LISTEN", "8080"),
        ("ADMIN_TELEGRAM_IDS", "12,abc"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_bad_value_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings(None)
    message = str(info.value)
    assert message.startswith(f"Invalid setting {name}:")
    assert len(message.splitlines()) == 1


def _cli(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=60,
    )


def _env(**extra: str) -> dict[str, str]:
    import os

    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "PYTHONPATH", "LANG")}
    return {**keep, **extra}


def test_cli_bad_setting_exits_2_without_traceback(tmp_path: Path) -> None:
    result = _cli("db", "current", env=_env(TIMEZONE="Mars/Base"), cwd=tmp_path)
    assert result.returncode == 2
    assert "Invalid setting TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_run_without_token_points_to_chat(tmp_path: Path) -> None:
    result = _cli("run", env=_env(), cwd=tmp_path)
    assert result.returncode == 2
    assert "BOT_TOKEN" in result.stderr and "python -m bot chat" in result.stderr


def test_unreachable_database_names_url_without_password(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://postgres:s3cret@127.0.0.1:9/nowhere"
    result = _cli("db", "current", env=_env(DATABASE_URL=url), cwd=tmp_path)
    assert result.returncode == 1
    assert "127.0.0.1:9/nowhere" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr


def test_help_lists_every_command(tmp_path: Path) -> None:
    out = _cli("--help", env=_env(), cwd=tmp_path).stdout
    for command in ("run", "chat", "db", "kb", "dialogs", "admin", "reminders"):
        assert f"    {command}" in out


def test_sqlite_default_is_created_and_migrated(tmp_path: Path) -> None:
    result = _cli("db", "upgrade", env=_env(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "bot.db").exists()
    assert "up to date" in _cli("db", "current", env=_env(), cwd=tmp_path).stdout
