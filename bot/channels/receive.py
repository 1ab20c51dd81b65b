"""How updates arrive, for either framework: long polling, or the webhook server in webhook mode.

Both store raw updates in the inbox and wake the worker; which framework then dispatches them is
the runtime's business, so a runtime only has to run `receive(...)` alongside its worker.
"""

from __future__ import annotations

import asyncio

from bot.channels.inbox_worker import InboxWorker
from bot.channels.metrics import ErrorCount
from bot.channels.polling import poll
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
    """Receive until stopped. Webhook mode raises WebhookStartFailed if it cannot listen."""
    if not settings.webhook_url:
        await poll(api, db, worker.wake, stop)
        return
    await serve_webhook(
        settings,
        api,
        db,
        worker.wake,
        lambda receiver: runtime_samples(worker, sender, receiver, errors),
        stop,
        lambda: started.is_set() and not stop.is_set(),
    )
