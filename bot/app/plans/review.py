"""Review and evaluation: a mid-semester note, revision, suspend/resume, the end-of-semester
evaluation, and closing the plan or carrying it on into the next semester."""

from __future__ import annotations

import copy
from typing import Any

from bot.app.plans.common import (
    changed_by,
    label,
    load,
    plan_exists,
    plan_in,
    semester_of,
    semesters,
    to_card,
)
from bot.app.plans.view import _goal
from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Raw, label_text, say
from bot.domain import plans as rules
from bot.domain.access import can_edit_plan
from bot.domain.plans import Move, Status
from bot.domain.semesters import Semester
from bot.knowledge import KnowledgeBase
from bot.storage.models import Plan
from bot.storage.repos import plans

RUNNING = (Status.APPROVED.value, Status.IN_PROGRESS.value)


class Review:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.catalogue = kb.catalogue

    def register(self, registry: Registry) -> None:
        registry.actions.update(
            {
                "open_status": lambda ctx, d: self._open(ctx, d, "dialog:plan_status"),
                "open_evaluation": lambda ctx, d: self._open(ctx, d, "dialog:evaluate"),
                "save_review_note": self.review_note,
                "save_goal_note": self.goal_note,
                "revise_plan": lambda ctx, d: self._move(ctx, d, Move.REVISE, "status.revised"),
                "suspend_plan": self.suspend,
                "resume_plan": self.resume,
                "next_eval_goal": self.next_goal,
                "save_goal_rating": self.rate_goal,
                "next_eval_measure": self.next_measure,
                "measure_as_planned": lambda ctx, d: self.check_measure(ctx, d, True),
                "measure_not_as_planned": lambda ctx, d: self.check_measure(ctx, d, False),
                "save_evaluation": self.save_evaluation,
                "close_after_eval": lambda ctx, d: self._move(ctx, d, Move.CLOSE, "plan.closed"),
                "continue_next_semester": self.carry_on,
            }
        )
        registry.providers["plan_goals"] = self.goals
        registry.conditions.update(
            {
                "plan_has_goals": self._has_goals,
                "plan_manageable": self._when(*RUNNING, Status.SUSPENDED.value),
                "plan_running": self._when(*RUNNING),
                "plan_suspendable": self._when(Status.IN_PROGRESS.value),
                "plan_resumable": self._when(Status.SUSPENDED.value),
                "plan_evaluable": self._when(*RUNNING, Status.SUSPENDED.value),
            }
        )

    def _when(self, *statuses: str) -> Any:
        return lambda ctx, data: plan_in(ctx, data, can_edit_plan, *statuses)

    def _open(self, ctx: Ctx, data: dict[str, Any], target: str) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        return ActionResult(
            goto=target, carry={"plan": plan.id, "v": plan.version, "gi": 0, "mi": 0}
        )

    def _move(
        self, ctx: Ctx, data: dict[str, Any], move: Move, note: str, comment: str = ""
    ) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        if not rules.allowed(Status(plan.status), move):
            return ActionResult(error=say("plan.move_not_allowed"), goto="end")
        after = rules.target(move)
        assert after is not None
        plans.set_status(
            ctx.services.session, plan, after.value, ctx.services.user_id, move.value, comment
        )
        ctx.services.audit(f"plan.{move.value}", "plan", plan.id, plan.school_id)
        return to_card(plan, say(note))

    # --- running -------------------------------------------------------------------------------
    def review_note(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        note = str(data.pop("note", ""))
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        entry = {"date": ctx.today.isoformat(), "note": note}

        def change(content: dict[str, Any]) -> None:
            content.setdefault("reviews", []).append(entry)

        saved = self._change(ctx, plan, change, "plan.review_note")
        plans.add_event(
            ctx.services.session,
            saved.id,
            ctx.services.user_id,
            "review",
            saved.status,
            saved.status,
        )
        return to_card(saved, say("status.review_saved"))

    def _has_goals(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        running = self._when(*RUNNING)(ctx, data)
        return bool(running and self.goals(ctx, data))

    def goals(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        plan = load(ctx, data, can_edit_plan)
        goals = (plan.content or {}).get("goals") or [] if plan else []
        return [DynamicOption(f"g{i}", label_text(_goal(g))) for i, g in enumerate(goals)]

    def goal_note(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """A progress note on one goal, dated."""
        note, pick = str(data.pop("note", "")), str(data.get("goal_index", ""))
        plan = load(ctx, data, can_edit_plan)
        if plan is None or not (pick.startswith("g") and pick[1:].isdigit()):
            return ActionResult(error=say("access.denied"), goto="end")
        index = int(pick[1:])
        entry = {"date": ctx.today.isoformat(), "note": note}

        def change(content: dict[str, Any]) -> None:
            goals = content.get("goals") or []
            if index < len(goals):
                goals[index].setdefault("notes", []).append(entry)

        self._change(ctx, plan, change, "plan.goal_note")
        return to_card(plan, say("status.goal_note_saved"))

    def suspend(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        reason = str(data.pop("reason", ""))
        return self._move(ctx, data, Move.SUSPEND, "status.suspended", reason)

    def resume(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        semester = semester_of(ctx, plan) if plan else None
        if plan is not None and semester is not None and not rules.can_resume(semester, ctx.today):
            return ActionResult(error=say("status.resume_other_semester"), goto="end")
        return self._move(ctx, data, Move.RESUME, "status.resumed")

    # --- evaluation ----------------------------------------------------------------------------
    def next_goal(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        goals = (plan.content or {}).get("goals") or []
        index = int(data.get("gi", 0))
        # The evaluation is saved against the version it started from (see _evaluated).
        start = {"v": plan.version} if index == 0 else {}
        if index >= len(goals):
            return ActionResult(goto="measure", data=start)
        return ActionResult(
            data={
                **start,
                "eval_goal": _goal(goals[index]),
                "loop_n": index + 1,
                "loop_m": len(goals),
            }
        )

    def rate_goal(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        index = int(data.get("gi", 0))
        rating, comment = str(data.pop("rating", "")), str(data.pop("goal_comment", ""))
        plan = load(ctx, data, can_edit_plan)
        if plan is None or rating not in ("achieved", "partly", "not"):
            return ActionResult(error=say("access.denied"), goto="end")

        def change(content: dict[str, Any]) -> None:
            goals = content.get("goals") or []
            if index < len(goals):
                goals[index]["result"], goals[index]["comment"] = rating, comment

        if refused := self._evaluated(ctx, data, plan, change, "plan.goal_rating"):
            return refused
        data["gi"] = index + 1
        return None

    def next_measure(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        chosen = (plan.content or {}).get("measures") or []
        index = int(data.get("mi", 0))
        if index >= len(chosen):
            return ActionResult(goto="changes")
        entry = chosen[index]
        measure = self.catalogue.measure(entry["code"])
        count = sum(
            1 for d in plans.deliveries(ctx.services.session, plan.id) if d.measure == entry["code"]
        )
        return ActionResult(
            data={
                "eval_measure": label(measure.label, ctx.language) if measure else entry["code"],
                "eval_delivered": str(count),
                "loop_n": index + 1,
                "loop_m": len(chosen),
            }
        )

    def check_measure(
        self, ctx: Ctx, data: dict[str, Any], as_planned: bool
    ) -> ActionResult | None:
        index = int(data.get("mi", 0))
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")

        def change(content: dict[str, Any]) -> None:
            chosen = content.get("measures") or []
            if index < len(chosen):
                chosen[index]["as_planned"] = as_planned

        if refused := self._evaluated(ctx, data, plan, change, "plan.measure_check"):
            return refused
        data["mi"] = index + 1
        return None

    def save_evaluation(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        changes = str(data.pop("changes", ""))
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        evaluation = {"date": ctx.today.isoformat(), "changes": changes}
        if refused := self._evaluated(
            ctx, data, plan, lambda c: c.__setitem__("evaluation", evaluation), "plan.evaluate"
        ):
            return refused
        plans.add_event(
            ctx.services.session,
            plan.id,
            ctx.services.user_id,
            "evaluate",
            plan.status,
            plan.status,
        )
        return None

    def carry_on(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """Close this plan and start a draft for the next semester, pre-filled from it."""
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        following = _after(semesters(ctx, plan.school_id), semester_of(ctx, plan))
        if following is None:
            return ActionResult(error=say("eval.no_next_semester"), goto="end")
        taken = plans.open_for(ctx.services.session, plan.pupil_id, following.code)
        if taken is not None:  # one plan per pupil and semester: that one goes on
            return ActionResult(error=plan_exists("plan.exists", taken), goto="end")
        closed = self._move(ctx, data, Move.CLOSE, "plan.closed")
        if closed.error is not None:
            return closed
        draft = plans.create(
            ctx.services.session,
            plan.school_id,
            plan.pupil_id,
            ctx.services.user_id,
            following.code,
        )
        old = copy.deepcopy(plan.content or {})
        draft.content = {
            "risks": old.get("risks", []),
            "measures": [
                {k: v for k, v in m.items() if k != "as_planned"} for m in old.get("measures", [])
            ],
            "commitments": old.get("commitments", {}),
            "previous_plan": plan.id,
        }
        ctx.services.audit("plan.create", "plan", draft.id, draft.school_id, previous=plan.id)
        return ActionResult(note=say("eval.continued", number=draft.id))

    def _evaluated(
        self, ctx: Ctx, data: dict[str, Any], plan: Plan, change: Any, action: str
    ) -> ActionResult | None:
        """An evaluation step, saved against the version the evaluator saw; refused if someone
        changed the plan meanwhile (ratings overwrite, so the last writer must not win silently)."""
        try:
            saved = plans.change(
                ctx.services.session, plan.id, int(data.get("v", plan.version)), change
            )
        except plans.VersionConflict as conflict:
            who = Raw(changed_by(ctx, conflict.plan))
            return ActionResult(error=say("eval.conflict", who=who), goto="end")
        ctx.services.audit(action, "plan", plan.id, plan.school_id)
        data["v"] = saved.version
        return None

    def _change(self, ctx: Ctx, plan: Plan, change: Any, action: str) -> Plan:
        """Add to the plan's content (notes only add, so the current version is fine); every
        change leaves an audit row."""
        saved = plans.change(ctx.services.session, plan.id, plan.version, change)
        ctx.services.audit(action, "plan", plan.id, plan.school_id)
        return saved


def _after(all_: tuple[Semester, ...], current: Semester | None) -> Semester | None:
    if current is None:
        return None
    later = [s for s in all_ if s.start > current.start]
    return later[0] if later else None


__all__ = ["Raw", "Review"]
