"""Webhook receiver: Telegram POSTs an update; it is committed to the inbox before the 200.

Framework-agnostic: it stores the raw update exactly as polling does and wakes the inbox worker,
which feeds it to whichever framework runs. A request without the right secret header is refused
with 401 before anything is read or stored. An update_id stored before (Telegram retrying, or the
same update reaching two processes behind a load balancer) is ignored, so it is handled once.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.channels.telegram_updates import chat_of
from bot.storage.database import Database
from bot.storage.repos import inbox

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookReceiver:
    def __init__(self, db: Database, secret: str, wake: Callable[[], None]) -> None:
        self.db, self.wake = db, wake
        self._secret = secret.encode()
        self.received = 0
        self.refused = 0

    async def handle(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            self.refused += 1
            return web.Response(status=401, text="unauthorized")
        try:
            update = json.loads(await request.read())
        except (ValueError, UnicodeDecodeError):
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict) or type(update.get("update_id")) is not int:
            return web.Response(status=400, text="not an update")
        row = (int(update["update_id"]), chat_of(update), update)
        try:
            await self.db.run(lambda s: inbox.add_many(s, [row]))
        except Exception:
            # Not stored, so not acknowledged: Telegram delivers it again later.
            log.exception("could not store a webhook update")
            return web.Response(status=503, text="try again")
        self.received += 1
        self.wake()
        return web.Response(status=200)

    def _authorised(self, request: web.Request) -> bool:
        given = request.headers.get(SECRET_HEADER, "").encode()
        return hmac.compare_digest(given, self._secret)


def webhook_params(url: str, secret: str, allowed: list[str]) -> dict[str, Any]:
    """setWebhook: where Telegram posts, the secret it sends back, and what it sends."""
    return {"url": url, "secret_token": secret, "allowed_updates": allowed}
