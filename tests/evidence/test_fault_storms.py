"""Fault storms through the fake Bot API: bursts of 429, 5xx, timeouts and dropped connections.

No reply is lost, each chat sees its replies in order, and a reply repeats only where its send
was in flight when the client gave up (a timeout: Telegram delivered it, we never heard back).
"""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.channels.sender import Limits, Sender
from bot.channels.telegram_http import BotApi
from bot.storage.database import Database
from bot.storage.models import InboxUpdate, OutboxMessage
from bot.storage.repos import outbox
from tests.e2e.harness import TOKEN, running_bot, table_rows, texts
from tests.evidence.flags import report, scale, seeds
from tests.fake_telegram import FakeTelegram, Fault

TIMEOUT = 0.25  # the client's patience; a delay longer than this is a send left in flight
FAST = Limits(per_chat_interval=0.02, max_backoff=0.2)


def storm(rng: random.Random, calls: int, longest: int = 6) -> list[Fault]:
    """A schedule of faults, one per call, in bursts; `delay(0)` calls are served normally."""
    out: list[Fault] = []
    while len(out) < calls:
        kind = rng.choice(["ok", "ok", "429", "5xx", "drop", "timeout"])
        burst = rng.randint(1, longest)
        if kind == "ok":
            out += [Fault.delay(0)] * burst
        elif kind == "429":
            out += [Fault.retry_after(1)] * min(burst, 2)
        elif kind == "5xx":
            out += [Fault.server_error(rng.choice([500, 502, 503, 504])) for _ in range(burst)]
        elif kind == "drop":
            out += [Fault.drop()] * burst
        else:
            out += [Fault.delay(TIMEOUT * 2)] * burst
    return out


def in_flight(tg: FakeTelegram, chat: int) -> Counter[str]:
    """Texts whose call Telegram served after the client had already timed out."""
    return Counter(
        str(c.params.get("text"))
        for c in tg.calls("sendMessage")
        if c.chat_id == chat and c.ok and c.fault is not None and c.fault.seconds > TIMEOUT
    )


def judge(tg: FakeTelegram, chat: int, expected: list[str]) -> tuple[int, int]:
    """(lost, unexplained duplicates) for one chat; order is asserted here."""
    got = texts(tg, chat)
    firsts = list(dict.fromkeys(got))
    assert [t for t in firsts if t in expected] == [t for t in expected if t in firsts], got
    extra = Counter(got) - Counter(set(got))
    unexplained = sum(max(0, n - in_flight(tg, chat)[t]) for t, n in extra.items())
    return len(set(expected) - set(got)), unexplained


def _faults(tg: FakeTelegram) -> dict[str, int]:
    kinds = Counter(
        "timeout" if c.fault.seconds > TIMEOUT else c.fault.kind
        for c in tg.calls()
        if c.fault is not None and (c.status != 200 or c.fault.seconds > TIMEOUT)
    )
    return dict(kinds)


@pytest.mark.parametrize("seed", seeds(1))
async def test_sender_loses_nothing_in_a_fault_storm(db_url: str, seed: int) -> None:
    print(f"fault storm seed={seed} (replay: EVIDENCE_SEED={seed})")
    rng = random.Random(seed)
    chats, per_chat = scale(8, 30), scale(6, 20)
    expected = {c: [f"chat {c} reply {i}" for i in range(per_chat)] for c in range(1, chats + 1)}
    db = Database(db_url)
    rows: list[tuple[int, str, dict[str, Any]]] = [
        (c, "sendMessage", {"chat_id": c, "text": t}) for i in range(per_chat) for c, ts in
        expected.items() for t in ts[i : i + 1]
    ]  # fmt: skip
    await db.run(lambda s: outbox.add_many(s, rows))
    async with FakeTelegram(token=TOKEN) as tg, BotApi(tg.base_url, TOKEN, timeout=TIMEOUT) as api:
        faults = storm(rng, len(rows) * 2)
        tg.inject("sendMessage", *faults)
        assert await Sender(db, api, FAST).drain(scale(60, 300))
        lost = dup = 0
        for chat, want in expected.items():
            lost_here, dup_here = judge(tg, chat, want)
            lost, dup = lost + lost_here, dup + dup_here
        report("sender fault storm", seed=seed, messages=len(rows), faults=_faults(tg),
               lost=lost, unexplained_duplicates=dup)  # fmt: skip
        assert (lost, dup) == (0, 0)
    states = await db.run(lambda s: list(s.execute(select(OutboxMessage.state)).scalars()))
    assert set(states) == {"sent"}
    await db.close()


@pytest.mark.parametrize("seed", seeds(1))
def test_running_bot_answers_every_update_in_order_through_a_storm(
    db_url: str, tmp_path: Path, seed: int
) -> None:
    print(f"bot fault storm seed={seed} (replay: EVIDENCE_SEED={seed})")
    rng = random.Random(seed)
    users = list(range(300, 300 + scale(4, 30)))
    rounds = scale(2, 8)
    with running_bot(db_url, tmp_path) as (tg, _bot):
        # Receiving fails too: the poller must keep going through 5xx and dropped connections.
        # (The poller backs off 1, 2, 4... s; the sender's backoff grows from 0.25 s.)
        outages = range(scale(1, 3))
        receiving = [rng.choice([Fault.server_error(502), Fault.drop()]) for _ in outages]
        tg.inject("getUpdates", *receiving)
        faults = storm(rng, len(users) * (rounds + 1), longest=scale(3, 6))
        tg.inject("sendMessage", *[f for f in faults if f.seconds <= TIMEOUT])
        for user in users:
            tg.send_text(user, "/start")
        for round_ in range(rounds):
            for user in users:
                tg.send_text(user, "/menu" if round_ % 2 == 0 else "/help")
        expected = 1 + rounds
        tg.wait_for(
            lambda: all(len(tg.sent_messages(u)) >= expected for u in users),
            timeout=scale(60, 240),
            description="every update answered",
        )
        lost = sum(max(0, expected - len(tg.sent_messages(u))) for u in users)
        for user in users:
            shown = texts(tg, user)
            assert len(shown) == expected, shown  # nothing lost, nothing repeated
            heads = ["Galvenā izvēlne" if r % 2 == 0 else "Es atbildu" for r in range(rounds)]
            assert all(s.startswith(h) for s, h in zip(shown[1:], heads, strict=True)), shown
        report("bot fault storm", seed=seed, updates=len(users) * expected, faults=_faults(tg),
               lost=lost)  # fmt: skip
    inbox = table_rows(db_url, InboxUpdate)
    assert {r.status for r in inbox} == {"done"} and len(inbox) == len(users) * expected
