"""Reminders end to end: the due-scan over a large table, then 10,000 reminders to 10,000 chats.

Seeds `--plans` running plans (bulk inserts) whose reminder rows the real backfill writes; exactly
`--reminders` of them, each by a different author, have a review reminder due at the bench moment.
Times the due-scan (the worker's claim query: index on status, due_at) over that table, then lets
the real worker queue the due reminders into the outbox and the real Sender drain it into a fake
Bot API server on loopback that enforces 30 messages/s overall and 1/s per chat (429 with
retry_after beyond that). Prints figures; not a test.

    python bench/reminders.py [--json] [--reminders N] [--plans N] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from cryptography.fernet import Fernet
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.channels.sender import Sender
from bot.channels.telegram_delivery import deliver_to_outbox
from bot.channels.telegram_http import BotApi
from bot.reminders import worker
from bot.reminders.rules import Settings
from bot.storage import crypto, migrate
from bot.storage.database import Database
from bot.storage.models import Plan, Pupil, Reminder, School, User
from tests.fake_telegram import FakeTelegram

TOKEN = "123456:BENCHtoken_abcdefghijklmnopqrst"
RIGA = ZoneInfo("Europe/Riga")
NOW = dt.datetime(2027, 2, 1, 7, 0, tzinfo=dt.UTC)  # Monday 09:00 in Riga
CHUNK = 5_000


def _seed(session: Session, plans: int, due: int) -> None:
    """One school, `due` authors (one chat each), `plans` running plans; `due` of them due now."""
    session.add(School(id=1, name="Bench skola"))
    session.flush()
    authors = max(due, 1)
    session.execute(
        insert(User),
        [
            {"id": i + 1, "telegram_id": 1_000_000 + i, "name": f"T{i}", "language": "lv"}
            for i in range(authors)
        ],
    )
    session.execute(
        insert(Pupil),
        [{"id": i + 1, "school_id": 1, "name": f"P{i}", "class_name": "5.a"} for i in range(1000)],
    )
    since = NOW - dt.timedelta(days=1)  # no "no delivery" reminder is due yet
    local = NOW.astimezone(RIGA).date()
    for start in range(0, plans, CHUNK):
        rows = []
        for i in range(start, min(plans, start + CHUNK)):
            # The first `due` plans review in 7 days: their "review in 7 days" is due right now.
            review = local + dt.timedelta(days=7 if i < due else 30 + i % 60)
            rows.append(
                {
                    "id": i + 1,
                    "school_id": 1,
                    "pupil_id": i % 1000 + 1,
                    "author_id": i % authors + 1,
                    "status": "in_progress",
                    "semester": "2026/27-2",
                    "content": {"review_date": review.isoformat()},
                    "version": 1,
                    "created_at": since,
                    "updated_at": since,
                }
            )
        session.execute(insert(Plan), rows)


async def prepare(url: str, plans: int, due: int) -> dict[str, float]:
    await asyncio.to_thread(migrate.upgrade, url)
    db = Database(url)
    try:
        t0 = time.perf_counter()
        await db.run(lambda s: _seed(s, plans, due))
        t1 = time.perf_counter()
        before = NOW - dt.timedelta(hours=1)
        await db.run(lambda s: worker.backfill(s, before, RIGA, Settings()))
        t2 = time.perf_counter()
        rows = await db.run(lambda s: len(s.execute(select(Reminder.id)).all()))
        scans = []
        for _ in range(21):
            # The claim query itself, rolled back so nothing is leased.
            started = time.perf_counter()
            with contextlib.suppress(_RollBack):
                await db.run(_scan_and_roll_back)
            scans.append((time.perf_counter() - started) * 1000)
        return {
            "seed_s": round(t1 - t0, 1),
            "backfill_s": round(t2 - t1, 1),
            "reminder_rows": rows,
            "scan_ms_100k": round(statistics.median(scans), 2),
        }
    finally:
        await db.close()


class _RollBack(Exception):
    """Raised to undo the timed claim, so its leases do not hold the reminders back."""


def _scan_and_roll_back(session: Session) -> None:
    worker.claim(session, NOW)
    raise _RollBack


async def deliver(url: str, due: int) -> dict[str, Any]:
    db = Database(url)
    try:
        t0 = time.perf_counter()
        outcome = await worker.run_once(db, NOW, RIGA, deliver_to_outbox)
        queued_s = time.perf_counter() - t0
        async with (
            FakeTelegram(token=TOKEN, global_rate=30, per_chat_rate=1) as tg,
            BotApi(tg.base_url, TOKEN) as api,
        ):
            sender = Sender(db, api)
            started = time.perf_counter()
            await sender.drain(due / 20 + 60)
            elapsed = time.perf_counter() - started
            ok = [c.time for c in tg.calls("sendMessage") if c.ok]
            span = (max(ok) - min(ok)) if len(ok) > 1 else elapsed
            return {
                "queued": outcome.sent,
                "queue_s": round(queued_s, 1),
                "sent": len(ok),
                "drain_s": round(elapsed, 1),
                "rate_per_s": round((len(ok) - 1) / span, 2) if len(ok) > 1 else 0.0,
                "http_429": tg.http_429,
            }
    finally:
        await db.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--plans", type=int, default=100_000)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()
    crypto.configure([Fernet.generate_key()])
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{tmp}/bench.db"
        figures = asyncio.run(prepare(url, args.plans, args.reminders))
        figures.update(asyncio.run(deliver(url, args.reminders)))
    figures["plans"] = args.plans
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>14}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
