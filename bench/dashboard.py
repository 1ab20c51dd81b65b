"""/dashboard end to end: one coordinator, a school with N plans, on SQLite or PostgreSQL.

Prints the time of one /dashboard turn (figures from every plan, decrypted; the chart drawn, or
reused when the figures did not change) and the longest the event loop stalled meanwhile, which
is what other chats would feel. Not a test.

    python bench/dashboard.py [--plans 300] [--runs 5] [--pg postgresql://user@host:5432/db]
                              [--in-place]

--pg names a PostgreSQL server; the bench creates a database of its own there and drops it after.

--in-place draws the chart on the unit's own thread (the event loop's, on PostgreSQL), to compare.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import asyncpg
from cryptography.fernet import Fernet
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from bot.app.build import build_engine
from bot.app.data_rights import EXPORTS
from bot.app.processor import Processor
from bot.core.events import text_event
from bot.storage import crypto, migrate
from bot.storage.database import Database
from bot.storage.models import Plan
from bot.storage.repos import invitations, schools

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
COORD = 500
CONTENT = {
    "risks": [{"code": "knowledge-gaps", "why": "x" * 80}, {"code": "low-income", "why": "y" * 80}],
    "measures": [{"code": "subject-consultations", "answers": ["knowledge-gaps"]}],
    "review_date": "2026-11-10",
}
STATUSES = ("draft", "approval", "approved", "in_progress", "closed")


def seed(session: Session, plans: int) -> str:
    school, _ = schools.find_or_create_school(session, "Bench skola")
    for i in range(plans):
        pupil = schools.add_pupil(session, school.id, f"P{i}", "7.a", 0)
        session.add(
            Plan(
                school_id=school.id,
                pupil_id=pupil.id,
                status=STATUSES[i % len(STATUSES)],
                semester="2026/27-1",
                content=CONTENT,
            )
        )
    return invitations.create(session, "coordinator", school.id, None, None, dt.timedelta(days=1))


async def heartbeat(stalls: list[float], stop: asyncio.Event) -> None:
    last = time.perf_counter()
    while not stop.is_set():
        await asyncio.sleep(0.002)
        now = time.perf_counter()
        stalls.append(now - last)
        last = now


async def measure(processor: Processor, fresh_chart: bool) -> tuple[float, float]:
    if fresh_chart:
        for old in EXPORTS.glob("dashboard-*.png"):
            old.unlink()
    stalls: list[float] = []
    stop = asyncio.Event()
    beat = asyncio.create_task(heartbeat(stalls, stop))
    await asyncio.sleep(0.01)
    start = time.perf_counter()
    await processor.handle(text_event(COORD, COORD, "/dashboard"), lambda s, t, e: None)
    took = time.perf_counter() - start
    stop.set()
    await beat
    return took, max(stalls)


async def admin(server: str, sql: str) -> None:
    url = make_url(server)
    conn = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def main(plans: int, runs: int, server: str | None) -> None:
    crypto.configure([Fernet.generate_key()])
    name = f"bench_dashboard_{os.getpid()}"
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        if server:
            await admin(server, f'CREATE DATABASE "{name}"')
            pg = make_url(server).set(drivername="postgresql+asyncpg", database=name)
            url = pg.render_as_string(hide_password=False)
        try:
            await run(url, plans, runs)
        finally:
            if server:
                await admin(server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(url: str, plans: int, runs: int) -> None:
    await asyncio.to_thread(migrate.upgrade, url)
    db = Database(url)
    processor = Processor(db, build_engine(), clock=lambda: NOW)
    token = await db.run(lambda s: seed(s, plans))
    await processor.handle(text_event(COORD, COORD, f"/start {token}"), lambda s, t, e: None)
    for _ in range(2):  # the first chart also imports matplotlib and loads fonts
        await measure(processor, True)
    for fresh in (True, False):
        figures = [await measure(processor, fresh) for _ in range(runs)]
        took = statistics.median(f[0] for f in figures) * 1000
        stall = statistics.median(f[1] for f in figures) * 1000
        worst = max(f[1] for f in figures) * 1000
        what = "chart drawn " if fresh else "chart reused"
        print(
            f"{'sqlite' if db.is_sqlite else 'postgresql'} {plans} plans, {what}: "
            f"/dashboard p50 {took:.0f} ms; longest event-loop stall p50 {stall:.0f} ms, "
            f"worst {worst:.0f} ms"
        )
    await db.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--plans", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pg", default=None)
    parser.add_argument("--in-place", action="store_true")
    args = parser.parse_args()
    if args.in_place:
        from bot.app.dashboard import chart

        chart.run_blocking = lambda work: work()  # type: ignore[assignment]
    asyncio.run(main(args.plans, args.runs, args.pg))
