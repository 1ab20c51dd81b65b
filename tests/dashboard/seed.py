"""A school with plans in every state, people in every role, and a second school beside it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from bot.storage.models import Plan, PlanEvent, User
from bot.storage.repos import invitations, schools
from tests.people.harness import Chat

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)  # week 13 of semester 2026/27-1
SEMESTER = "2026/27-1"
SCHOOL, OTHER = "Valmieras pamatskola", "Cēsu vidusskola"
COORD, TEACHER, PARENT, MUNICIPAL, OTHER_COORD, HEAD = 81, 82, 83, 84, 85, 86
SECRET_PUPIL = "Zane"  # a pupil of the other school: never shown to the first school

LEARNING = {"risks": [{"code": "knowledge-gaps", "why": "Trīs nenokārtoti darbi."}]}
BOTH = {
    "risks": [
        {"code": "knowledge-gaps", "why": "Nenokārtoti darbi."},
        {"code": "transport-costs", "why": "Nav naudas biļetēm."},
    ],
    "measures": [
        {"code": "subject-consultations", "answers": ["knowledge-gaps"]},
        {"code": "transport-compensation", "answers": ["transport-costs"]},
    ],
}


async def invite(chat: Chat, role: str, school: str, pupil: int | None = None) -> str:
    def unit(s: Session) -> str:
        sch, _ = schools.find_or_create_school(s, school)
        return invitations.create(s, role, sch.id, pupil, None, dt.timedelta(days=7))

    return await chat.db.run(unit)


def _day(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(hour=10, tzinfo=dt.UTC)


def add_plan(
    s: Session,
    school_id: int,
    pupil: str,
    path: list[tuple[str, str]],
    content: dict[str, Any],
    semester: str = SEMESTER,
    author: int | None = None,
) -> int:
    """A plan created on the first day of `path`, entering each (day, status) of it in turn."""
    row = schools.add_pupil(s, school_id, pupil, "6.b", 0)
    created = _day(path[0][0])
    plan = Plan(
        school_id=school_id,
        pupil_id=row.id,
        author_id=author,
        status=path[-1][1],
        semester=semester,
        content=content,
        created_at=created,
        updated_at=created,
    )
    s.add(plan)
    s.flush()
    before = ""
    for day, status in path:
        s.add(
            PlanEvent(plan_id=plan.id, at=_day(day), move="x", from_status=before, to_status=status)
        )
        before = status
    return plan.id


RUNNING = [("2026-09-10", "draft"), ("2026-09-15", "approval"), ("2026-09-20", "approved")]


async def school_with_plans(chat: Chat) -> dict[str, int]:
    """Ten plans wait for approval, two reviews are overdue (one since 9 Nov, one since 23 Nov),
    one review was done, one draft, one closed plan of last semester; the teacher blocked the bot.
    The other school has one plan, in approval, with an overdue review of its own."""
    chat.processor.clock = lambda: NOW
    await chat.say(COORD, f"/start {await invite(chat, 'coordinator', SCHOOL)}")
    await chat.say(TEACHER, f"/start {await invite(chat, 'teacher', SCHOOL)}")
    await chat.say(HEAD, f"/start {await invite(chat, 'head', SCHOOL)}")
    await chat.say(MUNICIPAL, f"/start {await invite(chat, 'municipal_coordinator', SCHOOL)}")
    await chat.say(OTHER_COORD, f"/start {await invite(chat, 'coordinator', OTHER)}")

    def unit(s: Session) -> dict[str, int]:
        school, _ = schools.find_or_create_school(s, SCHOOL)
        other, _ = schools.find_or_create_school(s, OTHER)
        ids: dict[str, int] = {}
        for i in range(10):
            ids[f"wait{i}"] = add_plan(
                s,
                school.id,
                f"Gaidītājs{i}",
                [("2026-11-02", "draft"), ("2026-11-03", "approval")],
                LEARNING,
            )
        ids["late_early"] = add_plan(
            s,
            school.id,
            "Kārlis",
            [*RUNNING, ("2026-10-01", "in_progress")],
            {**BOTH, "review_date": "2026-11-08"},
        )
        ids["late_recent"] = add_plan(
            s, school.id, "Līva", RUNNING, {**BOTH, "review_date": "2026-11-22"}
        )
        ids["reviewed"] = add_plan(
            s,
            school.id,
            "Marta",
            [*RUNNING, ("2026-10-01", "in_progress")],
            {**LEARNING, "review_date": "2026-11-08", "reviews": [{"date": "2026-11-05"}]},
        )
        ids["draft"] = add_plan(s, school.id, "Olga", [("2026-11-20", "draft")], {})
        ids["old"] = add_plan(
            s,
            school.id,
            "Pēteris",
            [("2026-02-01", "draft"), ("2026-06-01", "closed")],
            LEARNING,
            semester="2025/26-2",
        )
        ids["other"] = add_plan(
            s,
            other.id,
            SECRET_PUPIL,
            [("2026-09-10", "draft"), ("2026-09-11", "approval")],
            {**BOTH, "review_date": "2026-10-01"},
        )
        teacher = s.query(User).filter_by(telegram_id=TEACHER).one()
        teacher.reachable = False
        return ids

    return await chat.db.run(unit)
