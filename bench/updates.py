"""Updates per second and latency through the real framework feed, SQLite file database.

Each update takes the production path: stored in the inbox (in batches, as getUpdates delivers
them), fed through the chosen framework (aiogram's dispatcher, or python-telegram-bot's
Application with --framework ptb) to the handler, processed as one unit of work that reads the
person, their roles and cursor and writes the cursor, the outbox and the inbox mark. The floor is
a bare aiogram echo handler with a recording session; "feed only" is the chosen framework's parse
and dispatch with a processor that does nothing. Prints figures; not a test.

    python bench/updates.py [--json] [--updates N] [--framework aiogram|ptb]
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
from bot.channels.telegram_feeds import Feed, open_feed
from bot.config import Settings
from bot.storage import migrate
from bot.storage.database import Database
from bot.storage.repos import inbox

TOKEN = "123456:BENCHtoken_abcdefghijklmnopqrst"
SCRIPT = ["/menu", "/language", "labi", "/cancel", "/help", "/menu", "sveiki", "/start"]


def workload(n: int, users: int) -> list[dict[str, Any]]:
    return [
        text_update(i + 1, 10_000 + i % users, SCRIPT[(i // users) % len(SCRIPT)]) for i in range(n)
    ]


async def run_dialog(n: int, users: int, concurrency: int, framework: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        await asyncio.to_thread(migrate.upgrade, url)
        db = Database(url)
        # Nothing listens at the API base: the feeds only parse; replies go to the outbox.
        settings = Settings(bot_framework=framework, telegram_api_base="http://127.0.0.1:9")
        feed = await open_feed(settings, Processor(db, build_engine()), TOKEN)
        updates = workload(n, users)
        for u in updates[: users * 2]:  # warm-up: first contacts create the users
            await _store_and_feed(db, feed, [u])
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
                        await feed(u["update_id"], u)
                        latencies.append(time.perf_counter() - t1 + share)

            await asyncio.gather(*(chat(items) for items in by_chat.values()))
        elapsed = time.perf_counter() - started
        await feed.close()
        await db.close()
        return summary(latencies, elapsed)


async def _store_and_feed(db: Database, feed: Feed, batch: list[dict[str, Any]]) -> None:
    rows = [(u["update_id"], u["message"]["chat"]["id"], u) for u in batch]
    await db.run(lambda s: inbox.add_many(s, rows))
    for u in batch:
        await feed(u["update_id"], u)


class _NullProcessor:
    """Takes the event and does nothing: what is left is the framework's parse and dispatch."""

    async def handle(self, event: object, deliver: object, *, update_id: int | None = None) -> None:
        return None


async def run_feed_only(n: int, users: int, framework: str) -> dict[str, float]:
    settings = Settings(bot_framework=framework, telegram_api_base="http://127.0.0.1:9")
    feed = await open_feed(settings, _NullProcessor(), TOKEN)  # type: ignore[arg-type]
    latencies = []
    started = time.perf_counter()
    for u in workload(n, users):
        t0 = time.perf_counter()
        await feed(u["update_id"], u)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - started
    await feed.close()
    return summary(latencies, elapsed)


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
    parser.add_argument("--framework", choices=("aiogram", "ptb"), default="aiogram")
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    echo = asyncio.run(run_echo(args.updates, args.users))
    parse = asyncio.run(run_feed_only(args.updates, args.users, args.framework))
    dialog = asyncio.run(
        run_dialog(args.updates + args.users * 2, args.users, args.concurrency, args.framework)
    )
    result = {
        "framework": args.framework,
        "updates_per_s": dialog["per_s"],
        "echo_floor_per_s": echo["per_s"],
        "ratio": round(dialog["per_s"] / echo["per_s"], 3),
        "p50_ms": dialog["p50_ms"],
        "p99_ms": dialog["p99_ms"],
        "echo_p50_ms": echo["p50_ms"],
        "feed_only_per_s": parse["per_s"],  # parse + dispatch in the framework, no database
        "feed_only_p50_ms": parse["p50_ms"],
        "database": "sqlite",
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>18}: {value}")


if __name__ == "__main__":
    main()
