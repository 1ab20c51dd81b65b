"""The figures' rules: status on a day, overdue reviews week by week, the current semester."""

from __future__ import annotations

import datetime as dt

from bot.domain.figures import PlanFacts, current_semester, overdue_by_week, review_overdue
from bot.domain.semesters import DEFAULT_SEMESTERS

D = dt.date


def _plan(**kw: object) -> PlanFacts:
    base: dict[str, object] = {
        "plan_id": 1,
        "school_id": 1,
        "pupil_id": 1,
        "status": "in_progress",
        "semester": "2026/27-1",
        "created": D(2026, 9, 10),
        "review_date": D(2026, 11, 8),
        "history": ((D(2026, 9, 10), "draft"), (D(2026, 9, 20), "approved")),
    }
    return PlanFacts(**{**base, **kw})  # type: ignore[arg-type]


def test_a_review_is_overdue_from_the_day_after_its_date() -> None:
    plan = _plan()
    assert not review_overdue(plan, D(2026, 11, 8))
    assert review_overdue(plan, D(2026, 11, 9))


def test_a_review_noted_near_its_date_is_done_but_one_from_september_is_not() -> None:
    assert not review_overdue(_plan(reviews=(D(2026, 11, 1),)), D(2026, 11, 20))
    assert review_overdue(_plan(reviews=(D(2026, 9, 25),)), D(2026, 11, 20))


def test_only_running_plans_have_overdue_reviews() -> None:
    suspended = _plan(history=((D(2026, 9, 10), "draft"), (D(2026, 10, 1), "suspended")))
    assert not review_overdue(suspended, D(2026, 11, 20))


def test_weekly_counts_follow_the_status_history() -> None:
    # Approved on 20 Sep, review due 8 Nov, closed on 18 Nov: overdue in two weekly snapshots.
    plan = _plan(
        history=(
            (D(2026, 9, 10), "draft"),
            (D(2026, 9, 20), "approved"),
            (D(2026, 11, 18), "closed"),
        )
    )
    weeks = overdue_by_week([plan], D(2026, 11, 30))
    assert weeks[0][0] == D(2026, 10, 12) and len(weeks) == 8
    assert [n for _, n in weeks] == [0, 0, 0, 0, 1, 1, 0, 0]


def test_a_plan_created_later_does_not_count_in_earlier_weeks() -> None:
    late = _plan(created=D(2026, 11, 20), history=((D(2026, 11, 20), "approved"),))
    assert [n for _, n in overdue_by_week([late], D(2026, 11, 30))] == [0] * 6 + [1, 1]


def test_current_semester_in_term_and_in_the_holidays() -> None:
    assert current_semester(DEFAULT_SEMESTERS, D(2026, 11, 30)).code == "2026/27-1"  # type: ignore[union-attr]
    assert current_semester(DEFAULT_SEMESTERS, D(2026, 12, 28)).code == "2026/27-1"  # type: ignore[union-attr]
    assert current_semester(DEFAULT_SEMESTERS, D(2027, 1, 4)).code == "2026/27-2"  # type: ignore[union-attr]
