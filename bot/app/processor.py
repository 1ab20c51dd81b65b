"""Handles one event as one unit of work: person, cursor, engine, effects, replies, inbox mark."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.app.services import Services
from bot.core.context import Ctx, Cursor, Person
from bot.core.engine import Engine, Turn
from bot.core.events import Event
from bot.core.replies import Reply, say
from bot.domain.access import Actor
from bot.domain.roles import Role, parse_role
from bot.reminders.sync import KeepRemindersInStep
from bot.storage.database import Database
from bot.storage.repos import inbox, people, turns

log = logging.getLogger(__name__)

Clock = Callable[[], dt.datetime]


class Deliver(Protocol):
    """Puts a turn's replies on their way, inside the same transaction (the outbox)."""

    def __call__(self, session: Session, turn: Turn, event: Event) -> None: ...


def first_language(language_code: str | None, default: str) -> str:
    """Telegram's language_code picks the first language: Russian for ru, else Latvian."""
    code = (language_code or "").lower()
    if code.startswith("ru"):
        return "ru"
    if code.startswith("lv"):
        return "lv"
    return default


class Processor:
    def __init__(
        self,
        db: Database,
        engine: Engine,
        *,
        default_language: str = "lv",
        tz: ZoneInfo | None = None,
        clock: Clock | None = None,
        log_key: bytes = b"pumpurs",
        admins: frozenset[int] = frozenset(),
    ) -> None:
        self.admins = admins
        self.log_key = log_key  # keys the hash that stands for an asker in the question log
        self.db = db
        self.engine = engine
        self.default_language = default_language
        self.tz = tz or ZoneInfo("Europe/Riga")
        self.clock: Clock = clock or (lambda: dt.datetime.now(dt.UTC))
        if not any(isinstance(h, KeepRemindersInStep) for h in db.before_commit):
            # Every change a person makes keeps the plan's reminders in step, in its transaction.
            db.before_commit.append(KeepRemindersInStep(self.tz, clock=self.clock))

    async def handle(
        self,
        event: Event,
        deliver: Deliver,
        *,
        update_id: int | None = None,
        resume: bool = False,
    ) -> Turn | None:
        """Process the event; on an unexpected error apologise and change nothing else.

        Returns None when the update was already processed (a duplicate delivery).
        """
        try:
            return await self.db.run(lambda s: self._unit(s, event, deliver, update_id, resume))
        except Exception:
            log.exception("processing failed for an update of kind %s", event.kind.value)
        return await self.db.run(lambda s: self._apology(s, event, deliver, update_id))

    def _unit(
        self,
        session: Session,
        event: Event,
        deliver: Deliver,
        update_id: int | None,
        resume: bool,
    ) -> Turn | None:
        if update_id is not None and not turns.claim_update(session, update_id):
            return None
        who, ctx = self._context(session, event)
        cursor = Cursor(who.dialog, who.step, who.data, who.serial)
        turn = self.engine.resume(cursor, ctx) if resume else self.engine.handle(cursor, event, ctx)
        turn.flags = frozenset(ctx.services.flags)
        c = turn.cursor
        if "erased" not in turn.flags:  # after /forget no trace of the conversation stays
            turns.save_cursor(session, who, event.chat_id, c.dialog, c.step, c.data, c.serial)
        deliver(session, turn, event)
        return turn

    def _apology(
        self, session: Session, event: Event, deliver: Deliver, update_id: int | None
    ) -> Turn | None:
        if update_id is not None and not turns.claim_update(session, update_id):
            return None
        who, ctx = self._context(session, event)
        cursor = Cursor(who.dialog, who.step, who.data, who.serial)
        turn = Turn([Reply((say("error.internal"),))], cursor, ctx.language)
        deliver(session, turn, event)
        if update_id is not None:
            inbox.finish(session, update_id, inbox.FAILED)
        return turn

    async def note_reachability(self, telegram_id: int, reachable: bool, update_id: int) -> None:
        """The person blocked or unblocked the bot."""

        def unit(session: Session) -> None:
            if inbox.claim(session, update_id) is None:
                return
            user = people.find_user(session, telegram_id)
            if user is not None:
                user.reachable = reachable
            inbox.finish(session, update_id)

        await self.db.run(unit)

    async def skip(self, update_id: int, status: str = "skipped") -> None:
        """An update nothing handles (a channel post): recorded as seen, never retried."""
        await self.db.run(lambda s: inbox.finish(s, update_id, status))

    def _context(self, session: Session, event: Event) -> tuple[turns.Who, Ctx]:
        first = first_language(event.language_code, self.default_language)
        who = turns.load_person(session, event.user_id, event.name, first)
        actor = _actor(session, who, event.user_id in self.admins)
        person = Person(who.user_id, who.name, actor.role_names, actor.schools(), who.is_new)
        language = who.language or first
        now = self.clock()
        services = Services(
            session,
            who.user_id,
            language,
            self.log_key,
            actor,
            event.user_id,
        )
        ctx = Ctx(
            person=person,
            language=language,
            now=now,
            today=now.astimezone(self.tz).date(),
            services=services,
            language_code=event.language_code,
        )
        return who, ctx


def _actor(session: Session, who: turns.Who, admin: bool) -> Actor:
    roles = frozenset(
        (role, school) for name, school in who.roles if (role := parse_role(name)) is not None
    )
    is_parent = any(r == Role.PARENT for r, _ in roles)
    children = turns.children(session, who.user_id) if is_parent else frozenset()
    return Actor(who.user_id, roles, children, admin or any(r == Role.ADMIN for r, _ in roles))
