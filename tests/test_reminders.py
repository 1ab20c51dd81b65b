"""Reminders with a controlled clock: each fires once, at the right local time, quiet hours kept."""

from __future__ import annotations

import asyncio
import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.channels.telegram_delivery import deliver_to_outbox
from bot.reminders import worker
from bot.reminders.facts import OPEN
from bot.reminders.rules import NEEDS, PlanFacts, after_quiet, quiet, reminders_for
from bot.storage.database import Database
from bot.storage.models import (
    Membership,
    OutboxMessage,
    Plan,
    PlanEvent,
    Reminder,
    ReminderPreference,
    User,
)
from bot.storage.repos import schools

RIGA = ZoneInfo("Europe/Riga")


def _facts(**kw: object) -> PlanFacts:
    base: dict[str, object] = {
        "plan_id": 1,
        "status": "in_progress",
        "author": 10,
        "leaders": (20,),
        "changed": dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
        "since": dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
        "review_date": dt.date(2027, 3, 29),
        "semester_end": dt.date(2027, 5, 31),
        "last_delivery": dt.date(2027, 3, 20),
        "parents_pending": (),
    }
    base.update(kw)
    return PlanFacts(**base)  # type: ignore[arg-type]


def test_review_reminders_fire_at_nine_local_across_daylight_saving() -> None:
    due = {d.rule: d.due_at for d in reminders_for(_facts(), RIGA)}
    assert due["review_in_7"] == dt.datetime(2027, 3, 22, 7, 0, tzinfo=dt.UTC)  # EET, UTC+2
    assert due["review_in_1"] == dt.datetime(2027, 3, 28, 6, 0, tzinfo=dt.UTC)  # EEST, UTC+3
    assert due["review_overdue"] == dt.datetime(2027, 3, 30, 6, 0, tzinfo=dt.UTC)
    assert due["evaluation_due"] == dt.datetime(2027, 5, 17, 6, 0, tzinfo=dt.UTC)
    assert due["no_delivery"] == dt.datetime(2027, 4, 3, 6, 0, tzinfo=dt.UTC)
    overdue = [d for d in reminders_for(_facts(), RIGA) if d.rule == "review_overdue"]
    assert {d.user_id for d in overdue} == {10, 20}  # the author and the coordinator


def test_the_rules_read_no_fact_left_out_for_a_status() -> None:
    # facts.py leaves empty what NEEDS leaves out for a status: that must change no reminder,
    # and each fact NEEDS names must matter to some reminder.
    empty: dict[str, object] = {
        "leaders": (),
        "since": dt.datetime(2027, 1, 1, tzinfo=dt.UTC),
        "semester_end": None,
        "last_delivery": None,
        "parents_pending": (),
    }
    assert set(NEEDS) == set(OPEN)
    for status, needed in NEEDS.items():
        known: dict[str, object] = {"status": status, "parents_pending": (30,)}
        full = reminders_for(_facts(**known), RIGA)
        blank = {k: v for k, v in empty.items() if k not in needed}
        assert reminders_for(_facts(**known | blank), RIGA) == full, status
        for fact in needed:
            assert reminders_for(_facts(**known | {fact: empty[fact]}), RIGA) != full, fact


def test_quiet_hours() -> None:
    evening = dt.datetime(2027, 3, 27, 19, 30, tzinfo=dt.UTC)  # 21:30 in Riga
    assert quiet(evening, RIGA)
    assert after_quiet(evening, RIGA) == dt.datetime(2027, 3, 28, 5, 0, tzinfo=dt.UTC)  # 08:00 EEST
    assert not quiet(dt.datetime(2027, 3, 28, 6, 0, tzinfo=dt.UTC), RIGA)


def _seed(db_url: str) -> None:
    async def go() -> None:
        db = Database(db_url)

        def unit(s: object) -> None:
            school, _ = schools.find_or_create_school(s, "Bauskas skola")  # type: ignore[arg-type]
            author = User(telegram_id=501, name="Teacher", language="lv")
            head = User(telegram_id=502, name="Head", language="ru")
            s.add_all([author, head])  # type: ignore[attr-defined]
            s.flush()  # type: ignore[attr-defined]
            s.add(Membership(user_id=head.id, school_id=school.id, role="head"))  # type: ignore[attr-defined]
            # The weekly digest has its own tests (test_reminder_digest.py).
            s.add(ReminderPreference(user_id=head.id, off="digest"))  # type: ignore[attr-defined]
            pupil = schools.add_pupil(s, school.id, "Ieva", "3.a", author.id)  # type: ignore[arg-type]
            plan = Plan(
                school_id=school.id,
                pupil_id=pupil.id,
                author_id=author.id,
                status="approval",
                semester="2026/27-2",
                content={},
            )
            s.add(plan)  # type: ignore[attr-defined]
            s.flush()  # type: ignore[attr-defined]
            s.add(
                PlanEvent(
                    plan_id=plan.id,
                    actor_id=author.id,
                    move="submit",
                    from_status="draft",  # type: ignore[attr-defined]
                    to_status="approval",
                    at=dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC),
                )
            )

        await db.run(unit)
        await db.close()

    asyncio.run(go())


