"""Updates per second and latency through the real aiogram dispatcher, SQLite file database.

Each update takes the production path: stored in the inbox (in batches, as getUpdates delivers
them), fed through the dispatcher to the handler, processed as one unit of work that reads the
person, their roles and cursor and writes the cursor, the outbox and the inbox mark. The floor is
a bare echo handler through the same dispatcher and recording session. Prints figures; not a test.

    python bench/updates.py [--json] [--updates N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import Message, Update

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench._harness import RecordingSession, summary, text_update
from bot.app.build import build_engine
from bot.app.processor import Processor
from bot.channels.aiogram_app import build_dispatcher
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repos import inbox

TOKEN = "123456:BENCHtoken_abcdefghijklmnopqrst"
SCRIPT = ["/menu", "/language", "labi", "/cancel", "/help", "/menu", "sveiki", "/start"]


def workload(n: int, users: int) -> list[dict[str, Any]]:
    return [
        text_update(i + 1, 10_000 + i % users, SCRIPT[(i // users) % len(SCRIPT)]) for i in range(n)
    ]


async def run_dialog(n: int, users: int, concurrency: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(migrate.upgrade, url)
        db = Database(url)
        bot = Bot(TOKEN, session=RecordingSession())
        dispatcher = build_dispatcher(Processor(db, build_engine()))
        updates = workload(n, users)
        for u in updates[: users * 2]:  # warm-up: first contacts create the users
            await _store_and_feed(db, dispatcher, bot, [u])
        latencies: list[float] = []
        rest = updates[users * 2 :]
        started = time.perf_counter()
        for i in range(0, len(rest), 100):
            batch = rest[i : i + 100]
            t0 = time.perf_counter()
            rows = [(u["update_id"], u["message"]["chat"]["id"], u) for u in batch]
            await db.run(lambda s, rows=rows: inbox.add_many(s, rows))  # type: ignore[misc]
            share = (time.perf_counter() - t0) / len(batch)
            # As the inbox worker does: chats in parallel, each chat's updates in order.
            by_chat: dict[int, list[dict[str, Any]]] = {}
            for u in batch:
                by_chat.setdefault(u["message"]["chat"]["id"], []).append(u)
            gate = asyncio.Semaphore(concurrency)

            async def chat(
                items: list[dict[str, Any]], gate: asyncio.Semaphore = gate, share: float = share
            ) -> None:
                for u in items:
                    async with gate:
                        t1 = time.perf_counter()
                        update = Update.model_validate(u, context={"bot": bot})
                        await dispatcher.feed_update(bot, update)
                        latencies.append(time.perf_counter() - t1 + share)

            await asyncio.gather(*(chat(items) for items in by_chat.values()))
        elapsed = time.perf_counter() - started
        await db.close()
        return summary(latencies, elapsed)


async def _store_and_feed(
    db: Database, dp: Dispatcher, bot: Bot, batch: list[dict[str, Any]]
) -> None:
    rows = [(u["update_id"], u["message"]["chat"]["id"], u) for u in batch]
    await db.run(lambda s: inbox.add_many(s, rows))
    for u in batch:
        await dp.feed_update(bot, Update.model_validate(u, context={"bot": bot}))


async def run_echo(n: int, users: int) -> dict[str, float]:
    router = Router()

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    bot = Bot(TOKEN, session=RecordingSession())
    latencies = []
    started = time.perf_counter()
    for u in workload(n, users):
        t0 = time.perf_counter()
        await dispatcher.feed_update(bot, Update.model_validate(u, context={"bot": bot}))
        latencies.append(time.perf_counter() - t0)
    return summary(latencies, time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--updates", type=int, default=3000)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1, help="chats processed at once")
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    echo = asyncio.run(run_echo(args.updates, args.users))
    dialog = asyncio.run(run_dialog(args.updates + args.users * 2, args.users, args.concurrency))
    result = {
        "updates_per_s": dialog["per_s"],
        "echo_floor_per_s": echo["per_s"],
        "ratio": round(dialog["per_s"] / echo["per_s"], 3),
        "p50_ms": dialog["p50_ms"],
        "p99_ms": dialog["p99_ms"],
        "echo_p50_ms": echo["p50_ms"],
        "database": "sqlite",
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
