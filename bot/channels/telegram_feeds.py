"""Chooses the framework that turns stored raw updates into core events (BOT_FRAMEWORK)."""

from __future__ import annotations

import logging
from typing import Any, Protocol

from bot.app.processor import Processor
from bot.config import Settings

log = logging.getLogger(__name__)
PTB_MISSING = (
    "BOT_FRAMEWORK=ptb needs python-telegram-bot, which is not installed. Install the ptb extra "
    '(scripts/setup "dev,ptb" or pip install ".[ptb]"), or unset BOT_FRAMEWORK to use aiogram.'
)


class Feed(Protocol):
    """Processes one stored update (the inbox worker's feed); closed when the bot stops."""

    async def __call__(self, update_id: int, payload: dict[str, Any]) -> None: ...

    async def close(self) -> None: ...


def framework_missing(settings: Settings) -> str | None:
    """Why the chosen framework cannot run here, in one line; None when it can."""
    if settings.bot_framework != "ptb":
        return None
    try:
        from telegram.ext import ApplicationBuilder  # noqa: F401  (absent before PTB 20)
    except ImportError:
        return PTB_MISSING
    return None


async def open_feed(settings: Settings, processor: Processor, token: str) -> Feed:
    """The framework's feed for the inbox worker; everything around it is shared."""
    base = settings.telegram_api_base
    log.info("updates are parsed by %s", settings.bot_framework)
    if settings.bot_framework == "ptb":
        # Imported here: python-telegram-bot is an optional extra.
        from bot.channels.ptb_app import PtbFeed

        return await PtbFeed.open(processor, base, token)
    from bot.channels.aiogram_app import AiogramFeed

    return AiogramFeed(processor, base, token)
