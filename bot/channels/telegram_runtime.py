"""`python -m bot run`: updates in (long polling or webhook) through the inbox, the chosen
framework (aiogram or python-telegram-bot), the one sender."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import signal

from bot.app.housekeeping import run_housekeeping
from bot.app.startup import App, open_app
from bot.channels.commands import register_commands
from bot.channels.http_listen import ListenFailed
from bot.channels.inbox_worker import InboxWorker
from bot.channels.instance import instance_name
from bot.channels.metrics import ErrorCount
from bot.channels.polling import sleep
from bot.channels.receive import receive
from bot.channels.sender import Limits, Sender
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.channels.telegram_feeds import open_feed
from bot.channels.telegram_http import BotApi, TelegramError
from bot.channels.unreachable import tell_coordinators
from bot.channels.webhook_server import WebhookStartFailed
from bot.config import Settings
from bot.reminders.worker import run_once

log = logging.getLogger(__name__)


async def run_telegram(settings: Settings, limits: Limits | None = None) -> int:
    app = await open_app(settings)
    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value()
    api = BotApi(settings.telegram_api_base, token)
    feed = await open_feed(settings, app.processor, token)
    # One process per SQLite file, so leases found at start are a killed run's: free them at once.
    owner, sole = instance_name(), app.db.is_sqlite
    sender = Sender(app.db, api, limits, on_unreachable=tell_coordinators, owner=owner, sole=sole)
    worker = InboxWorker(
        app.db,
        feed,
        concurrency=max(2, app.db.concurrency),
        after=sender.wake,
        owner=owner,
        sole=sole,
    )
    stop, started = asyncio.Event(), asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    errors = ErrorCount()
    logging.getLogger().addHandler(errors)
    code = 0
    try:
        await register_commands(api, app.engine)
        app.identity.username = await _username(api)
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(worker.run(stop))
            tasks.create_task(sender.run(stop))
            tasks.create_task(receive(settings, api, app.db, worker, sender, errors, stop, started))
            tasks.create_task(run_housekeeping(app.db, settings.retention_years, stop))
            tasks.create_task(_reminders(app, sender, stop))
            started.set()
            log.info("bot started (%s)", "webhook" if settings.webhook_url else "long polling")
        await sender.drain(5.0)
    except* (WebhookStartFailed, ListenFailed) as failed:
        mode = "webhook mode" if settings.webhook_url else "long polling"
        log.error("%s could not start: %s", mode, failed.exceptions[0])
        code = 1
    finally:
        logging.getLogger().removeHandler(errors)
        await api.close()
        await feed.close()
        await app.close()
    log.info("bot stopped")
    return code


async def _reminders(app: App, sender: Sender, stop: asyncio.Event) -> None:
    """Once a minute: create what is due and queue it; missed ones go out at start, marked late."""
    start = True  # the first run also writes rows for plans that have none
    while not stop.is_set():
        try:
            outcome = await run_once(
                app.db, dt.datetime.now(dt.UTC), app.settings.tz, deliver_to_outbox, start=start
            )
            start = False
            if outcome.sent:
                sender.wake()
        except Exception:
            log.exception("reminders failed; will try again")
        await sleep(stop, 60.0)


async def _username(api: BotApi) -> str | None:
    try:
        me = await api.call("getMe", wait=10)
    except TelegramError as exc:
        log.warning("getMe failed (%s); invitation links will lack the bot name", exc.description)
        return None
    return str(me.get("username")) if isinstance(me, dict) else None
