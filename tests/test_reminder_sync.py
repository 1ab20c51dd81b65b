"""Reminder rows follow plan changes in their transaction; each rule fires once, at 09:00 local."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.reminders.digest import digest_due
from bot.reminders.rules import PlanFacts, Settings, reminders_for
from bot.storage.database import Database
from bot.storage.models import OutboxMessage, Plan, Reminder
from bot.storage.repos import plans
from tests.reminder_world import RIGA, local, plan, rows, run, school_with_staff, unit


def _pending(url: str) -> dict[str, dt.datetime]:
    found = rows(url, select(Reminder.rule, Reminder.due_at).where(Reminder.status == "pending"))
    return {rule: due for rule, due in found}


def test_each_change_rewrites_the_plans_pending_reminders(db_url: str) -> None:
    now = dt.datetime(2027, 1, 10, 8, 0, tzinfo=dt.UTC)
    world = unit(db_url, school_with_staff, now)
    since = dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC)
    plan_id = unit(db_url, lambda s: plan(s, world, "draft", since=since), now)
    assert _pending(db_url) == {"draft_stale": local(dt.date(2027, 1, 14), 9)}

    def submit(s: Session) -> None:
        row = s.get(Plan, plan_id)
        assert row is not None
        plans.set_status(s, row, "approval", world["teacher"], "submit")

    unit(db_url, submit, now)  # the draft reminder gives way to the approver's
    assert set(_pending(db_url)) == {"approval_waiting"}
    assert rows(db_url, select(Reminder.status).where(Reminder.rule == "draft_stale")) == [
        ("cancelled",)
    ]

    def approve_and_run(s: Session) -> None:
        row = s.get(Plan, plan_id)
        assert row is not None
        row.content = {"review_date": "2027-03-01"}
        plans.set_status(s, row, "in_progress", world["coordinator"], "approve")

    unit(db_url, approve_and_run, now)
    assert set(_pending(db_url)) == {
        "review_in_7",
        "review_in_1",
        "review_overdue",
        "evaluation_due",
        "no_delivery",
        "ack_pending",
    }

    later = {"review_date": "2027-03-08"}
    unit(db_url, lambda s: plans.change(s, plan_id, 3, lambda c: c.update(later)))
    assert _pending(db_url)["review_in_1"] == local(dt.date(2027, 3, 7), 9)  # moved with the date

    def deliver(s: Session) -> None:
        plans.add_delivery(s, plan_id, "consult", "2027-02-01", 1.0, "", True, world["teacher"])
        plans.acknowledge(s, plan_id, world["parent"], 4)

    unit(db_url, deliver, now)
    pending = _pending(db_url)
    assert pending["no_delivery"] == local(dt.date(2027, 2, 15), 9)  # counted from the delivery
    assert "ack_pending" not in pending  # the parent has seen the plan

    def close(s: Session) -> None:
        row = s.get(Plan, plan_id)
        assert row is not None
        plans.set_status(s, row, "closed", world["teacher"], "close")

    unit(db_url, close, now)
    assert _pending(db_url) == {}  # a closed plan reminds nobody


def test_reminders_are_written_only_if_the_change_commits(db_url: str) -> None:
    now = dt.datetime(2027, 1, 10, 8, 0, tzinfo=dt.UTC)
    world = unit(db_url, school_with_staff, now)
    since = dt.datetime(2027, 1, 11, 10, 0, tzinfo=dt.UTC)

    def change_then_fail(s: Session) -> None:
        plan(s, world, "draft", since=since)
        raise RuntimeError("the unit of work fails after the change")

    with pytest.raises(RuntimeError):
        unit(db_url, change_then_fail, now)
    assert rows(db_url, select(Reminder.id)) == []


def test_a_plan_without_rows_is_picked_up_at_start_not_every_minute(db_url: str) -> None:
    # Written straight into the database, bypassing the hook (as an import or old data would).
    async def seed() -> None:
        db = Database(db_url)
        w = await db.run(school_with_staff)
        await db.run(lambda s: plan(s, w, "approval", since=local(dt.date(2027, 1, 11), 12)))
        await db.close()

    asyncio.run(seed())
    due = local(dt.date(2027, 1, 14), 9, 5)
    plan_rows = select(Reminder.rule, Reminder.status).where(Reminder.plan_id.is_not(None))
    run(db_url, due)
    assert rows(db_url, plan_rows) == []  # the worker reads reminder rows only
    run(db_url, due, start=True)
    assert rows(db_url, plan_rows) == [("approval_waiting", "sent")]  # the start-up backfill


# The last Sundays of March and October 2027: Riga moves to EEST (UTC+3) and back to EET (UTC+2).
DST_DAYS = [dt.date(2027, 3, 28), dt.date(2027, 10, 31)]


@pytest.mark.parametrize("dst", DST_DAYS, ids=["spring", "autumn"])
def test_each_rule_fires_once_at_nine_local_across_the_clock_change(
    db_url: str, dst: dt.date
) -> None:
    day = dt.timedelta(days=1)
    semester = "2026/27-2" if dst.month == 3 else "2027/28-1"
    seeded_at = local(dst - 4 * day, 0)
    w = unit(db_url, school_with_staff, seeded_at)

    def seed(s: Session) -> None:
        plan(s, w, "draft", since=local(dst - 2 * day, 10), semester=semester)
        plan(s, w, "approval", since=local(dst - 3 * day, 10), semester=semester)
        running = plan(
            s,
            w,
            "in_progress",
            since=local(dst - 8 * day, 10),
            semester=semester,
            review_date=(dst + 7 * day).isoformat(),
        )
        last = (dst - day).isoformat()
        plans.add_delivery(s, running, "consult", last, 1.0, "", True, w["teacher"])

    unit(db_url, seed, seeded_at)
    monday = dst - 6 * day
    for offset in range(16):  # from the Monday before to the Tuesday after next
        for hour in (8, 9, 10, 15):  # before, at and after the reminders' hour
            run(db_url, local(monday + offset * day, hour))
    sent = rows(
        db_url,
        select(Reminder.rule, Reminder.user_id, Reminder.sent_at, Reminder.late).where(
            Reminder.status == "sent"
        ),
    )
    assert Counter(r for r, *_ in sent) == {
        "ack_pending": 1,  # the day before the change
        "approval_waiting": 1,  # on the day of the change
        "review_in_7": 1,
        "draft_stale": 1,  # the day after
        "review_in_1": 1,
        "review_overdue": 2,  # the author and the coordinator
        "digest": 3,  # the coordinator, on each Monday
    }
    for rule, _user, sent_at, late in sent:
        assert sent_at.astimezone(RIGA).hour == 9, (rule, sent_at)
        assert not late
    assert len(rows(db_url, select(OutboxMessage.id))) == 10


def test_digest_and_rule_times_keep_nine_oclock_across_the_change() -> None:
    facts = PlanFacts(
        plan_id=1,
        status="approval",
        author=10,
        leaders=(20,),
        changed=dt.datetime(2027, 10, 29, 8, 0, tzinfo=dt.UTC),
        since=dt.datetime(2027, 10, 29, 8, 0, tzinfo=dt.UTC),
        review_date=None,
        semester_end=None,
        last_delivery=None,
    )
    (approval,) = reminders_for(facts, RIGA)
    assert approval.due_at == dt.datetime(2027, 11, 1, 7, 0, tzinfo=dt.UTC)  # 09:00 EET
    before = digest_due(dt.date(2027, 3, 24), 0, RIGA, Settings())
    after = digest_due(dt.date(2027, 3, 31), 0, RIGA, Settings())
    assert before == dt.datetime(2027, 3, 22, 7, 0, tzinfo=dt.UTC)  # Monday 09:00 EET
    assert after == dt.datetime(2027, 3, 29, 6, 0, tzinfo=dt.UTC)  # Monday 09:00 EEST
