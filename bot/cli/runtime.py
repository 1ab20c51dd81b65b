"""`python -m bot run` (Telegram) and `python -m bot chat` (console)."""

from __future__ import annotations

import argparse
import asyncio
import io
import sys

from bot.cli.common import EXIT_USAGE, fail, settings_or_exit
from bot.config import Settings


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
    if settings.webhook_url and settings.webhook_secret is None:
        fail(
            "WEBHOOK_URL is set but WEBHOOK_SECRET is not: without it anyone who finds the URL "
            "could post fake updates. Set WEBHOOK_SECRET to a random string of A-Z, a-z, 0-9, "
            "_ and - (e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))').",
            EXIT_USAGE,
        )
    from bot.channels.telegram_feeds import framework_missing
    from bot.channels.telegram_runtime import run_telegram

    if problem := framework_missing(settings):
        fail(problem, EXIT_USAGE)
    return asyncio.run(run_telegram(settings))


def handle_chat(args: argparse.Namespace) -> int:
    settings = settings_or_exit()
    return asyncio.run(_chat(settings, args))


async def _chat(settings: Settings, args: argparse.Namespace) -> int:
    from bot.app.startup import open_app
    from bot.channels.console import Console, stdin

    app = await open_app(settings)
    try:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
        # With a bot token the Telegram sender delivers the outbox; without one, the console does.
        mailbox = settings.bot_token is None
        console = Console(app.processor, args.user, args.name, args.lang, out, mailbox=mailbox)
        return await console.run(stdin())
    except BrokenPipeError:  # the reader went away (e.g. `| head`): nothing more to say
        return 0
    finally:
        await app.close()
