"""Hands units of work to the one SQLite writer thread; those that wait share its next transaction.

While the thread runs one group, the units that arrive queue up, and the thread takes them all as
the next group: one thread hop, one BEGIN IMMEDIATE and one COMMIT for the group instead of one
each (group commit). Under light load a group is a single unit and nothing changes.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Executor
from typing import Any

# What one unit came to: its return value, or the exception it raised.
Outcome = tuple[bool, Any]
RunGroup = Callable[[list[Callable[..., Any]]], list[Outcome]]


class GroupQueue:
    def __init__(self, executor: Executor, run_group: RunGroup, limit: int) -> None:
        self._executor, self._run_group, self._limit = executor, run_group, limit
        self._waiting: list[tuple[Callable[..., Any], asyncio.Future[Any]]] = []
        self._lock = threading.Lock()
        self._busy = False

    async def run(self, unit: Callable[..., Any]) -> Any:
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        with self._lock:
            self._waiting.append((unit, future))
            start, self._busy = not self._busy, True
        if start:
            try:
                self._executor.submit(self._drain)
            except RuntimeError:  # the executor was shut down: the database is closed
                with self._lock:
                    self._waiting.clear()
                    self._busy = False
                raise
        return await future

    def _drain(self) -> None:
        """In the writer thread: run groups until nothing waits."""
        while True:
            with self._lock:
                group = self._waiting[: self._limit]
                del self._waiting[: self._limit]
                if not group:
                    self._busy = False
                    return
            try:
                outcomes = self._run_group([unit for unit, _ in group])
            except BaseException as exc:  # every caller must hear of it; none may hang
                outcomes = [(False, exc)] * len(group)
            # One wake-up per event loop and group: each cross-thread call costs a GIL handover.
            by_loop: dict[asyncio.AbstractEventLoop, list[tuple[asyncio.Future[Any], Outcome]]] = {}
            for (_, future), outcome in zip(group, outcomes, strict=True):
                by_loop.setdefault(future.get_loop(), []).append((future, outcome))
            for loop, settled in by_loop.items():
                loop.call_soon_threadsafe(_settle, settled)


def _settle(settled: list[tuple[asyncio.Future[Any], Outcome]]) -> None:
    for future, (ok, value) in settled:
        if future.cancelled():
            continue
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)
