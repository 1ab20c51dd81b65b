"""`python -m bot run`: long polling through the inbox, the aiogram dispatcher, the one sender."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.types import Update

from bot.app.housekeeping import run_housekeeping
from bot.app.startup import App, open_app
from bot.channels.aiogram_app import build_dispatcher
from bot.channels.commands import register_commands
from bot.channels.inbox_worker import InboxWorker
from bot.channels.sender import Limits, Sender
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.channels.telegram_http import BotApi, Conflict, TelegramError
from bot.channels.telegram_updates import ALLOWED_UPDATES, chat_of
from bot.config import Settings
from bot.reminders.worker import run_once
from bot.storage.repos import inbox

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25


async def run_telegram(settings: Settings, limits: Limits | None = None) -> int:
    app = await open_app(settings)
    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value()
    api = BotApi(settings.telegram_api_base, token)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    bot = Bot(token=token, session=session)
    dispatcher = build_dispatcher(app.processor)
    sender = Sender(app.db, api, limits)

    async def feed(update_id: int, payload: dict[str, Any]) -> None:
        update = Update.model_validate(payload, context={"bot": bot})
        if await dispatcher.feed_update(bot, update) is UNHANDLED:
            await app.processor.skip(update_id)

    worker = InboxWorker(app.db, feed, concurrency=max(2, app.db.concurrency), after=sender.wake)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        await register_commands(api, app.engine)
        app.identity.username = await _username(api)
        log.info("bot started (long polling)")
        async with asyncio.TaskGroup() as tasks:
            tasks.create_task(worker.run(stop))
            tasks.create_task(sender.run(stop))
            tasks.create_task(_poll(api, app, worker, stop))
            tasks.create_task(run_housekeeping(app.db, settings.retention_years, stop))
            tasks.create_task(_reminders(app, sender, stop))
        await sender.drain(5.0)
    finally:
        await api.close()
        await session.close()
        await app.close()
    log.info("bot stopped")
    return 0


async def _poll(api: BotApi, app: App, worker: InboxWorker, stop: asyncio.Event) -> None:
    """Receive updates; each batch is committed to the inbox before the offset moves past it."""
    offset: int | None = None
    backoff = 1.0
    while not stop.is_set():
        params: dict[str, Any] = {"timeout": POLL_TIMEOUT, "allowed_updates": ALLOWED_UPDATES}
        if offset is not None:
            params["offset"] = offset
        fetch = asyncio.ensure_future(api.call("getUpdates", params, wait=POLL_TIMEOUT + 10))
        stopper = asyncio.ensure_future(stop.wait())
        await asyncio.wait({fetch, stopper}, return_when="FIRST_COMPLETED")
        stopper.cancel()
        if stop.is_set():
            fetch.cancel()  # unacknowledged updates come again after a restart
            with contextlib.suppress(BaseException):
                await fetch
            return
        try:
            updates: list[dict[str, Any]] = fetch.result()
        except Conflict as exc:
            log.error("another bot instance or a webhook is active: %s", exc.description)
            await _sleep(stop, 5.0)
            continue
        except TelegramError as exc:
            log.warning("getUpdates failed (%s); retrying in %.0f s", exc.description, backoff)
            await _sleep(stop, backoff)
            backoff = min(backoff * 2, 30.0)
            continue
        backoff = 1.0
        if updates:
            rows = [(int(u["update_id"]), chat_of(u), u) for u in updates]
            await app.db.run(lambda s, rows=rows: inbox.add_many(s, rows))  # type: ignore[misc]
            offset = max(r[0] for r in rows) + 1
            worker.wake()


async def _reminders(app: App, sender: Sender, stop: asyncio.Event) -> None:
    """Once a minute: create what is due and queue it; missed ones go out at start, marked late."""
    while not stop.is_set():
        try:
            outcome = await run_once(
                app.db, dt.datetime.now(dt.UTC), app.settings.tz, deliver_to_outbox
            )
            if outcome.sent:
                sender.wake()
        except Exception:
            log.exception("reminders failed; will try again")
        await _sleep(stop, 60.0)


async def _username(api: BotApi) -> str | None:
    try:
        me = await api.call("getMe", wait=10)
    except TelegramError as exc:
        log.warning("getMe failed (%s); invitation links will lack the bot name", exc.description)
        return None
    return str(me.get("username")) if isinstance(me, dict) else None


async def _sleep(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
