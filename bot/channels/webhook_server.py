"""Webhook mode: serve the receiver and the probes, then tell Telegram where to post."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

from aiohttp import web

from bot.channels.metrics import Sample
from bot.channels.probes import Probes
from bot.channels.telegram_http import BotApi, TelegramError
from bot.channels.telegram_updates import ALLOWED_UPDATES
from bot.channels.webhook import WebhookReceiver, webhook_params
from bot.config import Settings
from bot.storage.database import Database

log = logging.getLogger(__name__)


class WebhookStartFailed(Exception):
    """No updates can arrive: the port is taken, or Telegram refused setWebhook (a wrong URL)."""


async def serve_webhook(
    settings: Settings,
    api: BotApi,
    db: Database,
    wake: Callable[[], None],
    samples: Callable[[WebhookReceiver], Iterable[Sample]],
    stop: asyncio.Event,
    ready: Callable[[], bool],
) -> None:
    """Listen on WEBHOOK_LISTEN until stopped; ready once Telegram knows the URL and `ready()`."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    secret = settings.webhook_secret.get_secret_value()
    receiver = WebhookReceiver(db, secret, wake)
    hooked = asyncio.Event()
    probes = Probes(db, lambda: samples(receiver), lambda: hooked.is_set() and ready())
    app = web.Application(client_max_size=1024 * 1024)
    app.router.add_post(urlparse(settings.webhook_url).path or "/", receiver.handle)
    app.add_routes(probes.routes())
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    host, port = settings.listen_host_port
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:  # the port is taken, or the address is not this machine's
            raise WebhookStartFailed(f"cannot listen on {host}:{port}: {exc.strerror}") from None
        log.info("webhook server listening on %s:%d", host, port)
        # Only now: Telegram starts posting the moment setWebhook succeeds.
        await _set_webhook(api, settings.webhook_url, secret)
        hooked.set()
        await stop.wait()
    finally:
        await runner.cleanup()


async def _set_webhook(api: BotApi, url: str, secret: str) -> None:
    try:
        await api.call("setWebhook", webhook_params(url, secret, ALLOWED_UPDATES), wait=15)
    except TelegramError as exc:
        raise WebhookStartFailed(f"setWebhook failed: {exc.description}") from None
