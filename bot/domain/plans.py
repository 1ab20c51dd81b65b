"""The individual support plan: statuses, allowed transitions, and the rules a plan must meet.

Statuses follow the national database: draft → in approval → approved → in progress; revision
(back through approval), suspended (reason required, resumable within the same semester), closed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.domain.semesters import Semester


class Status(StrEnum):
    DRAFT = "draft"
    APPROVAL = "approval"
    APPROVED = "approved"
    IN_PROGRESS = "in_progress"
    REVISION = "revision"
    SUSPENDED = "suspended"
    CLOSED = "closed"


class Move(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    START = "start"
    REVISE = "revise"
    SUSPEND = "suspend"
    RESUME = "resume"
    CLOSE = "close"
    DELETE = "delete"


TRANSITIONS: dict[Move, tuple[frozenset[Status], Status | None]] = {
    Move.SUBMIT: (frozenset({Status.DRAFT, Status.REVISION}), Status.APPROVAL),
    Move.APPROVE: (frozenset({Status.APPROVAL}), Status.APPROVED),
    Move.RETURN: (frozenset({Status.APPROVAL}), Status.DRAFT),
    Move.START: (frozenset({Status.APPROVED}), Status.IN_PROGRESS),
    Move.REVISE: (frozenset({Status.APPROVED, Status.IN_PROGRESS}), Status.REVISION),
    Move.SUSPEND: (frozenset({Status.IN_PROGRESS}), Status.SUSPENDED),
    Move.RESUME: (frozenset({Status.SUSPENDED}), Status.IN_PROGRESS),
    Move.CLOSE: (frozenset({Status.APPROVED, Status.IN_PROGRESS, Status.SUSPENDED}), Status.CLOSED),
    Move.DELETE: (frozenset({Status.DRAFT}), None),
}


def allowed(status: Status, move: Move) -> bool:
    return status in TRANSITIONS[move][0]


def target(move: Move) -> Status | None:
    return TRANSITIONS[move][1]


@dataclass(frozen=True, slots=True)
class Issue:
    """A rule the plan does not meet yet: a text key and its parameters."""

    key: str
    params: tuple[tuple[str, str], ...] = ()


def problems_for_submit(content: dict[str, Any], semester: Semester | None) -> list[Issue]:
    """What stops a plan from being submitted for approval."""
    issues: list[Issue] = []
    risks = content.get("risks") or []
    measures = content.get("measures") or []
    if not risks:
        issues.append(Issue("plan.rule.no_risks"))
    for risk in risks:
        if not str(risk.get("why", "")).strip():
            issues.append(Issue("plan.rule.no_justification", (("risk", risk["code"]),)))
    if not measures:
        issues.append(Issue("plan.rule.no_measures"))
    chosen = {r["code"] for r in risks}
    answered: set[str] = set()
    for measure in measures:
        links = set(measure.get("answers") or []) & chosen
        if not links:
            issues.append(Issue("plan.rule.measure_without_risk", (("measure", measure["code"]),)))
        answered |= links
    for code in sorted(chosen - answered):
        issues.append(Issue("plan.rule.risk_without_measure", (("risk", code),)))
    if semester is not None:
        issues += _dates(content, semester)
    return issues


def _dates(content: dict[str, Any], semester: Semester) -> list[Issue]:
    issues = []
    review = _date(content.get("review_date"))
    if review is not None and not (semester.start < review <= semester.end):
        issues.append(Issue("plan.rule.review_outside"))
    for goal in content.get("goals") or []:
        day = _date(goal.get("date"))
        if day is not None and not semester.contains(day):
            issues.append(Issue("plan.rule.goal_date_outside"))
            break
    return issues


def _date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def can_resume(semester: Semester, today: dt.date) -> bool:
    """A suspended plan may resume only within its own semester."""
    return semester.contains(today)


DEFAULT_CHAIN = ("school",)


def next_stage(chain: tuple[str, ...], done: list[str]) -> str | None:
    """The approval stage still to come, or None when the chain is complete."""
    return next((stage for stage in chain if stage not in done), None)
