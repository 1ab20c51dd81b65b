"""Copies the SQLite write-ahead log into the database file from a thread of its own.

By default SQLite checkpoints inside the COMMIT that takes the log past 1,000 pages: that commit
copies the pages and waits for fsync, and on the one writer thread every other chat waits with it
(measured in bench/load.py: 4 % of commits took 2–18 ms, a third of all commit time, and they made
the p99). Here the writer's automatic checkpoint is pushed far out (a backstop, should this thread
fall behind), and this thread runs PASSIVE checkpoints, which never block the writer, soon after
commits. The copying and the fsync then happen off the writer, with SQLite's lock released, while
the writer goes on.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger(__name__)

# The writer checkpoints by itself only past this many log pages (about 40 MB of 4 KiB pages):
# a bound on the log's size if this thread cannot keep up, never the usual way.
WRITER_BACKSTOP_PAGES = 10_000
# At most one pass per this long under load: each pass ends with an fsync, so passes are spaced
# out and each copies what a few hundred units wrote.
SPACING_SECONDS = 0.25
IDLE_SECONDS = 2.0  # a pass when nothing was committed for this long (cheap when nothing waits)


class Checkpointer:
    """One thread per database file; `poke()` after commits, `stop()` at close."""

    def __init__(self, path: Path, busy_timeout_ms: int) -> None:
        self._path = path
        self._busy_timeout_ms = busy_timeout_ms
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.passes = 0  # checkpoints run (for tests and benchmarks)

    def poke(self) -> None:
        """A commit happened; starts the thread on first use."""
        if self._thread is None and not self._stop.is_set():
            self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
            self._thread.start()
        self._wake.set()

    def stop(self) -> None:
        """Finish: a last copy of the log, then the thread ends."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None

    def _run(self) -> None:
        try:
            conn = sqlite3.connect(self._path, timeout=self._busy_timeout_ms / 1000)
        except sqlite3.Error:
            log.warning("the checkpoint thread could not open the database; the writer will copy")
            return
        try:
            conn.isolation_level = None
            while not self._stop.is_set():
                self._wake.wait(IDLE_SECONDS)
                self._wake.clear()
                self._checkpoint(conn)
                self._stop.wait(SPACING_SECONDS)
            self._checkpoint(conn)
        finally:
            conn.close()

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            # PASSIVE copies what no reader still needs and never waits for the writer.
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.passes += 1
        except sqlite3.Error as exc:  # a busy or vanished file: the writer's backstop remains
            log.debug("checkpoint skipped: %s", type(exc).__name__)
