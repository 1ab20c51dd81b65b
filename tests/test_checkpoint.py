"""SQLite's log is copied into the database file by its own thread, not in the writer's commits."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from bot.storage import migrate
from bot.storage.checkpoint import WRITER_BACKSTOP_PAGES, Checkpointer
from bot.storage.database import Database
from bot.storage.models import User


def _threads() -> list[str]:
    return [t.name for t in threading.enumerate() if t.name == "sqlite-checkpoint"]


async def test_the_log_is_copied_by_the_checkpoint_thread_and_data_survives(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/c.db"
    await asyncio.to_thread(migrate.upgrade, url)
    size_before = (tmp_path / "c.db").stat().st_size
    db = Database(url)
    checkpointer = db._checkpointer
    assert checkpointer is not None
    # The writer copies the log itself only as a backstop.
    backstop = await db.run(lambda s: s.execute(text("PRAGMA wal_autocheckpoint")).scalar_one())
    assert backstop == WRITER_BACKSTOP_PAGES

    def add(first: int) -> None:
        def unit(s: Session) -> None:
            s.add_all(User(telegram_id=first + i, name="x" * 500) for i in range(50))

        return unit  # type: ignore[return-value]

    await asyncio.gather(*(db.run(add(1000 * k)) for k in range(1, 41)))  # 2,000 rows
    # The writer would copy only past the backstop (far more than these rows): pages that
    # reach the database file were copied by the thread, within a pass or two.
    grown = False
    for _ in range(100):
        grown = (tmp_path / "c.db").stat().st_size > size_before + 500 * 1000
        if grown:
            break
        await asyncio.sleep(0.1)
    assert grown and checkpointer.passes > 0
    assert _threads(), "the checkpoint thread should be running while the database is open"
    count = await db.run(lambda s: s.execute(select(func.count()).select_from(User)).scalar_one())
    assert count == 2000
    await db.close()
    assert not _threads(), "close() must end the checkpoint thread"
    conn = sqlite3.connect(tmp_path / "c.db")
    assert conn.execute("SELECT count(*) FROM users").fetchone()[0] == 2000
    conn.close()


def test_a_missing_file_leaves_the_writer_to_copy_and_stop_is_safe(tmp_path: Path) -> None:
    checkpointer = Checkpointer(tmp_path / "no" / "such" / "dir" / "x.db", 100)
    checkpointer.poke()
    checkpointer.stop()
    assert checkpointer.passes == 0
    assert checkpointer._thread is None
    checkpointer.poke()  # after stop nothing starts again
    assert checkpointer._thread is None
