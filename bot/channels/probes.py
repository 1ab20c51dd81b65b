"""Operations endpoints: /healthz, /readyz and /metrics (webhook server, or polling beside it)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable

from aiohttp import web
from sqlalchemy.orm import Session

from bot.channels.metrics import Sample, exposition
from bot.storage.database import Database
from bot.storage.repos import outbox, people

log = logging.getLogger(__name__)
DB_TIMEOUT = 5.0
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


class Probes:
    """Health (the database answers), readiness (start-up done, not stopping) and metrics."""

    def __init__(
        self, db: Database, samples: Callable[[], Iterable[Sample]], ready: Callable[[], bool]
    ) -> None:
        self.db, self.samples, self.ready = db, samples, ready

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/healthz", self.healthz),
            web.get("/readyz", self.readyz),
            web.get("/metrics", self.metrics),
        ]

    async def healthz(self, request: web.Request) -> web.Response:
        figures = await self._figures()
        if figures is None:
            return web.json_response({"database": "unreachable"}, status=503)
        return web.json_response({"database": "ok", "outbox_depth": figures[0]})

    async def readyz(self, request: web.Request) -> web.Response:
        ready = self.ready()
        return web.json_response({"ready": ready}, status=200 if ready else 503)

    async def metrics(self, request: web.Request) -> web.Response:
        figures = await self._figures()
        samples = list(self.samples())
        up = int(figures is not None)
        samples.append(Sample("pumpurs_database_up", "gauge", "Database reachable", up))
        if figures is not None:
            depth, unreachable = figures
            samples.append(Sample("pumpurs_outbox_depth", "gauge", "Messages waiting", depth))
            blocked = "People who blocked the bot"
            samples.append(Sample("pumpurs_unreachable_users", "gauge", blocked, unreachable))
        body = exposition(samples).encode()
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE})

    async def _figures(self) -> tuple[int, int] | None:
        try:
            return await asyncio.wait_for(self.db.run(_figures), DB_TIMEOUT)
        except Exception as exc:  # any failure means "not healthy", never a stack trace
            log.warning("health check: database unreachable (%s)", type(exc).__name__)
            return None


def _figures(session: Session) -> tuple[int, int]:
    return outbox.depth(session), people.count_unreachable(session)
