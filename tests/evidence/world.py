"""A seeded school with every role and plans in several states, cloned cheaply for each run."""

from __future__ import annotations

import asyncio
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.app.build import build_engine
from bot.app.processor import Processor
from bot.channels.render import Rendered
from bot.core.engine import Engine
from bot.storage.database import Database
from bot.storage.models import Plan
from tests.databases import _admin, fresh_database, postgres_admin_url
from tests.people.harness import Chat, rows
from tests.people.test_access import _invite
from tests.plans.test_plan_cycle import (
    HEAD,
    NOW,
    PARENT,
    TEACHER,
    _add_pupil,
    _school,
    _wizard,
)

ADMIN, COORD, SPECIALIST, MUNICIPAL, OTHER_TEACHER = 1, 74, 75, 76, 77
GUEST_RU, NEWCOMER = 78, 79
# Everyone the generated runs act as: every role, a guest and someone never seen before.
PEOPLE = (
    TEACHER,
    HEAD,
    PARENT,
    COORD,
    SPECIALIST,
    MUNICIPAL,
    OTHER_TEACHER,
    ADMIN,
    GUEST_RU,
    NEWCOMER,
)
SCHOOL = "Tukuma 2. vidusskola"
PUPIL = "Lauma"
_ENGINE: Engine | None = None


def engine() -> Engine:
    """The engine is stateless; building it (content, search index) once saves seconds per run."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = build_engine()
    return _ENGINE


def open_chat(url: str) -> Chat:
    db = Database(url)
    processor = Processor(db, engine(), admins=frozenset({ADMIN}), clock=lambda: NOW)
    return Chat(db, processor)


async def _join(chat: Chat, user: int, role: str, school: str, pupil: int | None = None) -> None:
    await chat.say(user, f"/start {await _invite(chat, role, school, pupil)}")


async def seed(chat: Chat) -> None:
    """Teacher, head, parent, coordinator, specialist, municipal coordinator, another school's
    teacher. Plan 1 approved (the coordinator has its card open), plan 2 waiting for approval
    (the head has its card open), plan 3 a fresh draft with the teacher mid-wizard."""
    await _school(chat)
    chat.processor.clock = lambda: NOW
    # One plan per pupil and semester: plans 2 and 3 are for two more pupils of the class.
    await _add_pupil(chat, "Marta", "6.b")
    await _add_pupil(chat, "Pēteris", "6.b")
    for pupil in ("Lauma, 6.b", "Marta, 6.b"):
        await _wizard(chat, pupil)
        await chat.press(TEACHER, "Iesniegt saskaņošanai")
    await chat.say(HEAD, "/plans")
    await chat.press(HEAD, "Nr. 1: Lauma, 6.b")
    await chat.press(HEAD, "Apstiprināt")
    await _join(chat, PARENT, "parent", SCHOOL, pupil=1)
    await _join(chat, COORD, "coordinator", SCHOOL)
    await _join(chat, SPECIALIST, "specialist", SCHOOL)
    await _join(chat, MUNICIPAL, "municipal_coordinator", SCHOOL)
    await _join(chat, OTHER_TEACHER, "teacher", "Cēsu pamatskola")
    await chat.say(OTHER_TEACHER, "/menu")
    await chat.press(OTHER_TEACHER, "Skolēni")
    await chat.press(OTHER_TEACHER, "Pievienot skolēnu")
    await chat.say(OTHER_TEACHER, "Anna")
    await chat.say(OTHER_TEACHER, "5.c")
    await chat.say(GUEST_RU, "/start", lang="ru")
    await chat.say(COORD, "/plans")
    await chat.press(COORD, "Nr. 1: Lauma, 6.b")
    await chat.say(HEAD, "/plans")
    await chat.press(HEAD, "Nr. 2: Marta, 6.b")
    await chat.say(TEACHER, "/newplan")
    await chat.press(TEACHER, "Pēteris, 6.b")
    await chat.press(TEACHER, "2026/27-1")
    statuses = await rows(chat.db, select(Plan.status).order_by(Plan.id))
    assert statuses == [("approved",), ("approval",), ("draft",)], statuses


class World:
    """A seeded template database; `clone()` gives each run its own copy of it."""

    def __init__(self, template: str, tmp: Path, latest: dict[int, Rendered]) -> None:
        self.template, self.tmp = template, tmp
        self.latest = latest  # each person's latest message with buttons after seeding

    @contextmanager
    def clone(self) -> Iterator[str]:
        name = f"c_{uuid.uuid4().hex[:12]}"
        if postgres_admin_url() is None:
            target = self.tmp / f"{name}.db"
            source = make_url(self.template).database or ""
            with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
                src.backup(dst)
            yield f"sqlite+aiosqlite:///{target}"
            target.unlink(missing_ok=True)
            return
        template = make_url(self.template).database
        asyncio.run(_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
        try:
            yield make_url(self.template).set(database=name).render_as_string(hide_password=False)
        finally:
            asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def seeded_world(tmp: Path) -> Iterator[World]:
    """Seed once; runs then start from copies of this database."""
    with fresh_database(tmp) as url:
        chat = open_chat(url)

        async def go() -> dict[int, Rendered]:
            try:
                await seed(chat)
                return dict(chat.latest)
            finally:
                await chat.close()

        yield World(url, tmp, asyncio.run(go()))
