"""Storage floor: the echo floor plus the least a durable update must store, in raw driver calls.

bench/load.py compares the bot with a bare echo handler, which stores nothing. Every real update
must also do what design.md asks for exactly-once handling: mark its inbox row done, read the
person and the conversation cursor, write the cursor, queue the reply in the outbox, and commit,
all in one transaction. This benchmark runs only that: an aiogram dispatcher whose one handler
makes those statements straight on the driver (asyncpg, or sqlite3 on the loop's thread), with no
ORM, no dialog engine and no rendering, and the bare echo floor on the same updates in the same run
(interleaved per batch, as in load.py). Its ratio is an upper bound for load.py's ratio on that
database on this machine: no code built on these storage rules can beat it. Prints figures.

    python bench/storage_floor.py [--json] [--database URL] [--users 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import logging
import sqlite3
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import RecordingSession, text_update
from bench._machine import machine, report
from bench.load import TOKEN, Clock, database, echo_floor
from bot.storage import urls

BATCH = 100  # updates stored to the inbox at once, one per chat, as one getUpdates answer
ROUNDS = 6  # messages per person, about as many as a person sends in load.py
REPLY = {  # a typical reply: a paragraph and two rows of buttons
    "text": "Atbilde uz jautājumu par kavējumiem. " * 8,
    "parse_mode": "HTML",
    "reply_markup": {
        "inline_keyboard": [
            [{"text": "Vairāk", "callback_data": "kb:more:absences"}],
            [{"text": "Izvēlne", "callback_data": "g:menu"}],
        ]
    },
}

_CLAIM = (
    "UPDATE inbox SET status = 'done', processed_at = {p2}"
    " WHERE update_id = {p1} AND status = 'pending'"
)
_PERSON = (
    "SELECT users.id, conversations.serial FROM users LEFT OUTER JOIN conversations"
    " ON conversations.user_id = users.id WHERE users.telegram_id = {p1}"
)
_NEW_USER = (
    "INSERT INTO users (telegram_id, name, reachable, created_at, updated_at)"
    " VALUES ({p1}, 'Bench', {true}, {p2}, {p2}) RETURNING id"
)
_CURSOR = (
    "INSERT INTO conversations (user_id, chat_id, dialog, step, data, serial, updated_at)"
    " VALUES ({p1}, {p2}, 'menu', 'main', {p3}, {p4}, {p5}) ON CONFLICT (user_id) DO UPDATE SET"
    " chat_id = excluded.chat_id, dialog = excluded.dialog, step = excluded.step,"
    " data = excluded.data, serial = excluded.serial, updated_at = excluded.updated_at"
)
_OUTBOX = (
    "INSERT INTO outbox (chat_id, method, payload, state, attempts, error, created_at)"
    " VALUES ({p1}, 'sendMessage', {p2}, 'pending', 0, '', {p3})"
)
# PostgreSQL, --lean: the inbox mark, the cursor and the outbox row as one statement, so an update
# costs two round trips (this and the person's read) instead of a transaction's six or seven.
_LEAN = """
WITH claim AS (
    UPDATE inbox SET status = 'done', processed_at = $6
    WHERE update_id = $1 AND status = 'pending' RETURNING update_id
), cur AS (
    INSERT INTO conversations (user_id, chat_id, dialog, step, data, serial, updated_at)
    SELECT $2, $3, 'menu', 'main', $4::json, $5, $6 FROM claim
    ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, dialog = excluded.dialog,
        step = excluded.step, data = excluded.data, serial = excluded.serial,
        updated_at = excluded.updated_at
    RETURNING user_id
)
INSERT INTO outbox (chat_id, method, payload, state, attempts, error, created_at)
SELECT $3, 'sendMessage', $7::json, 'pending', 0, '', $6 FROM cur
"""
_INBOX = (
    "INSERT INTO inbox (update_id, chat_id, payload, status, attempts, received_at)"
    " VALUES ({p1}, {p2}, {p3}, 'pending', 0, {p4})"
)


def _sql(template: str, postgres: bool) -> str:
    """asyncpg numbers its parameters ($1); sqlite3 takes them in order (?)."""
    marks = {f"p{i}": f"${i}" if postgres else "?" for i in range(1, 6)}
    return template.format(**marks, true="true" if postgres else "1")


Unit = Callable[[int, int], Awaitable[None]]
Store = Callable[[list[dict[str, Any]]], Awaitable[None]]


async def postgres_unit(
    url: str, size: int, lean: bool
) -> tuple[Unit, Store, Callable[[], Awaitable[None]]]:
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(url)
    # Plain connections handed round, not asyncpg's pool: its release sends a reset query.
    free: asyncio.Queue[Any] = asyncio.Queue()
    for _ in range(size):
        free.put_nowait(
            await asyncpg.connect(
                host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                database=u.database,
            )
        )  # fmt: skip
    claim, person, new_user = _sql(_CLAIM, True), _sql(_PERSON, True), _sql(_NEW_USER, True)
    cursor = _sql(_CURSOR, True).replace("$3,", "$3::json,")
    out = _sql(_OUTBOX, True).replace("$2,", "$2::json,")
    inbox_sql = _sql(_INBOX, True).replace("$3,", "$3::json,")
    reply = json.dumps(REPLY, ensure_ascii=False)

    async def unit(update_id: int, telegram_id: int) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        conn = await free.get()
        try:
            row = await conn.fetchrow(person, telegram_id)
            uid = row[0] if row else await conn.fetchval(new_user, telegram_id, now)
            serial = (row[1] or 0) + 1 if row else 1
            if lean:  # every write in one statement: one round trip, atomic without BEGIN
                await conn.execute(_LEAN, update_id, uid, telegram_id, "{}", serial, now, reply)
                return
            async with conn.transaction():
                await conn.execute(claim, update_id, now)
                await conn.execute(cursor, uid, telegram_id, "{}", serial, now)
                await conn.execute(out, telegram_id, reply, now)
        finally:
            free.put_nowait(conn)

    async def store(updates: list[dict[str, Any]]) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        rows = [(u["update_id"], _chat(u), json.dumps(u), now) for u in updates]
        conn = await free.get()
        try:
            await conn.executemany(inbox_sql, rows)
        finally:
            free.put_nowait(conn)

    async def close() -> None:
        while not free.empty():
            await free.get_nowait().close()

    return unit, store, close


async def sqlite_unit(url: str) -> tuple[Unit, Store, Callable[[], Awaitable[None]]]:
    path = urls.sqlite_file(url)
    assert path is not None
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON"):
        conn.execute(f"PRAGMA {pragma}")
    claim, person, new_user = _sql(_CLAIM, False), _sql(_PERSON, False), _sql(_NEW_USER, False)
    cursor, out, inbox_sql = _sql(_CURSOR, False), _sql(_OUTBOX, False), _sql(_INBOX, False)
    reply = json.dumps(REPLY, ensure_ascii=False)

    async def unit(update_id: int, telegram_id: int) -> None:
        # On the loop's own thread: no thread hop at all, the cheapest way to run these statements.
        now = dt.datetime.now(dt.UTC).isoformat(" ", "microseconds")[:-6]
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(claim, (now, update_id))
        row = conn.execute(person, (telegram_id,)).fetchone()
        uid = row[0] if row else conn.execute(new_user, (telegram_id, now, now)).fetchone()[0]
        serial = (row[1] or 0) + 1 if row else 1
        conn.execute(cursor, (uid, telegram_id, "{}", serial, now))
        conn.execute(out, (telegram_id, reply, now))
        conn.execute("COMMIT")

    async def store(updates: list[dict[str, Any]]) -> None:
        now = dt.datetime.now(dt.UTC).isoformat(" ", "microseconds")[:-6]
        rows = [(u["update_id"], _chat(u), json.dumps(u), now) for u in updates]
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(inbox_sql, rows)
        conn.execute("COMMIT")

    async def close() -> None:
        conn.close()

    return unit, store, close


def _chat(update: dict[str, Any]) -> int:
    return int(update["message"]["chat"]["id"])


def storing_dispatcher(unit: Unit) -> Dispatcher:
    router = Router()

    @router.message()
    async def stored(message: Message, event_update: Update) -> None:
        assert message.from_user is not None
        await unit(event_update.update_id, message.from_user.id)

    dispatcher = Dispatcher(disable_fsm=True)
    dispatcher.include_router(router)
    return dispatcher


async def run(args: argparse.Namespace) -> dict[str, Any]:
    async with database(args.database) as url:
        postgres = not urls.is_sqlite(url)
        # load.py's PostgreSQL default; SQLite runs inline, one unit after another.
        concurrency = (args.concurrency or 3) if postgres else 1
        unit, store, close = await (
            postgres_unit(url, concurrency, args.lean) if postgres else sqlite_unit(url)
        )
        dp, bot = storing_dispatcher(unit), Bot(TOKEN, session=RecordingSession())
        floor_latencies: list[float] = []
        echo = echo_floor(floor_latencies)
        await echo([text_update(1, 1, "/start"), text_update(2, 1, "x")])  # first-use costs
        gate = asyncio.Semaphore(concurrency)
        stored, floor = Clock(), Clock()
        next_id = 10_000_000
        for first in range(0, args.users, BATCH):
            people = range(2_000_000 + first, 2_000_000 + min(args.users, first + BATCH))
            for _ in range(ROUNDS):
                batch = []
                for person in people:
                    next_id += 1
                    batch.append(text_update(next_id, person, "Kā rīkoties, ja bērns kavē?"))
                w0, c0 = time.perf_counter(), time.process_time()
                await store(batch)

                async def one(u: dict[str, Any]) -> None:
                    async with gate:
                        t1 = time.perf_counter()
                        await dp.feed_update(bot, Update.model_validate(u, context={"bot": bot}))
                        stored.latencies.append(time.perf_counter() - t1)

                await asyncio.gather(*(one(u) for u in batch))
                stored.wall += time.perf_counter() - w0
                stored.cpu += time.process_time() - c0
                stored.count += len(batch)
                w0, c0 = time.perf_counter(), time.process_time()
                await echo(batch)
                floor.wall += time.perf_counter() - w0
                floor.cpu += time.process_time() - c0
                floor.count += len(batch)
        await close()
    floor.latencies = floor_latencies
    s, f = stored.figures(), floor.figures()
    return {
        "storage_floor_per_s": s["per_s"],
        "echo_floor_per_s": f["per_s"],
        "ratio_bound": round(s["per_s"] / f["per_s"], 3),
        "p50_ms": s["p50_ms"],
        "p99_ms": s["p99_ms"],
        "cpu_ms_per_update": s["cpu_ms_per_update"],
        "echo_cpu_ms_per_update": f["cpu_ms_per_update"],
        "database": "postgresql" if postgres else "sqlite",
        "round_trips": (2 if args.lean else 6) if postgres else 0,
        "users": args.users,
        "updates": stored.count,
        "concurrency": concurrency,
        "machine": machine(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--database", help="SQLAlchemy URL (default: a temporary SQLite file)")
    parser.add_argument("--users", type=int, default=10_000, help="distinct people")
    parser.add_argument("--concurrency", type=int, default=0, help="PostgreSQL units at once")
    parser.add_argument(
        "--lean", action="store_true", help="PostgreSQL: all writes in one statement"
    )
    parser.add_argument("--no-save", action="store_true", help="do not write bench/results/")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    result = asyncio.run(run(args))
    name = f"storage-floor-{result['database']}{'-lean' if args.lean else ''}"
    report(result, None if args.no_save else name, args.json)


if __name__ == "__main__":
    main()
