"""Long polling: each batch of updates is committed to the inbox before the offset moves on."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from bot.channels.telegram_http import BotApi, Conflict, TelegramError
from bot.channels.telegram_updates import ALLOWED_UPDATES, chat_of
from bot.storage.database import Database
from bot.storage.repos import inbox

log = logging.getLogger(__name__)
POLL_TIMEOUT = 25


class Poller:
    """Long polling into the inbox; counts the updates it stored, for /metrics."""

    def __init__(self, api: BotApi, db: Database, wake: Callable[[], None]) -> None:
        self.api, self.db, self.wake = api, db, wake
        self.received = 0
        self.receiving = False  # no webhook left in the way: getUpdates can deliver

    async def run(self, stop: asyncio.Event) -> None:
        """Receive updates until stopped. A webhook left from webhook mode is removed first."""
        await _drop_webhook(self.api, stop)
        self.receiving = not stop.is_set()
        await self._loop(stop)

    async def _loop(self, stop: asyncio.Event) -> None:
        api, db = self.api, self.db
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
                await sleep(stop, 5.0)
                continue
            except TelegramError as exc:
                log.warning("getUpdates failed (%s); retrying in %.0f s", exc.description, backoff)
                await sleep(stop, backoff)
                backoff = min(backoff * 2, 30.0)
                continue
            backoff = 1.0
            if updates:
                rows = [(int(u["update_id"]), chat_of(u), u) for u in updates]
                await db.run(lambda s, rows=rows: inbox.add_many(s, rows))  # type: ignore[misc]
                offset = max(r[0] for r in rows) + 1
                self.received += len(rows)
                self.wake()


async def _drop_webhook(api: BotApi, stop: asyncio.Event) -> None:
    # Telegram refuses getUpdates while a webhook is set; pending updates are kept.
    backoff = 1.0
    while not stop.is_set():
        try:
            await api.call("deleteWebhook", {"drop_pending_updates": False}, wait=15)
            return
        except TelegramError as exc:
            log.warning("deleteWebhook failed (%s); retrying in %.0f s", exc.description, backoff)
            await sleep(stop, backoff)
            backoff = min(backoff * 2, 30.0)


async def sleep(stop: asyncio.Event, seconds: float) -> None:
    """Wait, but wake at once when the bot is stopping."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