def _run(db_url: str, now: dt.datetime, **rules: object) -> worker.Outcome:
    async def go() -> worker.Outcome:
        db = Database(db_url)
        try:
            return await worker.run_once(
                db,
                now,
                RIGA,
                deliver_to_outbox,
                worker.Settings(**rules),  # type: ignore[arg-type]
                start=True,
            )
        finally:
            await db.close()

    return asyncio.run(go())


def _table(db_url: str, query: object) -> list[object]:
    async def go() -> list[object]:
        db = Database(db_url)
        try:
            return await db.run(lambda s: list(s.execute(query).all()))  # type: ignore[call-overload]
        finally:
            await db.close()

    return asyncio.run(go())


def test_approval_reminder_once_in_the_approvers_language(db_url: str) -> None:
    _seed(db_url)
    assert _run(db_url, dt.datetime(2027, 1, 14, 6, 0, tzinfo=dt.UTC)).sent == 0  # 08:00: not yet
    assert _run(db_url, dt.datetime(2027, 1, 14, 7, 1, tzinfo=dt.UTC)).sent == 1  # 09:01 Riga
    again = _run(db_url, dt.datetime(2027, 1, 14, 8, 0, tzinfo=dt.UTC))
    assert again.created == 0 and again.sent == 0  # each reminder fires once
    sent = _table(db_url, select(OutboxMessage.chat_id, OutboxMessage.payload))
    assert len(sent) == 1
    chat, payload = sent[0]  # type: ignore[misc]
    assert chat == 502 and "ждёт вашего согласования" in payload["text"]
    assert "Ieva" not in payload["text"]  # reminders name no pupil
    rows = _table(db_url, select(Reminder.rule, Reminder.status, Reminder.late))
    assert rows == [("approval_waiting", "sent", False)]


def test_quiet_hours_hold_a_reminder_until_morning(db_url: str) -> None:
    _seed(db_url)
    night = _run(db_url, dt.datetime(2027, 1, 14, 19, 30, tzinfo=dt.UTC), hour=21)  # 21:30 Riga
    assert night.sent == 0 and night.held == 1
    morning = _run(db_url, dt.datetime(2027, 1, 15, 6, 5, tzinfo=dt.UTC), hour=21)  # 08:05 Riga
    assert morning.sent == 1
    assert _table(db_url, select(Reminder.late)) == [(False,)]


def test_missed_while_down_goes_out_once_marked_late(db_url: str) -> None:
    _seed(db_url)
    outcome = _run(db_url, dt.datetime(2027, 1, 20, 9, 0, tzinfo=dt.UTC))  # days after it was due
    assert outcome.sent == 1
    assert _table(db_url, select(Reminder.late)) == [(True,)]
    (payload,) = _table(db_url, select(OutboxMessage.payload))
    assert "(Отправлено с опозданием.)" in payload[0]["text"]  # type: ignore[index]


def test_worker_killed_after_claiming_loses_nothing(db_url: str) -> None:
    _seed(db_url)
    now = dt.datetime(2027, 1, 15, 8, 0, tzinfo=dt.UTC)

    async def claim_and_die() -> None:
        db = Database(db_url)
        await db.run(lambda s: worker.backfill(s, now, RIGA, worker.Settings()))
        await db.run(lambda s: worker.claim(s, now))  # ... and the process dies here
        await db.close()

    asyncio.run(claim_and_die())
    assert _run(db_url, now + dt.timedelta(minutes=1)).sent == 0  # the lease still holds
    assert _run(db_url, now + dt.timedelta(minutes=6)).sent == 1  # lease ran out: sent once
    assert len(_table(db_url, select(OutboxMessage.id))) == 1


def test_cli_run_once_with_a_given_time(db_url: str) -> None:

    from tests.console_run import run_cli

    _seed(db_url)
    result = run_cli(db_url, "reminders", "run-once", "--now", "2027-01-14T09:30+02:00")
    assert result.returncode == 0, result.stderr
    assert "Created 1, queued 1" in result.stdout
    bad = run_cli(db_url, "reminders", "run-once", "--now", "tomorrow")
    assert bad.returncode == 2 and "ISO time" in bad.stderr


def test_reminder_buttons_belong_to_the_recipient(db_url: str) -> None:
    from tests.people.harness import Chat

    _seed(db_url)
    _run(db_url, dt.datetime(2027, 1, 14, 7, 1, tzinfo=dt.UTC))

    async def go() -> None:
        chat = Chat.open(db_url)
        shown = await chat.forge(501, "G:D:1")  # the author presses the head's reminder
        assert any("nav pieejams" in s for s in shown)
        shown = await chat.forge(502, "G:T:1")
        assert any("напомню завтра" in s for s in shown)
        shown = await chat.forge(502, "G:D:1")
        assert any("Отмечено как сделанное" in s for s in shown)
        await chat.close()

    asyncio.run(go())
    rows = _table(db_url, select(Reminder.status).order_by(Reminder.id))
    assert rows == [("done",), ("pending",)]
