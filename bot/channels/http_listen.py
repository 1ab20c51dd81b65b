"""One aiohttp server bound to WEBHOOK_LISTEN, for the webhook and the operations endpoints."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

log = logging.getLogger(__name__)


class ListenFailed(Exception):
    """The port is taken, or the address is not this machine's: nothing can be served."""


@asynccontextmanager
async def listening(app: web.Application, host: str, port: int, what: str) -> AsyncIterator[None]:
    """Serve `app` on host:port while the block runs; closed (connections included) after it."""
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=5.0)
    await runner.setup()
    try:
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as exc:
            reason = f"cannot listen on {host}:{port} (WEBHOOK_LISTEN): {exc.strerror}"
            raise ListenFailed(f"{what}: {reason}") from None
        log.info("%s listening on %s:%d", what, host, port)
        yield
    finally:
        await runner.cleanup()
