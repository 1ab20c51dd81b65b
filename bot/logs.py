"""Logging set-up: levels from LOG_LEVEL, text or JSON lines from LOG_FORMAT, and nothing secret
or personal in the output (messages carry ids and kinds, never names or texts)."""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys

# Bot API URLs carry the token (`/bot123:ABC/sendMessage`); mask any that slips into a record.
_TOKEN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{20,}")
_NOISY = (
    "httpx",
    "httpcore",
    "aiohttp.access",
    "aiogram.event",
    "telegram",  # python-telegram-bot: telegram.Bot logs requests at DEBUG, telegram.ext more
    "asyncio",
    "aiosqlite",  # logs each statement with its bound parameters (pupil names) at DEBUG
    "sqlalchemy.engine",  # echo would print statements with parameters
    "alembic",
)


_FORMAT = logging.Formatter()


class RedactTokens(logging.Filter):
    """Replaces anything shaped like a bot token with a placeholder."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _TOKEN.search(message):
            record.msg = _TOKEN.sub("<token>", message)
            record.args = None
        # A traceback can quote the token too (PTB's InvalidToken does); the formatter prints
        # exc_text when set, so format it here once and mask it.
        if record.exc_info and not record.exc_text:
            record.exc_text = _FORMAT.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _TOKEN.sub("<token>", record.exc_text)
        if record.stack_info:
            record.stack_info = _TOKEN.sub("<token>", record.stack_info)
        return True


class TextFormatter(logging.Formatter):
    """One line per record; tracebacks are masked too (an exception text may hold a URL)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        return _TOKEN.sub("<token>", super().format(record))


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log collectors: time, level, logger, message, exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return _TOKEN.sub("<token>", json.dumps(entry, ensure_ascii=False))


def setup(level: str = "INFO", fmt: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactTokens())
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (with the token) at INFO; keep such libraries at WARNING.
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
