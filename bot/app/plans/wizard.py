"""The plan wizard's named pieces (dialogs/plan_wizard.yaml): each answer is saved as it comes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.app.plans.common import (
    edit,
    label,
    load,
    measure_detail,
    plan_exists,
    plan_ref,
    semester_of,
    semesters,
)
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Button, Raw, Reply, label_text, say
from bot.domain.access import can_edit_plan, can_plan_for
from bot.domain.plans import Status
from bot.domain.roles import Role
from bot.domain.semesters import current_and_next
from bot.knowledge import KnowledgeBase
from bot.knowledge.model import GoalTemplate
from bot.storage.models import Plan
from bot.storage.repos import plans, schools


class Wizard:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.catalogue = kb.catalogue

    def register(self, registry: Registry) -> None:
        registry.providers.update(
            {
                "plan_pupils": self.pupils,
                "plan_semesters": self.semesters,
                "risk_groups": self.groups,
                "group_factors": self.factors,
                "goal_templates": self.templates,
                "suggested_measures": self.measures,
            }
        )
        registry.actions.update(
            {
                "require_pupils": self.require_pupils,
                "create_draft": self.create_draft,
                "application_by_parent": self.application_by_parent,
                "save_application": self.save_application,
                "prefill_group": self.prefill_group,
                "save_group_risks": self.save_group_risks,
                "risks_done": self.risks_done,
                "next_justification": self.next_justification,
                "save_justification": self.save_justification,
                "next_goal": self.next_goal,
                "skip_goal": self.skip_goal,
                "goal_unit": self.goal_unit,
                "save_goal": self.save_goal,
                "prefill_measures": self.prefill_measures,
                "save_measures": self.save_measures,
                "next_measure": self.next_measure,
                "keep_measure": self.keep_measure,
                "save_measure_detail": self.save_measure_detail,
                "save_commitments": self.save_commitments,
                "suggest_review": self.suggest_review,
                "save_review": self.save_review,
                "edit_section": self.edit_section,
                "edit_goals": self.edit_goals,
            }
        )
        registry.conditions["can_plan"] = lambda ctx, d: bool(_planning_schools(ctx))

    # --- pupil and semester ------------------------------------------------------------------
    def pupils(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        found = schools.pupils_of_schools(ctx.services.session, _planning_schools(ctx))
        return [DynamicOption(f"p{p.id}", Raw(f"{p.name}, {p.class_name}")) for p in found[:30]]

    def require_pupils(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        if not _planning_schools(ctx):
            ctx.services.refuse("plan.create", "school", None)
            return ActionResult(error=say("access.denied"))
        return None

    def semesters(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        school = min(_planning_schools(ctx), default=None)
        return [
            DynamicOption(
                s.code.replace("/", "_"),
                say("plan.semester_option", code=Raw(s.code), start=s.start, end=s.end),
            )
            for s in current_and_next(semesters(ctx, school), ctx.today)
        ]

    def create_draft(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        text = str(data.get("pupil", ""))
        pupil = schools.pupil(ctx.services.session, int(text[1:])) if text[1:].isdigit() else None
        if pupil is None or not can_plan_for(ctx.services.actor, pupil.school_id):
            ctx.services.refuse("plan.create", "pupil", pupil.id if pupil else None)
            return ActionResult(error=say("access.denied"), goto="end")
        code = str(data.get("semester", "")).replace("_", "/")
        if code not in {s.code for s in semesters(ctx, pupil.school_id)}:
            return ActionResult(error=say("error.stale_button"))
        if (existing := plans.open_for(ctx.services.session, pupil.id, code)) is not None:
            return self._existing(ctx, existing)
        plan = plans.create(
            ctx.services.session, pupil.school_id, pupil.id, ctx.services.user_id, code
        )
        ctx.services.audit("plan.create", "plan", plan.id, plan.school_id)
        return ActionResult(data={"plan": plan.id, "v": plan.version})

    def _existing(self, ctx: Ctx, plan: Plan) -> ActionResult:
        """One plan per pupil and semester: an open draft is continued, not started again."""
        editable = plan.status in (Status.DRAFT, Status.REVISION)
        if editable and can_edit_plan(ctx.services.actor, plan_ref(ctx, plan)):
            return ActionResult(
                note=plan_exists("plan.exists_continue", plan),
                goto="dialog:plan_wizard#summary",
                carry={"plan": plan.id, "v": plan.version},
            )
        return ActionResult(error=plan_exists("plan.exists", plan), goto="end")

    # --- application ---------------------------------------------------------------------------
    def application_by_parent(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        return edit(
            ctx,
            data,
            can_edit_plan,
            lambda c: c.__setitem__("application", {"by": "parent_in_chat"}),
        )

    def save_application(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        day = str(data.get("app_date", ""))
        return edit(ctx, data, can_edit_plan, lambda c: c.__setitem__("application", {"date": day}))

    # --- risks and justifications -------------------------------------------------------------
    def _risks(self, ctx: Ctx, data: dict[str, Any]) -> list[dict[str, str]]:
        return _risks_of(load(ctx, data, can_edit_plan))

    def groups(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        chosen = {r["code"] for r in self._risks(ctx, data)}
        out = []
        for group in self.catalogue.groups:
            n = sum(1 for f in group.factors if f.code in chosen)
            text = label(group.label, ctx.language) + (f" ({n})" if n else "")
            out.append(DynamicOption(group.code, Raw(text)))
        return out

    def factors(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        group = self.catalogue.group(str(data.get("group", "")))
        if group is None:
            return []
        return [DynamicOption(f.code, Raw(label(f.label, ctx.language))) for f in group.factors]

    def prefill_group(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        group = self.catalogue.group(str(data.get("group", "")))
        if group is None:
            return ActionResult(error=say("error.stale_button"))
        codes = {f.code for f in group.factors}
        data["picked"] = [r["code"] for r in self._risks(ctx, data) if r["code"] in codes]
        return ActionResult(data={"group_label": label(group.label, ctx.language)})

    def save_group_risks(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        group = self.catalogue.group(str(data.get("group", "")))
        if group is None:
            return ActionResult(error=say("error.stale_button"))
        codes = {f.code for f in group.factors}
        picked = [c for c in data.get("picked", []) if c in codes]

        def change(content: dict[str, Any]) -> None:
            kept = [
                r
                for r in content.get("risks") or []
                if r["code"] not in codes or r["code"] in picked
            ]
            have = {r["code"] for r in kept}
            content["risks"] = kept + [{"code": c, "why": ""} for c in picked if c not in have]

        return edit(ctx, data, can_edit_plan, change)

    def risks_done(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        if not self._risks(ctx, data):
            return ActionResult(error=say("plan.rule.no_risks"))
        data["ri"] = 0
        return None

    def next_justification(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        risks = self._risks(ctx, data)
        index = int(data.get("ri", 0))
        if index >= len(risks):
            data["gi"] = 0
            return ActionResult(goto="summary" if data.get("editing") else "goal")
        factor = self.catalogue.factor(risks[index]["code"])
        return ActionResult(
            data={
                "risk_label": label(factor.label, ctx.language) if factor else risks[index]["code"],
                "risk_hint": label(factor.hint, ctx.language) if factor else "",
                "loop_n": index + 1,
                "loop_m": len(risks),
            }
        )

    def save_justification(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        index, why = int(data.get("ri", 0)), str(data.pop("why", "")).strip()

        def change(content: dict[str, Any]) -> None:
            risks = content.get("risks") or []
            if index < len(risks):
                risks[index]["why"] = why

        result = edit(ctx, data, can_edit_plan, change)
        data["ri"] = index + 1
        return result

    # --- goals --------------------------------------------------------------------------------
    def next_goal(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        risks = _risks_of(plan)
        index = int(data.get("gi", 0))
        if index >= len(risks):
            return ActionResult(goto="summary" if data.get("editing") else "measures")
        factor = self.catalogue.factor(risks[index]["code"])
        semester = semester_of(ctx, plan) if plan is not None else None
        return ActionResult(
            data={
                "risk_label": label(factor.label, ctx.language) if factor else risks[index]["code"],
                "loop_n": index + 1,
                "loop_m": len(risks),
                "goal_unit": "",
                # The goal's date is offered and accepted up to the semester's end.
                "semester_end": semester.end.isoformat() if semester else "",
            }
        )

    def templates(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        risks = self._risks(ctx, data)
        index = int(data.get("gi", 0))
        if index >= len(risks):
            return []
        found = self.catalogue.goal_templates(risks[index]["code"])
        return [
            DynamicOption(f"t{i}", label_text(_blank(label(t.text, ctx.language))))
            for i, t in enumerate(found)
        ]

    def _picked(self, risks: list[dict[str, str]], data: dict[str, Any]) -> GoalTemplate | None:
        """The goal template chosen for the current risk, if one was (not a goal of their own)."""
        index = int(data.get("gi", 0))
        found = self.catalogue.goal_templates(risks[index]["code"]) if index < len(risks) else []
        pick = str(data.get("goal_pick", ""))
        if pick.startswith("t") and pick[1:].isdigit() and int(pick[1:]) < len(found):
            return found[int(pick[1:])]
        return None

    def goal_unit(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        """A template picked: its unit goes into the next two prompts ("days missed a month")."""
        template = self._picked(self._risks(ctx, data), data)
        unit = label(template.unit, ctx.language) if template else ""
        data["goal_unit"] = f" ({unit})" if unit else ""
        return None

    def skip_goal(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        data["gi"] = int(data.get("gi", 0)) + 1
        return None

    def save_goal(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        semester = semester_of(ctx, plan)
        day = dt.date.fromisoformat(str(data.get("goal_date")))
        if semester is not None and not semester.contains(day):
            return ActionResult(error=say("plan.rule.goal_date_outside"))
        risks = _risks_of(plan)
        index = int(data.get("gi", 0))
        factor_code = risks[index]["code"] if index < len(risks) else ""
        template = self._picked(risks, data)
        own = str(data.get("goal_own_text", ""))
        text = label(template.text, ctx.language) if template else own
        goal = {
            "factor": factor_code,
            "text": text,
            "baseline": str(data.get("goal_baseline", "")),
            "target": str(data.get("goal_target", "")),
            "date": day.isoformat(),
        }

        def change(content: dict[str, Any]) -> None:
            goals = [g for g in content.get("goals") or [] if g.get("factor") != factor_code]
            content["goals"] = [*goals, goal]

        result = edit(ctx, data, can_edit_plan, change)
        data["gi"] = index + 1
        return result

    # --- measures -----------------------------------------------------------------------------
    def measures(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        chosen = [r["code"] for r in self._risks(ctx, data)]
        out = []
        for measure in self.catalogue.measures_for(chosen)[:12]:
            answers = [self.catalogue.factor(c) for c in measure.answers if c in chosen]
            names = ", ".join(label(f.label, ctx.language) for f in answers if f)
            out.append(
                DynamicOption(measure.code, Raw(f"{label(measure.label, ctx.language)} — {names}"))
            )
        return out

    def prefill_measures(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        data["picked_measures"] = [m["code"] for m in (plan.content or {}).get("measures") or []]
        chosen = [r["code"] for r in (plan.content or {}).get("risks") or []]
        articles: list[str] = []
        for measure in self.catalogue.measures_for(chosen)[:12]:
            if measure.article and measure.article not in articles:
                articles.append(measure.article)
        rows = tuple(
            (Button(Raw("📖 " + a.title), encode_global("a", a.id)),)
            for a in (self.kb.article(i, ctx.language) for i in articles[:4])
            if a is not None
        )
        if not rows:
            return None
        return ActionResult(replies=(Reply((say("plan.measure_articles"),), rows),))

    def save_measures(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        chosen = {r["code"] for r in self._risks(ctx, data)}
        picked = [c for c in data.get("picked_measures", []) if self.catalogue.measure(c)]
        if not picked:
            return ActionResult(error=say("plan.rule.no_measures"))

        def change(content: dict[str, Any]) -> None:
            old = {m["code"]: m for m in content.get("measures") or []}
            fresh = []
            for code in picked:
                measure = self.catalogue.measure(code)
                assert measure is not None
                # Empty: the catalogue's words, shown in each reader's language.
                entry = old.get(code) or {"code": code, "responsible": "", "frequency": ""}
                entry["answers"] = [c for c in measure.answers if c in chosen]
                fresh.append(entry)
            content["measures"] = fresh

        data["mi"] = 0
        return edit(ctx, data, can_edit_plan, change)

    def next_measure(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        chosen = (plan.content or {}).get("measures") or []
        index = int(data.get("mi", 0))
        if index >= len(chosen):
            return ActionResult(goto="summary" if data.get("editing") else "commitments_pupil")
        entry = chosen[index]
        measure = self.catalogue.measure(entry["code"])
        who, often = measure_detail(entry, measure, ctx.language)
        return ActionResult(
            data={
                "measure_label": label(measure.label, ctx.language) if measure else entry["code"],
                "measure_responsible": who,
                "measure_frequency": often,
                "loop_n": index + 1,
                "loop_m": len(chosen),
            }
        )

    def keep_measure(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        data["mi"] = int(data.get("mi", 0)) + 1
        return None

    def save_measure_detail(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        index = int(data.get("mi", 0))
        who, often = str(data.pop("new_responsible", "")), str(data.pop("new_frequency", ""))

        def change(content: dict[str, Any]) -> None:
            chosen = content.get("measures") or []
            if index < len(chosen):
                chosen[index]["responsible"], chosen[index]["frequency"] = who, often

        result = edit(ctx, data, can_edit_plan, change)
        data["mi"] = index + 1
        return result

    # --- commitments, review date, editing ----------------------------------------------------
    def save_commitments(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        part = {
            "pupil": str(data.pop("pupil_part", "")),
            "parents": str(data.pop("parent_part", "")),
        }
        result = edit(ctx, data, can_edit_plan, lambda c: c.__setitem__("commitments", part))
        if result is None and data.get("editing"):
            return ActionResult(goto="summary")
        return result

    def suggest_review(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        semester = semester_of(ctx, plan)
        middle = max(semester.middle, ctx.today + dt.timedelta(days=1)) if semester else ctx.today
        end = semester.end.isoformat() if semester else ""
        return ActionResult(data={"review_suggested": middle.isoformat(), "semester_end": end})

    def save_review(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        semester = semester_of(ctx, plan)
        day = dt.date.fromisoformat(str(data.get("review_date")))
        if semester is not None and not (semester.start < day <= semester.end):
            return ActionResult(error=say("plan.rule.review_outside"))
        return edit(
            ctx, data, can_edit_plan, lambda c: c.__setitem__("review_date", day.isoformat())
        )

    def edit_section(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        data.update({"editing": True, "ri": 0, "mi": 0})
        return None

    def edit_goals(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        data.update({"editing": True, "gi": 0})
        return None


def _planning_schools(ctx: Ctx) -> frozenset[int]:
    found: frozenset[int] = ctx.services.actor.schools(Role.TEACHER, Role.COORDINATOR)
    return found


def _risks_of(plan: Plan | None) -> list[dict[str, str]]:
    return list((plan.content or {}).get("risks") or []) if plan else []


def _blank(template: str) -> str:
    """A goal template as a button: the placeholders shown as gaps."""
    for key in ("{baseline}", "{target}", "{date}"):
        template = template.replace(key, "…")
    return template
