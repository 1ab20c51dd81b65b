"""Encryption at rest for sensitive free text: Fernet column types, the key ring and rotation.

The key ring is process-wide and set once at start (`configure(load_keys(settings))`): the first
key encrypts, every key decrypts, so a key can be rotated without downtime. Stored values are text
`enc1:<Fernet token>`; the prefix tells them from plain values written before encryption existed.
Fernet tokens are random, so an encrypted column can be neither searched nor compared in SQL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import MetaData, Table, Text, bindparam, select, type_coerce, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

PREFIX = "enc1:"

_ring: MultiFernet | None = None
_primary: Fernet | None = None


class CryptoError(RuntimeError):
    """Encryption cannot be done; messages never carry plaintext, ciphertext or keys."""


class EncryptionNotConfigured(CryptoError):
    """No key ring: storing the value would mean storing it in the clear."""


class DecryptionError(CryptoError):
    """No configured key opens a stored value."""


def configure(keys: list[bytes]) -> None:
    """Install the key ring: keys[0] encrypts new values, all keys decrypt old ones."""
    global _ring, _primary
    if not keys:
        raise ValueError("configure() needs at least one key")
    fernets = [Fernet(key) for key in keys]
    _ring, _primary = MultiFernet(fernets), fernets[0]


def is_configured() -> bool:
    return _ring is not None


def reset() -> None:
    """Forget the key ring (tests)."""
    global _ring, _primary
    _ring = _primary = None


def _key_ring() -> MultiFernet:
    if _ring is None:
        raise EncryptionNotConfigured(
            "encryption keys are not configured (ENCRYPTION_KEY); refusing to store sensitive "
            "text unencrypted: call bot.storage.crypto.configure(load_keys(settings)) at start"
        )
    return _ring


def encrypt(plain: str) -> str:
    return PREFIX + _key_ring().encrypt(plain.encode("utf-8")).decode("ascii")


def decrypt(stored: str) -> str:
    """The plaintext of a stored value; a legacy value without the prefix is returned as is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _key_ring().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError):
        raise DecryptionError("cannot decrypt: wrong ENCRYPTION_KEY?") from None


class EncryptedText(TypeDecorator[str]):
    """A text column stored encrypted; None stays NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else decrypt(value)


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON-serialisable value stored encrypted; None stays NULL (not JSON null)."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any | None, dialect: Dialect) -> str | None:
        return None if value is None else encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: Any | None, dialect: Dialect) -> Any | None:
        return None if value is None else json.loads(decrypt(value))


def encrypted_columns(metadata: MetaData) -> list[tuple[Table, str]]:
    """Every (table, column name) whose type is EncryptedText or EncryptedJSON."""
    return [
        (table, column.name)
        for table in metadata.sorted_tables
        for column in table.columns
        if isinstance(column.type, EncryptedText | EncryptedJSON)
    ]


def rotate(session: Session, table_columns: Iterable[tuple[Table, str]]) -> int:
    """Re-encrypt with the first key every value it cannot already open; return how many."""
    ring = _key_ring()
    assert _primary is not None
    rewritten = 0
    for table, name in table_columns:
        pk = list(table.primary_key.columns)
        if not pk:
            raise ValueError(f"cannot rotate {table.name}.{name}: the table has no primary key")
        # type_coerce to plain Text reads and writes the stored token, bypassing EncryptedText.
        raw = type_coerce(table.c[name], Text)
        rows = session.execute(select(*pk, raw).where(table.c[name].is_not(None))).all()
        # Parameter names are prefixed so they cannot clash with a column called "token" or "pk_0".
        stmt = (
            update(table)
            .where(*(c == bindparam(f"rot_pk_{i}") for i, c in enumerate(pk)))
            .values({name: bindparam("rot_token", type_=Text())})
        )
        params = []
        for row in rows:
            new = _rotated(ring, _primary, row[-1], f"{table.name}.{name}")
            if new is not None:
                params.append({"rot_token": new} | {f"rot_pk_{i}": row[i] for i in range(len(pk))})
        if params:
            session.execute(stmt, params)
            rewritten += len(params)
    return rewritten


def _rotated(ring: MultiFernet, primary: Fernet, stored: str, where: str) -> str | None:
    """The value under the first key, or None when it already is (so reruns rewrite nothing)."""
    if not stored.startswith(PREFIX):
        return PREFIX + ring.encrypt(stored.encode("utf-8")).decode("ascii")
    token = stored[len(PREFIX) :].encode("ascii")
    try:
        primary.decrypt(token)
        return None
    except InvalidToken:
        pass
    try:
        return PREFIX + ring.rotate(token).decode("ascii")
    except InvalidToken:
        raise DecryptionError(f"{where}: cannot decrypt: wrong ENCRYPTION_KEY?") from None
