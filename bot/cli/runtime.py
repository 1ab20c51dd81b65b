"""`python -m bot run` (Telegram) and `python -m bot chat` (console)."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_USAGE, fail, not_yet, settings_or_exit


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    run = sub.add_parser("run", help="run the Telegram bot (long polling, or webhook)")
    run.set_defaults(handler=handle_run)
    chat = sub.add_parser("chat", help="talk to the bot in this terminal (console channel)")
    chat.add_argument("--user", type=int, default=1, help="numeric user id (default: 1)")
    chat.add_argument("--name", default="", help="first name shown to the bot")
    chat.add_argument("--lang", choices=("lv", "ru"), help="language of a first contact")
    chat.set_defaults(handler=handle_chat)


def handle_run(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    if settings.bot_token is None:
        fail(
            "BOT_TOKEN is not set, so the bot cannot connect to Telegram. Put the token from "
            "BotFather in .env (BOT_TOKEN=...), or try the bot in this terminal: "
            "python -m bot chat",
            EXIT_USAGE,
        )
    not_yet("run", "the conversation engine issue (#3)")


def handle_chat(args: argparse.Namespace) -> int:
    settings_or_exit()
    not_yet("chat", "the conversation engine issue (#3)")
