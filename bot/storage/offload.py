"""Heavy computing inside a unit of work without stalling the event loop (drawing a chart).

How a unit runs is the storage layer's business (see database.py), so the answer lives here.
PostgreSQL units run through `AsyncSession.run_sync`: synchronous code in a greenlet on the event
loop's own thread, where a quarter-second drawing would hold up every other update. There the
work moves to a worker thread and the greenlet waits for it, letting the loop serve others. SQLite
units already run in the database worker thread, off the loop, so the work runs in place.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.util import await_only
from sqlalchemy.util.concurrency import in_greenlet

T = TypeVar("T")


def run_blocking(work: Callable[[], T]) -> T:
    """Run `work` and return its result, off the event loop's thread when called on it."""
    if in_greenlet():
        result: T = await_only(asyncio.to_thread(work))
        return result
    return work()
