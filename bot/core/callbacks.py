"""Compact button data: `<serial>:<value>`. It comes from the client, so it is parsed strictly."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from functools import lru_cache

MAX_BYTES = 64  # Telegram's limit for callback_data
_ALPHABET = string.digits + string.ascii_lowercase
# Letters, digits and "-_.:" only (ASCII, so characters are bytes), within Telegram's limit; a
# regex, at a fraction of a set comparison's cost per button.
_ALLOWED_ONLY = re.compile(rf"[A-Za-z0-9\-_.:]{{0,{MAX_BYTES}}}\Z")
# Record ids are 32-bit in the database: a number of ten digits or more was never ours, and looking
# it up would fail in the driver (PostgreSQL: "out of int32 range") instead of being refused.
_HUGE_NUMBER = re.compile(r"\d{10}")


def _well_formed(data: str) -> bool:
    """Within Telegram's limit, of the characters we use, and no number we could not have made."""
    return _ALLOWED_ONLY.match(data) is not None and _HUGE_NUMBER.search(data) is None


def _b36(n: int) -> str:
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = _ALPHABET[r] + out
        if n == 0:
            return out


@dataclass(frozen=True, slots=True)
class Press:
    serial: int
    value: str


# Serials are small and values come from the flows, so the same data recurs on every keyboard.
@lru_cache(maxsize=4096)
def encode(serial: int, value: str) -> str:
    data = f"{_b36(serial)}:{value}"
    if not _well_formed(data):
        raise ValueError(f"button data {data!r} is too long or has odd characters")
    return data


GLOBAL = "G"  # upper case: never a base-36 serial, so never mistaken for one


def encode_global(code: str, arg: str = "") -> str:
    """Data for a button that works on any message: `g:<code>:<arg>`."""
    data = f"{GLOBAL}:{code}:{arg}"
    if not _well_formed(data):
        raise ValueError(f"button data {data!r} is too long or has odd characters")
    return data


def decode_global(data: str) -> tuple[str, str] | None:
    if not data.startswith(GLOBAL + ":") or not _well_formed(data):
        return None
    _, code, arg = [*data.split(":", 2), ""][:3]
    return (code, arg) if code else None


def decode(data: str) -> Press | None:
    """None for anything that is not button data we could have made."""
    if not data or not _well_formed(data):
        return None
    serial, sep, value = data.partition(":")
    if not sep or not value or not serial or not set(serial) <= set(_ALPHABET):
        return None
    return Press(int(serial, 36), value)
