"""The periodic worker: once a day, purge what the retention rules say must go."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging

from bot.storage.database import Database
from bot.storage.repos import retention

log = logging.getLogger(__name__)
DAY = 24 * 3600.0


async def run_housekeeping(
    db: Database, years: int, stop: asyncio.Event, every: float = DAY
) -> None:
    while not stop.is_set():
        try:
            now = dt.datetime.now(dt.UTC)
            done = await db.run(lambda s, now=now: retention.purge(s, now, years))  # type: ignore[misc]
            if done.plans or done.invitations:
                log.info("purged %d plan(s) and %d invitation(s)", done.plans, done.invitations)
        except Exception:
            log.exception("housekeeping failed; will try again")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
