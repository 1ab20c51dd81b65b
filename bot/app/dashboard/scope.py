"""Which schools a person's dashboard covers, and the facts of those schools' plans.

School leaders (coordinator, head) see their schools with names; a municipal coordinator sees
aggregated figures of the schools they hold that role at, never a pupil's name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from bot.app.plans.common import semesters
from bot.core.context import Ctx
from bot.domain.figures import PlanFacts, current_semester
from bot.domain.roles import Role
from bot.knowledge import Catalogue
from bot.storage.models import Plan, Pupil
from bot.storage.repos import dashboard, schools

LEADERS = (Role.COORDINATOR, Role.HEAD)
DASHBOARD_ROLES = frozenset(
    {Role.COORDINATOR.value, Role.HEAD.value, Role.MUNICIPAL_COORDINATOR.value}
)


@dataclass(frozen=True, slots=True)
class SchoolScope:
    id: int
    name: str
    semester: str  # the current semester's code, "" when the school has none


@dataclass(frozen=True, slots=True)
class Scope:
    schools: tuple[SchoolScope, ...]
    named: frozenset[int]  # schools whose plans and people the viewer may see by name

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(s.id for s in self.schools)

    @property
    def semesters(self) -> dict[int, str]:
        return {s.id: s.semester for s in self.schools}


@dataclass(frozen=True, slots=True)
class Loaded:
    """A plan's facts with its rows, for lists that show the pupil to school leaders."""

    facts: PlanFacts
    plan: Plan
    pupil: Pupil


def may_use(ctx: Ctx) -> bool:
    actor = ctx.services.actor
    return bool(actor.schools(*LEADERS, Role.MUNICIPAL_COORDINATOR))


def scope_of(ctx: Ctx) -> Scope:
    actor = ctx.services.actor
    named = actor.schools(*LEADERS)
    ids = named | actor.schools(Role.MUNICIPAL_COORDINATOR)
    out = []
    for school_id, name in schools.school_names(ctx.services.session, frozenset(ids)):
        semester = current_semester(semesters(ctx, school_id), ctx.today)
        out.append(SchoolScope(school_id, name, semester.code if semester else ""))
    return Scope(tuple(out), frozenset(named))


def load(ctx: Ctx, scope: Scope, catalogue: Catalogue) -> list[Loaded]:
    session = ctx.services.session
    rows = dashboard.plans_of(session, scope.ids)
    history = dashboard.status_history(session, [plan.id for plan, _ in rows])
    return [
        Loaded(_facts(plan, history.get(plan.id, []), catalogue), plan, pupil)
        for plan, pupil in rows
    ]


def _facts(plan: Plan, history: list[tuple[dt.datetime, str]], catalogue: Catalogue) -> PlanFacts:
    content: dict[str, Any] = plan.content or {}
    groups = tuple(
        f.group for r in content.get("risks") or [] if (f := catalogue.factor(str(r.get("code"))))
    )
    kinds = tuple(
        m.kind
        for e in content.get("measures") or []
        if (m := catalogue.measure(str(e.get("code"))))
    )
    return PlanFacts(
        plan_id=plan.id,
        school_id=plan.school_id,
        pupil_id=plan.pupil_id,
        status=plan.status,
        semester=plan.semester,
        created=plan.created_at.date(),
        risk_groups=groups,
        measure_kinds=kinds,
        review_date=_day(content.get("review_date")),
        reviews=tuple(d for r in content.get("reviews") or [] if (d := _day(r.get("date")))),
        history=tuple((at.date(), status) for at, status in history),
    )


def _day(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
