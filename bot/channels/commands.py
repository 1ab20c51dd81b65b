"""Registers the chat commands with Telegram, per language (setMyCommands with language_code)."""

from __future__ import annotations

import logging

from bot.channels.telegram_http import BotApi, TelegramError
from bot.core.context import Ctx, Person
from bot.core.engine import Engine
from bot.i18n import LANGUAGES, translator

log = logging.getLogger(__name__)


def command_list(engine: Engine, language: str) -> list[dict[str, str]]:
    """Commands everyone may use, with descriptions in the language."""
    import datetime as dt

    now = dt.datetime.now(dt.UTC)
    guest = Ctx(Person(0, ""), language, now, now.date())
    tr = translator(language)
    return [
        {"command": name, "description": tr.text(f"command.{name}")}
        for name in engine.visible_commands(guest)
    ]


async def register_commands(api: BotApi, engine: Engine) -> None:
    try:
        for language in LANGUAGES:
            commands = command_list(engine, language)
            await api.call("setMyCommands", {"commands": commands, "language_code": language})
        await api.call("setMyCommands", {"commands": command_list(engine, LANGUAGES[0])})
    except TelegramError as exc:
        # The bot works without the command menu; say so and go on.
        log.warning("could not register commands: %s", exc.description)
