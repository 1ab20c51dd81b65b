"""Webhook mode with real bot processes: how fast an update is acknowledged, and how many updates
per second one or two processes on one database take from the inbox through the dispatcher.

Updates are POSTed by several threads at once (Telegram opens up to 40 connections) to the bots'
webhooks, round-robin; "handled" is read from each process's /metrics. Replies still go out through
the rate-limited sender (≈ 29 messages/s), which is not what this measures. Prints figures; not a
test. Set TEST_DATABASE_URL to a PostgreSQL server to run on PostgreSQL (two processes need it).

    python bench/webhook.py [--updates N] [--users U] [--processes P] [--posters K] [--json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.databases import fresh_database, postgres_admin_url
from tests.e2e.webhook_harness import SECRET, WEBHOOK_URL, WebhookBot, webhook_bots
from tests.fake_telegram import make_message, make_update, make_user
from tests.fake_telegram.webhook import post

SCRIPT = ["/menu", "/help", "sveiki", "/language", "/cancel"]


def handled(bots: list[WebhookBot]) -> int:
    total = 0
    for bot in bots:
        _, body = bot.get("/metrics")
        for line in body.splitlines():
            if line.startswith("pumpurs_updates_handled_total "):
                total += int(float(line.split()[1]))
    return total


def wait_handled(bots: list[WebhookBot], n: int, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while handled(bots) < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"only {handled(bots)} of {n} updates handled")
        time.sleep(0.02)


def run(processes: int, n: int, users: int, posters: int) -> dict[str, Any]:
    with (
        tempfile.TemporaryDirectory() as tmp,
        fresh_database(Path(tmp)) as url,
        webhook_bots(url, Path(tmp), count=processes) as (_tg, bots),
    ):
        ids = iter(range(1, 10**9))

        def update(user: int, text: str) -> dict[str, Any]:
            message = make_message(text, make_user(user))
            return make_update("message", message, update_id=next(ids))

        def send(pair: tuple[int, dict[str, Any]]) -> float:
            i, u = pair
            t0 = time.perf_counter()
            status = post(bots[i % len(bots)].base, WEBHOOK_URL, u, SECRET)
            assert status == 200, status
            return time.perf_counter() - t0

        base = 10_000
        warm = [update(base + i, "/start") for i in range(users)]  # first contacts
        with ThreadPoolExecutor(posters) as pool:
            list(pool.map(send, enumerate(warm)))
            wait_handled(bots, users)
            work = [update(base + i % users, SCRIPT[(i // users) % len(SCRIPT)]) for i in range(n)]
            started = time.perf_counter()
            acks = sorted(pool.map(send, enumerate(work)))
            posted = time.perf_counter() - started
            wait_handled(bots, users + n)
            elapsed = time.perf_counter() - started
    return {
        "database": "postgresql" if postgres_admin_url() else "sqlite",
        "processes": processes,
        "updates": n,
        "users": users,
        "posters": posters,
        "ack_p50_ms": round(statistics.median(acks) * 1000, 2),
        "ack_p95_ms": round(acks[int(len(acks) * 0.95) - 1] * 1000, 2),
        "ack_p99_ms": round(acks[int(len(acks) * 0.99) - 1] * 1000, 2),
        "posted_per_s": round(n / posted, 1),
        "handled_per_s": round(n / elapsed, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=1000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--posters", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.processes > 1 and postgres_admin_url() is None:
        raise SystemExit("several processes need PostgreSQL: set TEST_DATABASE_URL")
    result = run(args.processes, args.updates, args.users, args.posters)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"{result['database']}, {result['processes']} process(es), {result['updates']} updates "
        f"from {result['users']} users, {result['posters']} concurrent posters"
    )
    print(
        f"  webhook ack: p50 {result['ack_p50_ms']} ms, p95 {result['ack_p95_ms']} ms, "
        f"p99 {result['ack_p99_ms']} ms; posted {result['posted_per_s']} updates/s"
    )
    print(f"  handled (inbox → dispatcher → committed): {result['handled_per_s']} updates/s")


if __name__ == "__main__":
    main()
