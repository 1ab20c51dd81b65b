"""The one sender: drains the outbox into the Bot API within Telegram's limits.

About 30 messages/s overall and one per second per chat; a 429 pauses the whole queue for its
`retry_after`; 5xx and network errors are retried with capped backoff, keeping each chat's order;
a 403 marks the person unreachable and drops what was waiting for them. A row is marked sent
only after Telegram accepted it, so a crash can repeat at most the calls that were in flight.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from bot.channels.instance import LEASE, instance_name
from bot.channels.metrics import Histogram
from bot.channels.telegram_http import (
    BadRequest,
    BotApi,
    Forbidden,
    RetryAfter,
    TelegramError,
    Transient,
)
from bot.storage.database import Database
from bot.storage.repos import outbox, people
from bot.storage.types import utcnow

log = logging.getLogger(__name__)

# Calls that are not chat messages do not count against the per-chat and global message limits.
UNLIMITED = frozenset({"answerCallbackQuery", "setMyCommands", "deleteMessage", "sendChatAction"})
FILE_FIELD = "_file"  # outbox payload keys for an upload: the local path and the form field
FILE_KIND = "_field"
CLEANUP = "_cleanup"  # delete the local file once Telegram has it (personal data exports)


@dataclass(frozen=True, slots=True)
class Limits:
    global_per_s: float = 29.0  # a hair under Telegram's 30 so jitter never trips it
    per_chat_interval: float = 1.0
    concurrency: int = 8
    max_backoff: float = 30.0
    max_attempts: int = 20
    lease: dt.timedelta = LEASE  # how long a round's chats stay with this process


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    chat_id: int
    method: str
    payload: dict[str, Any]
    attempts: int


Unreachable = Callable[[Session, int], None]


class Sender:
    def __init__(
        self,
        db: Database,
        api: BotApi,
        limits: Limits | None = None,
        on_unreachable: Unreachable | None = None,
        owner: str | None = None,
        sole: bool = False,
    ) -> None:
        self.db, self.api = db, api
        self.limits = limits or Limits()
        self.owner = owner or instance_name()
        self.sole = sole  # the only process on this database: any lease left is a dead run's
        self.on_unreachable = on_unreachable
        self._wake = asyncio.Event()
        self._paused_until = 0.0
        self._next_global = 0.0
        self._pacing = asyncio.Lock()
        self._chat_ready: dict[int, float] = {}
        self._retry_at: dict[int, float] = {}
        self.sent = 0
        self.failed = 0
        self.unreachable = 0
        self.latency = Histogram()

    def wake(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event) -> None:
        if self.sole:
            await self.db.run(lambda s: outbox.release(s, None))
        try:
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(self._heartbeat(stop))
                await self._loop(stop)
        finally:
            await self.release()

    async def release(self) -> None:
        """Hand this process's chats back (shutdown), so another process sends at once."""
        await self.db.run(lambda s: outbox.release(s, self.owner))

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        """Keep this process's chats while a long round (pacing, a 429 pause) goes on."""
        every = self.limits.lease.total_seconds() / 3
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), every)
            except TimeoutError:
                try:
                    await self.db.run(
                        lambda s: outbox.renew(s, self.owner, utcnow(), self.limits.lease)
                    )
                except Exception:  # the database is away: the next beat tries again
                    log.warning("could not renew the outbox leases")

    async def _loop(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            delay = await self.round()
            if delay is None:
                continue
            self._wake.clear()
            waiter = asyncio.ensure_future(self._wake.wait())
            stopper = asyncio.ensure_future(stop.wait())
            await asyncio.wait({waiter, stopper}, timeout=delay, return_when="FIRST_COMPLETED")
            waiter.cancel()
            stopper.cancel()

    async def drain(self, seconds: float) -> bool:
        """Send until the outbox is empty or the time is up (shutdown, tests)."""
        deadline = time.monotonic() + seconds
        try:
            while time.monotonic() < deadline:
                delay = await self.round()
                if delay is not None:
                    if await self.db.run(outbox.depth) == 0:
                        return True
                    await asyncio.sleep(min(delay, max(0.0, deadline - time.monotonic())))
            return False
        finally:
            await self.release()

    async def round(self) -> float | None:
        """Send what may go now. Returns how long to wait, or None to go again at once."""
        now = time.monotonic()
        if self._paused_until > now:
            return self._paused_until - now
        rows = await self.db.run(self._claim)
        if not rows:
            return 1.0
        busy: set[int] = set()
        chosen: list[_Row] = []
        wait = 1.0
        for row in rows:
            if row.chat_id in busy:
                continue
            busy.add(row.chat_id)  # later rows of this chat wait for this one: order is kept
            ready = max(self._retry_at.get(row.id, 0.0), self._chat_ready_at(row))
            if ready > now:
                wait = min(wait, ready - now)
                continue
            chosen.append(row)
        if not chosen:
            return wait
        gate = asyncio.Semaphore(self.limits.concurrency)

        async def one(row: _Row) -> None:
            async with gate:
                if self._paused_until > time.monotonic():
                    return
                await self._pace(row)
                await self._send(row)

        await asyncio.gather(*(one(r) for r in chosen))
        return None

    def _chat_ready_at(self, row: _Row) -> float:
        return 0.0 if row.method in UNLIMITED else self._chat_ready.get(row.chat_id, 0.0)

    async def _pace(self, row: _Row) -> None:
        if row.method in UNLIMITED:
            return
        interval = 1.0 / self.limits.global_per_s
        async with self._pacing:  # one caller at a time, so slots follow real send times
            now = time.monotonic()
            if self._next_global > now:
                await asyncio.sleep(self._next_global - now)
            went = time.monotonic()
            # A late wake-up (a busy machine) is made up for by at most a fifth of a slot:
            # catching up in a burst would break Telegram's sliding one-second window.
            self._next_global = max(self._next_global, went - interval / 5) + interval

    async def _send(self, row: _Row) -> None:
        params = {k: v for k, v in row.payload.items() if not k.startswith("_")}
        started = time.monotonic()
        try:
            await self.api.call(
                row.method,
                params,
                file_field=row.payload.get(FILE_KIND),
                file_path=row.payload.get(FILE_FIELD),
            )
        except RetryAfter as exc:
            self._paused_until = time.monotonic() + exc.seconds
            log.warning("Telegram asked to slow down for %.0f s", exc.seconds)
            await self.db.run(lambda s: outbox.note_attempt(s, row.id, "429"))
        except Forbidden as exc:
            reason = exc.description
            log.info("chat unreachable (%s); its waiting messages are dropped", reason)
            self.unreachable += 1
            await self.db.run(lambda s: self._unreachable(s, row.chat_id, reason))
        except BadRequest as exc:
            await self._bad_request(row, exc)
        except (Transient, TelegramError) as exc:
            await self._retry_later(row, exc.description)
        else:
            self.latency.observe(time.monotonic() - started)
            self.sent += 1
            if row.method not in UNLIMITED:
                self._chat_ready[row.chat_id] = time.monotonic() + self.limits.per_chat_interval
            self._retry_at.pop(row.id, None)
            await self.db.run(lambda s: outbox.mark_sent(s, row.id))
            if row.payload.get(CLEANUP) and row.payload.get(FILE_FIELD):
                await asyncio.to_thread(Path(str(row.payload[FILE_FIELD])).unlink, missing_ok=True)

    async def _retry_later(self, row: _Row, error: str) -> None:
        if row.attempts + 1 >= self.limits.max_attempts:
            log.error("giving up %s after %d attempts: %s", row.method, row.attempts + 1, error)
            self.failed += 1
            await self.db.run(lambda s: outbox.mark_failed(s, row.id, error))
            return
        backoff = min(self.limits.max_backoff, 0.25 * 2**row.attempts)
        self._retry_at[row.id] = time.monotonic() + backoff
        await self.db.run(lambda s: outbox.note_attempt(s, row.id, error))

    async def _bad_request(self, row: _Row, exc: BadRequest) -> None:
        text = exc.description.lower()
        if "not modified" in text:
            await self.db.run(lambda s: outbox.mark_sent(s, row.id))
        elif row.method == "editMessageText" and ("not found" in text or "can't be" in text):
            # An old message cannot be edited any more: send the new text as a new message.
            payload = {k: v for k, v in row.payload.items() if k != "message_id"}
            await self.db.run(lambda s: outbox.replace_call(s, row.id, "sendMessage", payload))
        else:
            log.error("Telegram refused %s: %s", row.method, exc.description)
            self.failed += 1
            await self.db.run(lambda s: outbox.mark_failed(s, row.id, exc.description))

    def _unreachable(self, session: Session, chat_id: int, reason: str) -> None:
        outbox.fail_chat(session, chat_id, reason)
        if self.on_unreachable is not None:
            # Before the mark: the hook tells people only when this is news.
            self.on_unreachable(session, chat_id)
        people.mark_unreachable(session, chat_id)

    def _claim(self, session: Session) -> list[_Row]:
        # Each round sends at most the oldest call of each chat: only those are read in full.
        first: dict[int | None, int] = {}
        for message_id, chat in outbox.lease(session, self.owner, utcnow(), self.limits.lease, 200):
            first.setdefault(chat, message_id)
        rows = outbox.by_ids(session, list(first.values()))
        return [_Row(r.id, r.chat_id, r.method, dict(r.payload), r.attempts) for r in rows]
