"""Sensitive text is unreadable in the raw database, survives key rotation and fails loudly."""

from __future__ import annotations

import argparse
import json
import logging
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Column, Engine, Integer, MetaData, Table, create_engine, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.orm import Session

from bot.cli import keys as cli_keys
from bot.config import Settings
from bot.storage import crypto
from bot.storage.crypto import DecryptionError, EncryptedJSON, EncryptedText
from bot.storage.keys import KeyConfigError, load_keys

# Diacritics or Cyrillic in every 4-character window, so no window can occur by chance in base64.
NOTE = "Ģimeņu stāsts: bērns bieži kavē mācības 😟 — Мама говорит, ребёнок устал 🙏"
DATA = {"ģimeņu": "Бабушка помогает ✨", "sīkāk": ["bēdīgs", "mācās"], "n": 3}
KEY_A, KEY_B = Fernet.generate_key(), Fernet.generate_key()

metadata = MetaData()
notes = Table(
    "notes",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("note", EncryptedText),
    Column("data", EncryptedJSON),
)


@pytest.fixture(autouse=True)
def _no_keys() -> Iterator[None]:
    crypto.reset()
    yield
    crypto.reset()


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    eng = create_engine(f"sqlite:///{tmp_path / 'crypto.db'}", hide_parameters=True)
    metadata.create_all(eng)
    yield eng
    eng.dispose()


def _insert(engine: Engine, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(notes.insert().values(**values))


def _read(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(notes.c.note, notes.c.data).order_by("id"))]


def _raw(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text("SELECT note, data FROM notes ORDER BY id"))]


def test_round_trip_keeps_text_and_json(engine: Engine) -> None:
    crypto.configure([KEY_A])
    _insert(engine, id=1, note=NOTE, data=DATA)
    _insert(engine, id=2, note=None, data=None)
    assert _read(engine) == [(NOTE, DATA), (None, None)]


def test_raw_column_shows_no_plaintext(engine: Engine) -> None:
    crypto.configure([KEY_A])
    _insert(engine, id=1, note=NOTE, data=DATA)
    ((note, data),) = _raw(engine)
    assert note.startswith(crypto.PREFIX) and data.startswith(crypto.PREFIX)
    for plain, stored in ((NOTE, note), (json.dumps(DATA, ensure_ascii=False), data)):
        leaked = {plain[i : i + 4] for i in range(len(plain) - 3)} & {
            stored[i : i + 4] for i in range(len(stored) - 3)
        }
        assert not leaked


def test_unconfigured_refuses_to_store(engine: Engine) -> None:
    # SQLAlchemy wraps errors raised while binding; the cause stays reachable as .orig.
    with pytest.raises(StatementError) as info:
        _insert(engine, id=1, note=NOTE)
    assert isinstance(info.value.orig, crypto.EncryptionNotConfigured)
    assert "not configured" in str(info.value) and NOTE not in str(info.value)
    with pytest.raises(crypto.EncryptionNotConfigured):
        crypto.encrypt("x")
    assert _raw(engine) == []


def test_rotation_moves_data_to_the_new_key(engine: Engine) -> None:
    crypto.configure([KEY_A])
    _insert(engine, id=1, note=NOTE, data=DATA)
    _insert(engine, id=2, note="Īss", data=None)
    crypto.configure([KEY_B, KEY_A])
    pairs = crypto.encrypted_columns(metadata)
    assert [(t.name, c) for t, c in pairs] == [("notes", "note"), ("notes", "data")]
    with Session(engine) as s, s.begin():
        assert crypto.rotate(s, pairs) == 3
    with Session(engine) as s, s.begin():
        assert crypto.rotate(s, pairs) == 0  # already under the first key
    crypto.configure([KEY_B])
    assert _read(engine) == [(NOTE, DATA), ("Īss", None)]
    crypto.configure([KEY_A])
    with pytest.raises(DecryptionError) as info:
        _read(engine)
    message = str(info.value)
    assert message == "cannot decrypt: wrong ENCRYPTION_KEY?"
    with Session(engine) as s, pytest.raises(DecryptionError, match=r"notes\.note: cannot"):
        crypto.rotate(s, pairs)


