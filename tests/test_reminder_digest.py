"""The weekly digest: a leader's schools only, current figures, once a week on the chosen day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.storage.models import (
    Membership,
    OutboxMessage,
    Reminder,
    ReminderPreference,
    SchoolQuestion,
    User,
)
from bot.storage.repos import schools
from tests.reminder_world import local, person, plan, rows, run, school_with_staff, unit

LATER = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)  # the plans' own reminders are long past: no rows
MONDAY = dt.date(2027, 1, 18)
SINCE = dt.datetime(2027, 1, 4, 10, 0, tzinfo=dt.UTC)


def _world(s: Session) -> dict[str, int]:
    w = school_with_staff(s)
    head = person(s, 604, "Jānis")
    s.add(Membership(user_id=head.id, school_id=w["school"], role="head"))
    plan(s, w, "approval", since=SINCE)
    plan(s, w, "approval", since=SINCE)
    plan(s, w, "draft", since=SINCE)
    plan(s, w, "in_progress", since=SINCE, review_date="2027-01-15")  # review overdue
    plan(s, w, "in_progress", since=SINCE, review_date="2027-02-15")
    s.add(SchoolQuestion(user_id=w["parent"], school_id=w["school"], text="Kad?", language="lv"))
    parent = s.get(User, w["parent"])
    assert parent is not None
    parent.reachable = False
    # Another school's plans are not this coordinator's business.
    other, _ = schools.find_or_create_school(s, "Rīgas 1. skola")
    pupil = schools.add_pupil(s, other.id, "Marta", "6.b", w["teacher"])
    plan(s, {**w, "school": other.id, "pupil": pupil.id}, "approval", since=SINCE)
    return {**w, "head": head.id}


def _digests(url: str) -> list[tuple[int, str]]:
    sent = rows(
        url, select(OutboxMessage.chat_id, OutboxMessage.payload).order_by(OutboxMessage.id)
    )
    return [(chat, p["text"]) for chat, p in sent if "📊" in p["text"]]


def test_digest_monday_at_nine_with_the_schools_figures_in_each_language(db_url: str) -> None:
    unit(db_url, _world, LATER)
    run(db_url, local(MONDAY, 8, 59))
    assert _digests(db_url) == []
    run(db_url, local(MONDAY, 9, 0))
    sent = dict(_digests(db_url))
    assert set(sent) == {602, 604}  # the coordinator (ru) and the head (lv)
    ru, lv = sent[602], sent[604]
    assert "Сводка за неделю" in ru and "Bauskas skola" in ru
    assert "• на согласовании: 2" in ru and "• проект: 1" in ru
    assert "2 плана ждут согласования" in ru
    assert "1 план с просроченным пересмотром" in ru
    assert "1 человек заблокировал бота" in ru
    assert "1 вопрос к школе без ответа" in ru
    assert "Nedēļas kopsavilkums" in lv and "2 plāni gaida saskaņojumu" in lv
    assert "1 plāns ar nokavētu pārskatīšanu" in lv and "1 neatbildēts jautājums skolai" in lv
    for text in (ru, lv):
        assert "Rīgas 1. skola" not in text and "Ieva" not in text and "Marta" not in text


def test_digest_once_a_week_on_the_chosen_weekday(db_url: str) -> None:
    w = unit(db_url, _world, LATER)
    unit(db_url, lambda s: s.add(ReminderPreference(user_id=w["head"], off="digest")), LATER)
    unit(
        db_url,
        lambda s: s.add(ReminderPreference(user_id=w["coordinator"], digest_day=2)),  # Wednesday
        LATER,
    )
    for day in range(9):  # Monday to next Tuesday, several times a day
        for hour in (8, 9, 12, 18):
            run(db_url, local(MONDAY + dt.timedelta(days=day), hour))
    sent = _digests(db_url)
    assert [chat for chat, _ in sent] == [602]  # one, for the coordinator; the head turned it off
    wednesday = local(MONDAY + dt.timedelta(days=2), 9)
    assert rows(db_url, select(Reminder.sent_at).where(Reminder.rule == "digest")) == [(wednesday,)]
    run(db_url, local(MONDAY + dt.timedelta(days=9), 9))  # the next Wednesday
    assert [chat for chat, _ in _digests(db_url)] == [602, 602]
