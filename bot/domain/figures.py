"""The coordinator's figures: plans by status, risks by group, overdue reviews, week by week.

Pure rules over plain facts (one `PlanFacts` per plan); the app layer loads them and translates.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.plans import Status
from bot.domain.semesters import Semester

# Plans that are under way or on their way there; drafts and closed plans are not active.
ACTIVE = frozenset(
    {Status.APPROVAL, Status.APPROVED, Status.IN_PROGRESS, Status.REVISION, Status.SUSPENDED}
)
RUNNING = frozenset({Status.APPROVED, Status.IN_PROGRESS})  # a review is due only while running
# A review note written this many days before the review date counts as the review done.
REVIEW_WINDOW_DAYS = 14
WEEKS = 8


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """What the figures need of one plan: no names, no free text."""

    plan_id: int
    school_id: int
    pupil_id: int
    status: str
    semester: str
    created: dt.date
    risk_groups: tuple[str, ...] = ()  # the group of each chosen risk factor
    measure_kinds: tuple[str, ...] = ()  # the kind of each planned measure
    review_date: dt.date | None = None
    reviews: tuple[dt.date, ...] = ()  # days review notes were written
    history: tuple[tuple[dt.date, str], ...] = ()  # (day, status entered), oldest first


def status_on(plan: PlanFacts, day: dt.date) -> str | None:
    """The plan's status at the end of `day` (None: it did not exist yet)."""
    if plan.created > day:
        return None
    status: str | None = Status.DRAFT.value
    for when, entered in plan.history:
        if when > day:
            break
        status = entered
    return status


def review_overdue(plan: PlanFacts, day: dt.date, status: str | None = None) -> bool:
    """At the end of `day` the review date has passed, the plan runs and no review was noted."""
    status = status if status is not None else status_on(plan, day)
    if status not in RUNNING or plan.review_date is None or plan.review_date >= day:
        return False
    earliest = plan.review_date - dt.timedelta(days=REVIEW_WINDOW_DAYS)
    return not any(earliest <= noted <= day for noted in plan.reviews)


def overdue_by_week(
    plans: Iterable[PlanFacts], today: dt.date, weeks: int = WEEKS
) -> list[tuple[dt.date, int]]:
    """For each of the last `weeks` weeks (ending today), the reviews overdue at its last day."""
    listed = list(plans)
    ends = [today - dt.timedelta(days=7 * k) for k in range(weeks - 1, -1, -1)]
    return [(end, sum(1 for p in listed if review_overdue(p, end))) for end in ends]


def current_semester(semesters: tuple[Semester, ...], today: dt.date) -> Semester | None:
    """The semester under way, else the latest that has started (the holidays after it)."""
    started = [s for s in semesters if s.start <= today]
    return started[-1] if started else (semesters[0] if semesters else None)


@dataclass(frozen=True, slots=True)
class Summary:
    by_status: dict[str, int]
    pupils_active: int
    risk_groups: dict[str, int]  # plans with at least one risk in the group
    measure_kinds: dict[str, int]  # measures planned, per kind
    overdue: int
    pending: int


def summarise(plans: Iterable[PlanFacts], semesters: dict[int, str], today: dt.date) -> Summary:
    """Figures for the current semester of each school (`semesters`: school id → code); overdue
    reviews and pending approvals count in any semester, since they need action now."""
    listed = list(plans)
    current = [p for p in listed if semesters.get(p.school_id) == p.semester]
    by_status = Counter(p.status for p in current)
    submitted = [p for p in current if p.status != Status.DRAFT]
    groups: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    for plan in submitted:
        groups.update(set(plan.risk_groups))
        kinds.update(plan.measure_kinds)
    return Summary(
        by_status={s.value: by_status.get(s.value, 0) for s in Status},
        pupils_active=len({p.pupil_id for p in current if p.status in ACTIVE}),
        risk_groups=dict(groups),
        measure_kinds=dict(kinds),
        overdue=sum(1 for p in listed if review_overdue(p, today, p.status)),
        pending=sum(1 for p in listed if p.status == Status.APPROVAL),
    )