def test_legacy_plain_values_are_read_and_encrypted_by_rotate(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO notes (id, note, data) VALUES (1, 'vecs', '[1]')"))
    crypto.configure([KEY_A])
    assert _read(engine) == [("vecs", [1])]
    with Session(engine) as s, s.begin():
        assert crypto.rotate(s, crypto.encrypted_columns(metadata)) == 2
    assert all(v.startswith(crypto.PREFIX) for v in _raw(engine)[0])
    assert _read(engine) == [("vecs", [1])]


def _settings(url: str = "sqlite+aiosqlite:///x.db", key: str | None = None) -> Settings:
    return Settings(_env_file=None, database_url=url, encryption_key=key)  # type: ignore[call-arg]


def test_load_keys_from_setting_in_order(tmp_path: Path) -> None:
    key_file = tmp_path / "k"
    assert load_keys(_settings(key=KEY_A.decode()), sqlite_key_path=key_file) == [KEY_A]
    both = f" {KEY_B.decode()} , {KEY_A.decode()} "
    assert load_keys(_settings(key=both), sqlite_key_path=key_file) == [KEY_B, KEY_A]
    assert not key_file.exists()


@pytest.mark.parametrize("bad", ["not-a-fernet-key-at-all", "{good},tooshortAAAA", ","])
def test_invalid_key_names_the_setting_not_the_value(tmp_path: Path, bad: str) -> None:
    bad = bad.format(good=KEY_A.decode())
    with pytest.raises(KeyConfigError) as info:
        load_keys(_settings(key=bad), sqlite_key_path=tmp_path / "k")
    message = str(info.value)
    assert "ENCRYPTION_KEY" in message and "python -m bot admin genkey" in message
    assert all(part not in message for part in bad.split(",") if part)


def test_sqlite_default_creates_a_private_key_file_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "data" / "sub" / "encryption.key"
    with caplog.at_level(logging.WARNING, logger="bot.storage.keys"):
        first = load_keys(_settings(), sqlite_key_path=path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    Fernet(first[0])
    warnings = [r for r in caplog.records if r.name == "bot.storage.keys"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "ENCRYPTION_KEY" in caplog.text and "back it up" in caplog.text.lower()
    assert first[0].decode() not in caplog.text
    assert load_keys(_settings(), sqlite_key_path=path) == first
    assert [p.name for p in path.parent.iterdir()] == ["encryption.key"]


def test_postgresql_without_key_refuses(tmp_path: Path) -> None:
    pg = "postgresql+asyncpg://bot@localhost/bot"
    with pytest.raises(KeyConfigError, match="ENCRYPTION_KEY is required with PostgreSQL"):
        load_keys(_settings(pg), sqlite_key_path=tmp_path / "k")
    assert load_keys(_settings(pg, KEY_A.decode()), sqlite_key_path=tmp_path / "k") == [KEY_A]
    assert not (tmp_path / "k").exists()


def _cli() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    cli_keys.register_admin_key_commands(
        sub.add_parser("admin").add_subparsers(dest="a", required=True)
    )
    cli_keys.register_db_key_commands(sub.add_parser("db").add_subparsers(dest="d", required=True))
    return parser


def test_genkey_prints_a_fresh_key(capsys: pytest.CaptureFixture[str]) -> None:
    args = _cli().parse_args(["admin", "genkey"])
    assert args.handler(args) == 0
    Fernet(capsys.readouterr().out.strip().encode())


def test_rotate_key_command_runs_on_the_project_database(
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ENCRYPTION_KEY", f"{KEY_B.decode()},{KEY_A.decode()}")
    args = _cli().parse_args(["db", "rotate-key"])
    assert args.handler(args) == 0
    assert "Re-encrypted 0 value(s)" in capsys.readouterr().out
