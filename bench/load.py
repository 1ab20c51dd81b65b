"""Load benchmark: a mixed workload of many distinct people through the real dispatcher.

Parents ask questions (free text → knowledge search), people browse (/topics, buttons, /plans,
/menu) and teachers step through the plan wizard, each reading the bot's latest keyboard and
pressing buttons by label. Every update takes the production path: committed to the inbox in
batches (as getUpdates delivers them), fed through the aiogram dispatcher to the processor, one
unit of work per update that writes the cursor, the outbox and the inbox mark. Chats run in
parallel up to the concurrency the inbox worker uses, each chat's updates in order.

The echo floor is a bare echo handler through an aiogram dispatcher in the same process and run,
fed the very same updates right after each batch, so both see the same load on a shared machine;
ratio = updates_per_s / echo_floor_per_s (cpu_ratio: the same from CPU time, steadier still).
Memory is the growth of resident memory from before the first of the users to after the last.
Prints figures; not a test.

    python bench/load.py [--json] [--database URL] [--users 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import logging
import random
import sys
import tempfile
import time
import uuid
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import CallbackQuery, Message, Update
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import RecordingSession, summary, text_update
from bench._machine import machine, report, rss_mb
from bench._people import WIZARD, KeyboardTap, Person, browser, parent, questions
from bot.app import heap
from bot.app.build import build_engine
from bot.app.processor import Processor
from bot.channels.aiogram_app import build_dispatcher
from bot.channels.telegram_updates import chat_of
from bot.storage import crypto, migrate, urls
from bot.storage.database import Database
from bot.storage.models import InboxUpdate, OutboxMessage, Plan, QuestionLog
from bot.storage.repos import inbox, invitations, schools
from bot.storage.repos import people as people_repo

TOKEN = "123456:BENCHtoken_abcdefghijklmnopqrst"
KEY = b"u9Wn5ydTQ2dV5V7j1J0Vr1hPq6cYb3p0mJ7o2QhYk8M="  # a bench-only key, never a real one
NOW = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)  # the wizard's dates and semester fit it
BATCH = 100  # updates stored to the inbox at once, as one getUpdates answer
WINDOW = 500  # people active at the same time


def people(users: int, teachers: int, seed: int) -> list[Person]:
    rng = random.Random(seed)
    asked = {lang: questions(lang) for lang in ("lv", "ru")}
    crowd: list[Person] = []
    for i in range(users - teachers):
        tid = 1_000_000 + i
        lang = "ru" if rng.random() < 0.3 else "lv"
        if rng.random() < 0.6:
            q1, q2 = rng.sample(asked[lang], 2)
            crowd.append(Person(tid, "parent", lang, parent(lang, q1, q2)))
        else:
            crowd.append(Person(tid, "browser", lang, browser(lang)))
    rng.shuffle(crowd)
    # Teachers are spread through the crowd rather than bunched at either end.
    step = max(1, len(crowd) // max(1, teachers))
    for k in range(teachers):
        crowd.insert(k * (step + 1), Person(500_000 + k, "teacher", "lv", list(WIZARD)))
    return crowd


async def setup_teachers(
    db: Database, dp: Dispatcher, bot: Bot, crowd: list[Person], next_id: list[int]
) -> None:
    """Each teacher redeems an invitation to their own school, which has a pupil Lauma, 6.b."""
    for person in crowd:
        if person.kind != "teacher":
            continue

        def invite(s: Any, k: int = person.telegram_id) -> str:
            school, _ = schools.find_or_create_school(s, f"Bench skola {k}")
            return invitations.create(s, "teacher", school.id, None, None, dt.timedelta(days=7))

        token = await db.run(invite)
        await feed_one(db, dp, bot, _text(next_id, person.telegram_id, f"/start {token}"))

        def pupil(s: Any, k: int = person.telegram_id) -> None:
            school, _ = schools.find_or_create_school(s, f"Bench skola {k}")
            user = people_repo.find_user(s, k)
            assert user is not None, "the teacher's /start did not create the user"
            schools.add_pupil(s, school.id, "Lauma", "6.b", user.id)

        await db.run(pupil)


def _text(next_id: list[int], user: int, text: str) -> dict[str, Any]:
    next_id[0] += 1
    return text_update(next_id[0], user, text)


async def feed_one(db: Database, dp: Dispatcher, bot: Bot, payload: dict[str, Any]) -> None:
    row = (payload["update_id"], chat_of(payload), payload)
    await db.run(lambda s: inbox.add_many(s, [row]))
    await dp.feed_update(bot, Update.model_validate(payload, context={"bot": bot}))


@dataclass
class Clock:
    """Wall and CPU time spent in one kind of work, summed over the interleaved slices."""

    wall: float = 0.0
    cpu: float = 0.0
    count: int = 0
    latencies: list[float] = field(default_factory=list)

    def figures(self) -> dict[str, float]:
        return {
            **summary(self.latencies, self.wall),
            "cpu_ms_per_update": round(self.cpu / self.count * 1000, 3),
        }


async def run_mixed(
    db: Database,
    dp: Dispatcher,
    bot: Bot,
    crowd: list[Person],
    concurrency: int,
    tap: KeyboardTap,
    echo: Callable[[list[dict[str, Any]]], Awaitable[None]],
) -> tuple[Clock, Clock]:
    """The workload in batches; after each, the same updates through the echo floor.

    Interleaving the two makes the ratio fair on a shared machine: both see the same load.
    """
    waiting = deque(crowd)
    active: deque[Person] = deque()
    dialog, floor = Clock(), Clock()
    gate = asyncio.Semaphore(concurrency)
    next_id = 10_000_000
    while waiting or active:
        while waiting and len(active) < WINDOW:
            active.append(waiting.popleft())
        batch: list[tuple[Person, dict[str, Any]]] = []
        while active and len(batch) < BATCH:
            person = active.popleft()
            next_id += 1
            update = person.next_update(next_id, tap)
            if update is None:
                tap.forget(person.telegram_id)
            else:
                batch.append((person, update))
        if not batch:
            continue
        w0, c0 = time.perf_counter(), time.process_time()
        rows = [(u["update_id"], chat_of(u), u) for _, u in batch]
        await db.run(lambda s, rows=rows: inbox.add_many(s, rows))  # type: ignore[misc]
        share = (time.perf_counter() - w0) / len(batch)

        async def one(u: dict[str, Any], share: float = share) -> None:
            async with gate:
                t1 = time.perf_counter()
                await dp.feed_update(bot, Update.model_validate(u, context={"bot": bot}))
                dialog.latencies.append(time.perf_counter() - t1 + share)

        # One update per chat in a batch, so chats run in parallel and each stays in order.
        await asyncio.gather(*(one(u) for _, u in batch))
        dialog.wall += time.perf_counter() - w0
        dialog.cpu += time.process_time() - c0
        dialog.count += len(batch)
        active.extend(p for p, _ in batch)
        w0, c0 = time.perf_counter(), time.process_time()
        await echo([u for _, u in batch])
        floor.wall += time.perf_counter() - w0
        floor.cpu += time.process_time() - c0
        floor.count += len(batch)
    return dialog, floor


def echo_floor(latencies: list[float]) -> Callable[[list[dict[str, Any]]], Awaitable[None]]:
    """The floor: a dispatcher with bare echo handlers, fed one update after another."""
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    @router.callback_query()
    async def ack(query: CallbackQuery) -> None:
        await query.answer()

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = Bot(TOKEN, session=RecordingSession())

    async def feed(updates: list[dict[str, Any]]) -> None:
        for u in updates:
            t0 = time.perf_counter()
            await dispatcher.feed_update(bot, Update.model_validate(u, context={"bot": bot}))
            latencies.append(time.perf_counter() - t0)

    return feed


def _checks(session: Any) -> dict[str, int]:
    """What the run left behind, so a broken script or a failing path cannot pass unseen."""

    def count(table: Any, *where: Any) -> int:
        query = select(func.count()).select_from(table).where(*where)
        return int(session.execute(query).scalar_one())

    return {
        "plans_created": count(Plan),
        "questions_logged": count(QuestionLog),
        "updates_not_done": count(InboxUpdate, InboxUpdate.status != inbox.DONE),
        "outbox_rows": count(OutboxMessage),
    }


@asynccontextmanager
async def database(url: str | None) -> AsyncIterator[str]:
    """A fresh, migrated database for this run: a temp SQLite file, or a new PostgreSQL db."""
    if url is None or urls.is_sqlite(url):
        with tempfile.TemporaryDirectory() as tmp:
            fresh = url or f"sqlite+aiosqlite:///{tmp}/load.db"
            await asyncio.to_thread(migrate.upgrade, fresh)
            yield fresh
        return
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(url)
    name = f"bench_{uuid.uuid4().hex[:12]}"

    async def sql(statement: str) -> None:
        conn = await asyncpg.connect(
            host=admin.host or "127.0.0.1",
            port=admin.port or 5432,
            user=admin.username or "postgres",
            password=admin.password,
            database=admin.database or "postgres",
        )
        try:
            await conn.execute(statement)
        finally:
            await conn.close()

    await sql(f'CREATE DATABASE "{name}"')
    fresh = admin.set(drivername="postgresql+asyncpg", database=name)
    rendered = fresh.render_as_string(hide_password=False)
    try:
        await asyncio.to_thread(migrate.upgrade, rendered)
        yield rendered
    finally:
        await sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def run(args: argparse.Namespace) -> dict[str, Any]:
    crypto.configure([KEY])
    crowd = people(args.users, args.teachers, args.seed)
    async with database(args.database) as url:
        db = Database(url)
        engine = build_engine()
        processor = Processor(db, engine, clock=lambda: NOW, log_key=b"bench")
        dp = build_dispatcher(processor)
        bot = Bot(TOKEN, session=RecordingSession())
        tap = KeyboardTap()
        tap.install()
        await setup_teachers(db, dp, bot, crowd, [1_000])
        concurrency = args.concurrency or max(2, db.concurrency)
        floor_latencies: list[float] = []
        echo = echo_floor(floor_latencies)
        await echo([text_update(1, 1, "/start"), text_update(2, 1, "x")])  # first-use costs
        heap.settle()  # as open_app does before serving
        before = rss_mb()
        clocks = await run_mixed(db, dp, bot, crowd, concurrency, tap, echo)
        gc.collect()
        grown = rss_mb() - before
        checks = await db.run(_checks)
        await db.close()
    kind = "sqlite" if urls.is_sqlite(url) else "postgresql"
    clocks[1].latencies = floor_latencies
    dialog, echo_figures = clocks[0].figures(), clocks[1].figures()
    return {
        "updates_per_s": dialog["per_s"],
        "echo_floor_per_s": echo_figures["per_s"],
        "ratio": round(dialog["per_s"] / echo_figures["per_s"], 3),
        "p50_ms": dialog["p50_ms"],
        "p95_ms": dialog["p95_ms"],
        "p99_ms": dialog["p99_ms"],
        "rss_mb_10k_users": round(grown * 10_000 / args.users, 1),
        "database": kind,
        "users": args.users,
        "teachers": args.teachers,
        "updates": clocks[0].count,
        "script_misses": sum(p.misses for p in crowd),
        **checks,
        "concurrency": concurrency,
        "echo_p50_ms": echo_figures["p50_ms"],
        "cpu_ms_per_update": dialog["cpu_ms_per_update"],
        "echo_cpu_ms_per_update": echo_figures["cpu_ms_per_update"],
        "cpu_ratio": round(echo_figures["cpu_ms_per_update"] / dialog["cpu_ms_per_update"], 3),
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--users", type=int, default=10_000, help="distinct people")
    parser.add_argument("--teachers", type=int, default=100, help="of them, teachers")
    parser.add_argument("--concurrency", type=int, default=0, help="chats at once (as `run`)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    result = asyncio.run(run(args))
    report(result, None if args.no_save else f"load-{result['database']}", args.json)


if __name__ == "__main__":
    main()
