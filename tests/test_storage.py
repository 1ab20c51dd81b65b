"""Models round-trip on both databases; units of work commit, roll back and never lose an edit."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, insert, inspect, select
from sqlalchemy.dialects import sqlite
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from bot.storage.database import Database, DatabaseUnavailable
from bot.storage.models import (
    AuditEntry,
    Base,
    Conversation,
    Membership,
    Plan,
    Pupil,
    QuestionLog,
    School,
    User,
)
from bot.storage.prepared import Prepared
from bot.storage.repos import plans, question_log, turns
from bot.storage.types import UTCDateTime, sqlite_text


def _seed(s: Session) -> int:
    school = School(name="Rīgas 71. vidusskola", municipality="Rīga", kind="general")
    user = User(telegram_id=10_000_000_001, name="Anna", language="lv")
    s.add_all([school, user])
    s.flush()
    s.add(Membership(user_id=user.id, school_id=school.id, role="teacher"))
    pupil = Pupil(school_id=school.id, name="Jānis", class_name="7.b")
    s.add(pupil)
    s.flush()
    plan = Plan(
        school_id=school.id,
        pupil_id=pupil.id,
        author_id=user.id,
        semester="2026/27-1",
        content={"risks": [{"code": "low-motivation", "why": "Nav motivācijas"}]},
    )
    s.add(plan)
    s.add(Conversation(user_id=user.id, chat_id=user.telegram_id, dialog="menu", step="start"))
    s.add(AuditEntry(actor_id=user.id, action="plan.create", object_type="plan"))
    s.flush()
    return plan.id


async def test_round_trip(db_url: str) -> None:
    db = Database(db_url)
    try:
        plan_id = await db.run(_seed)

        def read(s: Session) -> tuple[Plan, Pupil, User, Conversation]:
            plan = s.get_one(Plan, plan_id)
            pupil = s.get_one(Pupil, plan.pupil_id)
            user = s.execute(select(User)).scalar_one()
            return plan, pupil, user, s.get_one(Conversation, user.id)

        plan, pupil, user, cursor = await db.run(read)
        assert plan.content["risks"][0]["why"] == "Nav motivācijas"
        assert (plan.status, plan.version) == ("draft", 1)
        assert (pupil.name, pupil.class_name) == ("Jānis", "7.b")
        assert user.telegram_id == 10_000_000_001 and user.reachable
        assert user.created_at.tzinfo is not None
        assert abs(user.created_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=5)
        assert (cursor.dialog, cursor.step) == ("menu", "start")
    finally:
        await db.close()


async def test_failed_unit_changes_nothing(db_url: str) -> None:
    db = Database(db_url)
    try:

        def half_done(s: Session) -> None:
            s.add(School(name="Half", municipality="", kind="general"))
            s.flush()
            raise RuntimeError("boom")

        with pytest.raises(RuntimeError):
            await db.run(half_done)
        count = await db.run(lambda s: len(s.execute(select(School)).all()))
        assert count == 0
    finally:
        await db.close()


async def test_plan_change_against_old_version_is_refused(db_url: str) -> None:
    a, b = Database(db_url), Database(db_url)
    try:
        plan_id = await a.run(_seed)
        stale = await a.run(lambda s: s.get_one(Plan, plan_id))

        def edit(s: Session) -> int:
            plan = s.get_one(Plan, plan_id)
            plan.status = "approval"
            s.flush()
            return plan.version

        assert await b.run(edit) == 2

        def edit_stale(s: Session) -> None:
            plan = s.merge(stale, load=False)
            plan.status = "deleted"

        with pytest.raises(StaleDataError):
            await a.run(edit_stale)
        assert (await a.run(lambda s: s.get_one(Plan, plan_id).status)) == "approval"
    finally:
        await a.close()
        await b.close()


async def test_plan_changes_in_one_unit_follow_each_other(db_url: str) -> None:
    db = Database(db_url)
    try:
        plan_id = await db.run(_seed)

        def twice(s: Session) -> tuple[int, dict[str, Any]]:
            assert plans.get(s, plan_id) is not None
            plans.change(s, plan_id, 1, lambda c: c.update(a=1))
            with pytest.raises(plans.VersionConflict):
                plans.change(s, plan_id, 1, lambda c: c.update(lost=True))
            saved = plans.change(s, plan_id, 2, lambda c: c.update(b=2))
            return saved.version, saved.content

        version, content = await db.run(twice)
        assert version == 3 and (content["a"], content["b"]) == (1, 2) and "lost" not in content
        stored = await db.run(lambda s: s.get_one(Plan, plan_id).content)
        assert stored == content
    finally:
        await db.close()


def test_a_plan_read_in_an_earlier_transaction_is_read_again(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'held.db'}")
    Base.metadata.create_all(engine)
    try:
        with Session(engine, expire_on_commit=False) as s:
            plan_id = _seed(s)
            s.commit()
            assert plans.get(s, plan_id) is not None
            s.commit()
            with Session(engine) as other:
                plans.change(other, plan_id, 1, lambda c: c.update(a=1))
                other.commit()
            # Not the copy held from the first transaction: a refusal, not a lost update.
            with pytest.raises(plans.VersionConflict):
                plans.change(s, plan_id, 1, lambda c: c.update(b=2))
    finally:
        engine.dispose()


async def test_concurrent_read_modify_write_loses_nothing(db_url: str) -> None:
    """Two connections incrementing one counter, reading it for update: no increment is lost.

    SQLite gets this from BEGIN IMMEDIATE; PostgreSQL from the row lock of FOR UPDATE.
    """
    dbs = [Database(db_url), Database(db_url)]
    try:
        school_id = await dbs[0].run(
            lambda s: _add(s, School(name="S", municipality="", kind="general", settings={"n": 0}))
        )

        def bump(s: Session) -> None:
            school = s.get_one(School, school_id, with_for_update=True)
            school.settings = {"n": school.settings["n"] + 1}

        await asyncio.gather(*(dbs[i % 2].run(bump) for i in range(40)))
        final = await dbs[0].run(lambda s: s.get_one(School, school_id).settings["n"])
        assert final == 40
    finally:
        for db in dbs:
            await db.close()


def _add(s: Session, obj: School) -> int:
    s.add(obj)
    s.flush()
    return obj.id


async def test_unreachable_database_message_hides_password() -> None:
    db = Database("postgresql+asyncpg://u:topsecret@127.0.0.1:9/x")
    with pytest.raises(DatabaseUnavailable) as info:
        await db.check()
    await db.close()
    assert "topsecret" not in str(info.value) and "127.0.0.1:9/x" in str(info.value)


async def test_hot_path_writes_keep_their_timestamps(db_url: str) -> None:
    """The prepared writes (a first contact, a question) store what the ORM would, dates too."""
    db = Database(db_url)
    try:

        def write(s: Session) -> int:
            who = turns.load_person(s, 10_000_000_002, "Ilze", "lv")
            turns.set_language(s, who.user_id, "ru")
            return question_log.add(s, "asker", "lv", "Kad brīvlaiks?", ["a"], [0.5], "close")

        log_id = await db.run(write)

        def read(s: Session) -> tuple[User, QuestionLog]:
            user = s.execute(select(User)).scalar_one()
            return user, s.get_one(QuestionLog, log_id)

        user, logged = await db.run(read)
        now = dt.datetime.now(dt.UTC)
        assert (user.telegram_id, user.name, user.language) == (10_000_000_002, "Ilze", "ru")
        assert abs(user.created_at - now) < dt.timedelta(minutes=5)
        assert (logged.text, logged.results, logged.band) == (
            "Kad brīvlaiks?",
            {"ids": ["a"], "scores": [0.5]},
            "close",
        )
        assert abs(logged.created_at - now) < dt.timedelta(minutes=5)
    finally:
        await db.close()


def test_prepared_statement_refuses_to_leave_a_computed_default_out() -> None:
    statement = Prepared(insert(QuestionLog.__table__))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="created_at"):
        given = {"user_hash", "language", "text", "results", "band", "feedback"}
        statement._compile(sqlite.dialect(), frozenset(given))


def test_prepared_timestamps_on_sqlite_are_the_text_sqlalchemy_writes() -> None:
    """The one-call conversion of the hot path writes what SQLAlchemy's SQLite DATETIME does."""
    dialect = sqlite.dialect()
    sqlalchemys = UTCDateTime().dialect_impl(dialect).bind_processor(dialect)
    assert sqlalchemys is not None
    riga = dt.timezone(dt.timedelta(hours=3))
    values = [
        dt.datetime(2026, 11, 30, 2, 35, 0, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 11, 30, 2, 35, tzinfo=dt.UTC),  # no microseconds: still six digits
        dt.datetime(2026, 11, 30, 5, 35, 0, 7, tzinfo=riga),
        dt.datetime(999, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        None,
    ]
    for value in values:
        assert sqlite_text(value) == sqlalchemys(value)
    assert sqlite_text(values[1]) == "2026-11-30 02:35:00.000000"
    with pytest.raises(ValueError, match="naive"):
        sqlite_text(dt.datetime(2026, 11, 30))


async def test_a_plan_read_by_the_prepared_query_is_as_the_orm_loads_it(db_url: str) -> None:
    db = Database(db_url)
    try:
        plan_id = await db.run(_seed)
        columns = [a.key for a in inspect(Plan).column_attrs]

        def by_repo(s: Session) -> tuple[dict[str, Any], bool, bool]:
            plan = plans.get(s, plan_id)
            assert plan is not None and plans.get(s, plan_id) is plan
            state = inspect(plan)
            return {c: getattr(plan, c) for c in columns}, state.persistent, state.modified

        def by_orm(s: Session) -> dict[str, Any]:
            return {c: getattr(s.get_one(Plan, plan_id), c) for c in columns}

        values, persistent, modified = await db.run(by_repo)
        assert values == await db.run(by_orm)
        assert persistent and not modified
        assert values["created_at"].tzinfo is dt.UTC and values["content"]["risks"]
        assert await db.run(lambda s: plans.get(s, plan_id + 1000)) is None
    finally:
        await db.close()
