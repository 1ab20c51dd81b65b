"""Logging set-up: levels from LOG_LEVEL, and nothing secret or personal in the output."""

from __future__ import annotations

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


def setup(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactTokens())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # httpx logs every request URL (with the token) at INFO; keep such libraries at WARNING.
    for name in _NOISY:
        logging.getLogger(name).setLevel(max(logging.WARNING, root.level))
