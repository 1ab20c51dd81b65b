"""Column types shared by the models."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no zone, so we store naive UTC)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        return None if value is None else _naive_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        assert isinstance(value, dt.datetime)
        return value.replace(tzinfo=dt.UTC)


def sqlite_text(value: dt.datetime | None) -> str | None:
    """What SQLAlchemy writes to SQLite for a UTCDateTime value, in one call instead of three.

    Its SQLite DATETIME stores "YYYY-MM-DD HH:MM:SS.ffffff" (microseconds always); prepared.py
    binds this on the hot path, where each unit writes several timestamps.
    """
    if value is None:
        return None
    if value.tzinfo is dt.UTC:  # most values come from utcnow()
        return value.isoformat(" ", "microseconds")[:-6]  # without its "+00:00"
    return _naive_utc(value).isoformat(" ", "microseconds")


def _naive_utc(value: dt.datetime) -> dt.datetime:
    zone = value.tzinfo
    if zone is None:
        raise ValueError("naive datetime given to a UTC column")
    if zone is not dt.UTC:  # most values come from utcnow(): no conversion needed
        value = value.astimezone(dt.UTC)
    return value.replace(tzinfo=None)


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
