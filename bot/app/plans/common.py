"""What the plan features share: finding the plan in the cursor, refusing politely, conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bot.core.context import Ctx
from bot.core.registry import ActionResult
from bot.core.replies import Raw, Text, say
from bot.domain.access import PlanRef
from bot.domain.semesters import Semester, by_code, from_settings
from bot.knowledge.model import Measure
from bot.storage.models import Plan
from bot.storage.repos import plans, schools


def plan_ref(ctx: Ctx, plan: Plan) -> PlanRef:
    parents = schools.parents_of(ctx.services.session, plan.pupil_id)
    return PlanRef(plan.id, plan.school_id, plan.author_id, plan.pupil_id, parents)


def peek(ctx: Ctx, data: dict[str, Any]) -> Plan | None:
    """The plan named in the cursor, without an access check (for conditions that then check)."""
    raw = data.get("plan")
    return plans.get(ctx.services.session, raw) if isinstance(raw, int) else None


def plan_in(ctx: Ctx, data: dict[str, Any], check: Callable[..., bool], *statuses: str) -> bool:
    """The cursor's plan is in one of `statuses` and the policy check allows this person."""
    plan = peek(ctx, data)
    return (
        plan is not None
        and plan.status in statuses
        and check(ctx.services.actor, plan_ref(ctx, plan))
    )


def load(ctx: Ctx, data: dict[str, Any], check: Callable[..., bool]) -> Plan | None:
    """The plan named in the cursor, if it exists and the policy allows this person."""
    raw = data.get("plan")
    plan = plans.get(ctx.services.session, int(raw)) if isinstance(raw, int) else None
    if plan is None or not check(ctx.services.actor, plan_ref(ctx, plan)):
        ctx.services.refuse("plan", "plan", plan.id if plan else None)
        return None
    return plan


def semesters(ctx: Ctx, school_id: int | None) -> tuple[Semester, ...]:
    school = schools.get_school(ctx.services.session, school_id) if school_id else None
    return from_settings((school.settings or {}).get("semesters") if school else None)


def semester_of(ctx: Ctx, plan: Plan) -> Semester | None:
    return by_code(semesters(ctx, plan.school_id), plan.semester)


def edit(
    ctx: Ctx,
    data: dict[str, Any],
    check: Callable[..., bool],
    change: Callable[[dict[str, Any]], None],
) -> ActionResult | None:
    """Save a change against the version the person saw; on a conflict say who changed it."""
    plan = load(ctx, data, check)
    if plan is None:
        return ActionResult(error=say("access.denied"), goto="end")
    try:
        saved = plans.change(ctx.services.session, plan.id, int(data.get("v", 0)), change)
    except plans.VersionConflict as conflict:
        return conflict_result(ctx, conflict.plan, data)
    # Every change to a plan leaves an audit row, the wizard's step-by-step edits included.
    ctx.services.audit("plan.edit", "plan", saved.id, saved.school_id)
    data["v"] = saved.version
    return None


def changed_by(ctx: Ctx, plan: Plan) -> str:
    """Who changed the plan last, for a conflict message."""
    events = plans.events(ctx.services.session, plan.id)
    return next((name for _, name in reversed(events) if name), None) or "—"


def conflict_result(ctx: Ctx, plan: Plan, data: dict[str, Any]) -> ActionResult:
    data["v"] = plan.version
    return ActionResult(error=say("plan.conflict", who=Raw(changed_by(ctx, plan))), goto="summary")


def label(item: dict[str, str] | Any, lang: str) -> str:
    return str(item.get(lang) or item.get("lv") or "") if isinstance(item, dict) else str(item)


def to_card(plan: Plan, note: Text) -> ActionResult:
    """Done: back to the plan's card, where the next thing to do with it is one tap away."""
    return ActionResult(note=note, goto="dialog:plans#card", carry={"plan": plan.id})


def plan_exists(key: str, plan: Plan) -> Text:
    """The pupil already has this plan for the semester (one plan per pupil and semester)."""
    return say(key, number=plan.id, status=say(f"plan.status.{plan.status}"))


def measure_detail(entry: dict[str, Any], measure: Measure | None, lang: str) -> tuple[str, str]:
    """Who delivers a measure and how often: the plan's own words where the teacher wrote them,
    else the catalogue's default in the reader's language (a plan is read in either language)."""
    if measure is None:
        return str(entry.get("responsible") or ""), str(entry.get("frequency") or "")
    return (
        _in_reader(entry.get("responsible"), measure.responsible, lang),
        _in_reader(entry.get("frequency"), measure.frequency, lang),
    )


def _in_reader(written: Any, default: dict[str, str], lang: str) -> str:
    # Plans made before the defaults were kept empty hold them as text in the author's language.
    if not written or written in default.values():
        return label(default, lang)
    return str(written)
