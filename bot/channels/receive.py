"""How updates arrive, for either framework: long polling, or the webhook server in webhook mode.

Both store raw updates in the inbox and wake the worker; which framework then dispatches them is
the runtime's business, so a runtime only has to run `receive(...)` alongside its worker. Both
serve /healthz, /readyz and /metrics on WEBHOOK_LISTEN; polling only when it was set explicitly.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.channels.http_listen import listening
from bot.channels.inbox_worker import InboxWorker
from bot.channels.metrics import ErrorCount
from bot.channels.polling import Poller
from bot.channels.probes import Probes
from bot.channels.runtime_metrics import runtime_samples
from bot.channels.sender import Sender
from bot.channels.telegram_http import BotApi
from bot.channels.webhook_server import serve_webhook
from bot.config import Settings
from bot.storage.database import Database


async def receive(
    settings: Settings,
    api: BotApi,
    db: Database,
    worker: InboxWorker,
    sender: Sender,
    errors: ErrorCount,
    stop: asyncio.Event,
    started: asyncio.Event,
) -> None:
    """Receive until stopped. Raises ListenFailed or WebhookStartFailed if it cannot listen."""

    def running() -> bool:
        return started.is_set() and not stop.is_set()

    if settings.webhook_url:
        await serve_webhook(
            settings,
            api,
            db,
            worker.wake,
            lambda r: runtime_samples(worker, sender, errors, r.received, r.refused),
            stop,
            running,
        )
        return
    poller = Poller(api, db, worker.wake)
    if not settings.listen_chosen:
        await poller.run(stop)
        return
    probes = Probes(
        db,
        lambda: runtime_samples(worker, sender, errors, poller.received),
        lambda: poller.receiving and running(),
    )
    app = web.Application()
    app.add_routes(probes.routes())
    async with listening(app, *settings.listen_host_port, "health endpoints"):
        await poller.run(stop)
