"""Several processes on one database: per-chat leases on the inbox and the outbox, plan versions.

Two `Database` objects stand for two processes (separate connections, separate lease owners).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy.orm import Session

from bot.channels.inbox_worker import InboxWorker
from bot.channels.sender import Limits, Sender
from bot.channels.telegram_http import BotApi
from bot.storage.database import Database
from bot.storage.repos import inbox, outbox, plans
from tests.fake_telegram import FakeTelegram
from tests.test_storage import _seed

TOKEN = "123456:TESTtoken_abcdefghijklmnopqrstu"
LEASE = dt.timedelta(seconds=20)
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)


def _store(db: Database, rows: list[tuple[int, int | None]]) -> Any:
    return db.run(lambda s: inbox.add_many(s, [(u, c, {"update_id": u}) for u, c in rows]))


def _lease(db: Database, owner: str, at: dt.datetime) -> Any:
    return db.run(lambda s: [u for u, _ in inbox.lease(s, owner, at, LEASE)])


def _done(db: Database, *ids: int) -> Any:
    def unit(s: Session) -> None:
        for update_id in ids:
            inbox.finish(s, update_id)

    return db.run(unit)


async def test_a_chat_stays_with_one_process_until_its_updates_are_done(db_url: str) -> None:
    db = Database(db_url)
    try:
        await _store(db, [(1, 10), (2, 10), (3, 20), (4, None)])
        assert await _lease(db, "a", T0) == [1, 2, 3, 4]
        assert await _lease(db, "b", T0) == []  # everything is a's while a works on it
        await _done(db, 1, 3)
        await _store(db, [(5, 10), (6, 20)])
        # Chat 10 still has update 2 with a, so 5 must wait for a too (order within a chat).
        assert await _lease(db, "b", T0) == [6]
        assert await _lease(db, "a", T0) == [2, 4, 5]
    finally:
        await db.close()


async def test_a_dead_process_lease_runs_out_and_release_hands_chats_back(db_url: str) -> None:
    db = Database(db_url)
    try:
        await _store(db, [(1, 10), (2, 20)])
        assert await _lease(db, "dead", T0) == [1, 2]
        assert await _lease(db, "b", T0 + LEASE / 2) == []
        assert await _lease(db, "b", T0 + LEASE + dt.timedelta(seconds=1)) == [1, 2]
        assert await db.run(lambda s: inbox.release(s, "b")) == 2
        assert await _lease(db, "c", T0 + LEASE) == [1, 2]  # at once, no lease to wait out
    finally:
        await db.close()


async def test_two_inbox_workers_take_each_update_once_in_chat_order(db_url: str) -> None:
    dbs = [Database(db_url), Database(db_url)]
    chats, per_chat = 6, 8
    fed: dict[int, list[int]] = defaultdict(list)
    seen: list[int] = []
    stop = asyncio.Event()

    def feeder(db: Database) -> Any:
        async def feed(update_id: int, payload: dict[str, Any]) -> None:
            await asyncio.sleep(0)  # let the other worker interleave
            fed[update_id % chats].append(update_id)
            seen.append(update_id)
            await db.run(lambda s: inbox.finish(s, update_id))
            if len(seen) >= chats * per_chat:
                stop.set()

        return feed

    try:
        ids = range(1, chats * per_chat + 1)
        await _store(dbs[0], [(u, u % chats) for u in ids])
        workers = [
            InboxWorker(db, feeder(db), concurrency=4, owner=f"p{i}") for i, db in enumerate(dbs)
        ]
        await asyncio.wait_for(asyncio.gather(*(w.run(stop) for w in workers)), 30)
        assert sorted(seen) == list(ids)  # once each
        assert all(fed[c] == sorted(fed[c]) for c in fed), fed  # in order within each chat
        assert await dbs[0].run(inbox.count_pending) == 0
    finally:
        for db in dbs:
            await db.close()


async def test_two_senders_send_each_message_once_in_chat_order(db_url: str) -> None:
    dbs = [Database(db_url), Database(db_url)]
    chats, per_chat = 5, 4
    calls = [(c, f"{c}-{i}") for i in range(per_chat) for c in range(1, chats + 1)]
    try:
        await dbs[0].run(
            lambda s: outbox.add_many(
                s, [(c, "sendMessage", {"chat_id": c, "text": t}) for c, t in calls]
            )
        )
        async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN) as api:
            limits = Limits(per_chat_interval=0.05, max_backoff=0.2)
            senders = [Sender(db, api, limits, owner=f"p{i}") for i, db in enumerate(dbs)]
            assert all(await asyncio.gather(*(s.drain(20) for s in senders)))
            for chat in range(1, chats + 1):
                shown = [m["text"] for m in tg.sent_messages(chat)]
                assert shown == [f"{chat}-{i}" for i in range(per_chat)]
            assert sum(s.sent for s in senders) == len(calls)
    finally:
        for db in dbs:
            await db.close()


async def test_plan_edited_from_two_processes_keeps_the_version_rule(db_url: str) -> None:
    a, b = Database(db_url), Database(db_url)
    try:
        plan_id = await a.run(_seed)

        def edit(note: str) -> Any:
            def unit(s: Session) -> int:
                plan = plans.change(s, plan_id, 1, lambda c: c.update(note=note))
                return plan.version

            return unit

        results = await asyncio.gather(
            a.run(edit("from a")), b.run(edit("from b")), return_exceptions=True
        )
        assert sorted(map(type, results), key=str) == sorted([int, plans.VersionConflict], key=str)
        saved = await a.run(lambda s: plans.get(s, plan_id))
        assert saved is not None and saved.version == 2
        winner = "from a" if isinstance(results[0], int) else "from b"
        assert saved.content["note"] == winner  # the refused edit left no trace
    finally:
        await a.close()
        await b.close()


async def test_a_live_sender_keeps_its_chats_by_renewing(db_url: str) -> None:
    db = Database(db_url)
    try:
        await db.run(
            lambda s: outbox.add_many(s, [(1, "sendMessage", {"chat_id": 1, "text": "a"})])
        )

        def lease(owner: str, at: dt.datetime) -> Any:
            return db.run(lambda s: [i for i, _ in outbox.lease(s, owner, at, LEASE)])

        assert len(await lease("a", T0)) == 1
        later = T0 + LEASE - dt.timedelta(seconds=1)
        assert await db.run(lambda s: outbox.renew(s, "a", later, LEASE)) == 1
        assert await lease("b", T0 + LEASE + dt.timedelta(seconds=1)) == []  # a is alive
        assert len(await lease("b", later + LEASE + dt.timedelta(seconds=1))) == 1  # a died
    finally:
        await db.close()
