"""Processes the inbox: updates of one chat one at a time and in order, chats in parallel.

Rows left pending by a crash are picked up at start like any other, so nothing received is lost.
With several processes on one database each takes only chats no other process holds a lease on.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.orm import Session

from bot.channels.instance import LEASE, instance_name
from bot.storage.database import Database
from bot.storage.repos import inbox
from bot.storage.types import utcnow

log = logging.getLogger(__name__)

Feed = Callable[[int, dict[str, Any]], Awaitable[None]]


class InboxWorker:
    def __init__(
        self,
        db: Database,
        feed: Feed,
        *,
        concurrency: int,
        after: Callable[[], None] | None = None,
        owner: str | None = None,
        lease: dt.timedelta = LEASE,
        sole: bool = False,
    ) -> None:
        self.db, self.feed = db, feed
        self.owner, self.lease = owner or instance_name(), lease
        self.sole = sole  # the only process on this database: any lease left is a dead run's
        self.after = after or (lambda: None)
        self._gate = asyncio.Semaphore(concurrency)
        self._wake = asyncio.Event()
        self._scheduled: set[int] = set()
        self._finished: set[int] = set()  # done while the current claim was being read
        self._queues: dict[int, deque[tuple[int, dict[str, Any]]]] = {}
        self.processed = 0
        self.failed = 0

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        if self.sole:
            await self.db.run(lambda s: inbox.release(s, None))
        try:
            await self._loop(stop)
        finally:
            await self.db.run(lambda s: inbox.release(s, self.owner))

    async def _loop(self, stop: asyncio.Event) -> None:
        async with asyncio.TaskGroup() as tasks:
            while not stop.is_set():
                self._wake.clear()
                self._finished.clear()
                held = frozenset(self._scheduled)
                claimed = await self.db.run(lambda s, held=held: self._claim(s, held))  # type: ignore[misc]
                for update_id, chat, payload in claimed:
                    # A row finished while the claim was read may still come back as waiting.
                    if update_id in self._scheduled or update_id in self._finished:
                        continue
                    self._scheduled.add(update_id)
                    key = chat if chat is not None else -update_id
                    queue = self._queues.get(key)
                    if queue is None:
                        queue = self._queues[key] = deque()
                        tasks.create_task(self._drain(key, queue, stop))
                    queue.append((update_id, payload))
                waiter = asyncio.ensure_future(self._wake.wait())
                stopper = asyncio.ensure_future(stop.wait())
                await asyncio.wait({waiter, stopper}, timeout=1.0, return_when="FIRST_COMPLETED")
                waiter.cancel()
                stopper.cancel()

    async def _drain(
        self, key: int, queue: deque[tuple[int, dict[str, Any]]], stop: asyncio.Event
    ) -> None:
        try:
            while queue and not stop.is_set():
                update_id, payload = queue[0]
                async with self._gate:
                    await self._one(update_id, payload)
                queue.popleft()
                self._scheduled.discard(update_id)
                self._finished.add(update_id)
                self.processed += 1
                self.after()
        finally:
            # A stop leaves the rest pending in the database; the next start takes them.
            for update_id, _ in queue:
                self._scheduled.discard(update_id)
            self._queues.pop(key, None)

    async def _one(self, update_id: int, payload: dict[str, Any]) -> None:
        try:
            await self.feed(update_id, payload)
        except Exception:
            log.exception("update %d could not be processed; it is marked failed", update_id)
            self.failed += 1
            await self.db.run(lambda s: inbox.finish(s, update_id, inbox.FAILED))

    def _claim(
        self, session: Session, held: frozenset[int]
    ) -> list[tuple[int, int | None, dict[str, Any]]]:
        # Leasing renews what is already queued here; only new updates' payloads are read.
        claimed = inbox.lease(session, self.owner, utcnow(), self.lease, 500)
        loaded = inbox.payloads(session, [u for u, _ in claimed if u not in held])
        return [(u, c, loaded[u]) for u, c in claimed if u in loaded]
