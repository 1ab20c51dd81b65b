"""Drawing a chart inside a unit of work never runs on the event loop's thread (both databases)."""

from __future__ import annotations

import asyncio
import threading

from bot.storage.database import Database
from bot.storage.offload import run_blocking


def test_heavy_work_in_a_unit_runs_off_the_event_loop_thread(db_url: str) -> None:
    async def go() -> tuple[int, int, int]:
        db = Database(db_url)
        loop_thread = threading.get_ident()
        try:
            worker, answer = await db.run(
                lambda s: (run_blocking(threading.get_ident), run_blocking(lambda: 42))
            )
        finally:
            await db.close()
        return loop_thread, worker, answer

    loop_thread, worker, answer = asyncio.run(go())
    assert worker != loop_thread
    assert answer == 42


def test_outside_a_unit_the_work_simply_runs() -> None:
    assert run_blocking(lambda: "done") == "done"
