"""Where encryption keys come from: ENCRYPTION_KEY, or a local key file on the SQLite default."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from cryptography.fernet import Fernet

from bot.config import Settings

log = logging.getLogger(__name__)

GENKEY_HINT = "generate one with: python -m bot admin genkey"


class KeyConfigError(Exception):
    """The keys are missing or malformed; the message names the fix, never a key."""


def load_keys(
    settings: Settings, *, sqlite_key_path: Path = Path("data/encryption.key")
) -> list[bytes]:
    """The key ring, newest first: ENCRYPTION_KEY=new,old keeps old data readable while rotating."""
    if settings.encryption_key is not None:
        return _parse(settings.encryption_key.get_secret_value())
    if settings.is_sqlite:
        created = not sqlite_key_path.exists()
        key = _create(sqlite_key_path) if created else _read(sqlite_key_path)
        log.warning(
            "ENCRYPTION_KEY is not set: sensitive text is encrypted with the local key file %s "
            "(%s). Back it up together with the database: without it the data cannot be read. "
            "In production set ENCRYPTION_KEY (%s).",
            sqlite_key_path,
            "created now" if created else "existing",
            GENKEY_HINT,
        )
        return [key]
    raise KeyConfigError(
        f"ENCRYPTION_KEY is required with PostgreSQL: {GENKEY_HINT}, set it in the environment "
        "and keep a copy safe (without it the data cannot be read)."
    )


def _parse(value: str) -> list[bytes]:
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        raise KeyConfigError(f"Invalid setting ENCRYPTION_KEY: it holds no key; {GENKEY_HINT}.")
    for n, part in enumerate(parts, start=1):
        if not _valid(part.encode("ascii", "replace")):
            where = f"key {n} of {len(parts)}" if len(parts) > 1 else "the key"
            raise KeyConfigError(
                f"Invalid setting ENCRYPTION_KEY: {where} is not a Fernet key "
                f"(32 url-safe base64-encoded bytes); {GENKEY_HINT}."
            )
    return [p.encode("ascii") for p in parts]


def _valid(key: bytes) -> bool:
    try:
        Fernet(key)
    except ValueError:  # binascii.Error is a ValueError too
        return False
    return True


def _read(path: Path) -> bytes:
    key = path.read_bytes().strip()
    if not _valid(key):
        raise KeyConfigError(
            f"The local key file {path} does not hold a Fernet key; restore it from the backup "
            f"made with the database, or set ENCRYPTION_KEY ({GENKEY_HINT})."
        )
    return key


def _create(path: Path) -> bytes:
    """Write a new key with mode 0600 without ever clobbering one another process just wrote."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)  # also when a stale temp file existed with other bits
        os.write(fd, key + b"\n")
        os.fsync(fd)  # a key lost in a crash is data lost for good
    finally:
        os.close(fd)
    try:
        # link() publishes the whole file atomically and fails if another process won the race.
        os.link(tmp, path)
    except FileExistsError:
        return _read(path)
    finally:
        tmp.unlink()
    return key
