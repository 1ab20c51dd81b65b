"""Webhook mode: serve the receiver and the probes, then tell Telegram where to post."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from urllib.parse import urlparse

from aiohttp import web

from bot.channels.http_listen import ListenFailed, listening
from bot.channels.metrics import Sample
from bot.channels.probes import Probes
from bot.channels.telegram_http import BotApi, TelegramError
from bot.channels.telegram_updates import ALLOWED_UPDATES
from bot.channels.webhook import WebhookReceiver, webhook_params
from bot.config import Settings
from bot.storage.database import Database


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
    try:
        async with listening(app, *settings.listen_host_port, "webhook server"):
            # Only now: Telegram starts posting the moment setWebhook succeeds.
            await _set_webhook(api, settings.webhook_url, secret)
            hooked.set()
            await stop.wait()
    except ListenFailed as exc:
        raise WebhookStartFailed(str(exc)) from None


async def _set_webhook(api: BotApi, url: str, secret: str) -> None:
    try:
        await api.call("setWebhook", webhook_params(url, secret, ALLOWED_UPDATES), wait=15)
    except TelegramError as exc:
        raise WebhookStartFailed(f"setWebhook failed: {exc.description}") from None
