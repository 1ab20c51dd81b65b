"""Plans after the wizard: the list, the card, submit, approve or return, start, close, delete,
the parent's view and acknowledgment. Notifications name no pupil and quote no plan content."""

from __future__ import annotations

from typing import Any

from bot.app.plans.common import load, peek, plan_in, plan_ref, semester_of
from bot.app.plans.view import overview
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Command, DynamicOption, Registry
from bot.core.replies import Button, Lines, Part, Raw, Reply, Text, say
from bot.domain import plans as rules
from bot.domain.access import (
    can_approve_plan,
    can_edit_plan,
    can_view_plan,
    is_parent_of,
)
from bot.domain.plans import Move, Status
from bot.domain.roles import Role
from bot.knowledge import KnowledgeBase
from bot.storage.models import Plan
from bot.storage.repos import audit, plans, schools


class Lifecycle:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.catalogue = kb.catalogue

    def register(self, registry: Registry) -> None:
        registry.commands["plans"] = Command("plans", target="dialog:plans")
        registry.commands["newplan"] = Command(
            "newplan", target="dialog:plan_wizard", roles=frozenset({"teacher", "coordinator"})
        )
        registry.buttons["o"] = self.open_from_notification
        registry.providers["my_plans"] = self.my_plans
        registry.actions.update(
            {
                "build_summary": self.summary,
                "save_draft": self.save_draft,
                "submit_plan": self.submit,
                "load_card": self.card,
                "continue_plan": self.continue_editing,
                "approve_plan": self.approve,
                "return_plan": self.return_plan,
                "start_plan": self.start,
                "close_plan": self.close,
                "delete_plan": self.delete,
                "acknowledge_plan": self.acknowledge,
                "save_family_view": self.family_view,
                "show_history": self.history,
            }
        )
        registry.conditions.update(
            {
                "has_plans": lambda ctx, d: bool(self.my_plans(ctx, d)),
                "plans_visible": self._plans_visible,
                "plan_editable": self._when(can_edit_plan, Status.DRAFT, Status.REVISION),
                "plan_approvable": self._approvable,
                "plan_startable": self._when(can_edit_plan, Status.APPROVED),
                "plan_closable": self._when(
                    can_edit_plan, Status.APPROVED, Status.IN_PROGRESS, Status.SUSPENDED
                ),
                "plan_deletable": self._when(can_edit_plan, Status.DRAFT),
                "plan_parent": lambda ctx, d: self._parent(ctx, d),
                "plan_staff": lambda ctx, d: self._staff(ctx, d),
            }
        )

    def _approvable(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        plan = peek(ctx, data)
        return (
            plan is not None
            and plan.status == Status.APPROVAL.value
            and self._approver(ctx)(ctx.services.actor, plan_ref(ctx, plan))
        )

    def _plans_visible(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        actor = ctx.services.actor
        staff = actor.schools(
            Role.TEACHER, Role.COORDINATOR, Role.HEAD, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR
        )
        return bool(staff) or bool(actor.children and self.my_plans(ctx, data))

    # --- list and card -----------------------------------------------------------------------
    def my_plans(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        actor = ctx.services.actor
        leaders = actor.schools(
            Role.COORDINATOR, Role.HEAD, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR
        )
        found = plans.visible(ctx.services.session, actor.user_id, leaders, actor.children)
        return [
            DynamicOption(
                f"n{plan.id}",
                say(
                    "plan.list_item",
                    number=plan.id,
                    name=Raw(pupil.name),
                    pupil_class=Raw(pupil.class_name),
                    status=say(f"plan.status.{plan.status}"),
                ),
            )
            for plan, pupil in found
        ]

    def _plan_id(self, data: dict[str, Any]) -> None:
        pick = str(data.get("pick", ""))
        if pick.startswith("n") and pick[1:].isdigit():
            data["plan"] = int(pick[1:])
            data.pop("pick", None)

    def card(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        self._plan_id(data)
        plan = load(ctx, data, can_view_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"))
        pupil = schools.pupil(ctx.services.session, plan.pupil_id)
        assert pupil is not None
        parent = is_parent_of(ctx.services.actor, plan_ref(ctx, plan))
        ctx.services.audit("plan.view", "plan", plan.id, plan.school_id)
        view = overview(plan, pupil, self.catalogue, ctx.language, for_parent=parent)
        data["v"] = plan.version
        return ActionResult(replies=(Reply(view, protect=True),))

    def summary(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        data.pop("editing", None)
        return self.card(ctx, data)

    def _when(self, check: Any, *statuses: Status) -> Any:
        return lambda ctx, data: plan_in(ctx, data, check, *statuses)

    def _parent(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        plan = peek(ctx, data)
        return plan is not None and is_parent_of(ctx.services.actor, plan_ref(ctx, plan))

    def _staff(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        plan = peek(ctx, data)
        return plan is not None and not is_parent_of(ctx.services.actor, plan_ref(ctx, plan))

    # --- moves ---------------------------------------------------------------------------------
    def _move(
        self,
        ctx: Ctx,
        data: dict[str, Any],
        move: Move,
        check: Any,
        comment: str = "",
        back: str = "card",
    ) -> Plan | ActionResult:
        plan = load(ctx, data, check)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        if plan.version != data.get("v"):
            data["v"] = plan.version
            return ActionResult(error=say("plan.conflict_short"), goto=back)
        if not rules.allowed(Status(plan.status), move):
            return ActionResult(error=say("plan.move_not_allowed"), goto=back)
        after = rules.target(move)
        if after is not None:
            plans.set_status(
                ctx.services.session, plan, after.value, ctx.services.user_id, move.value, comment
            )
        ctx.services.audit(f"plan.{move.value}", "plan", plan.id, plan.school_id)
        data["v"] = plan.version
        return plan

    def save_draft(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        return ActionResult(note=say("plan.saved_draft"))

    def submit(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        issues = rules.problems_for_submit(plan.content or {}, semester_of(ctx, plan))
        if issues:
            lines = [
                Text(i.key, {k: Raw(self._name(v, ctx.language)) for k, v in i.params})
                for i in issues
            ]
            reply = Reply((say("plan.cannot_submit"), *lines))
            return ActionResult(replies=(reply,), goto="summary")
        moved = self._move(ctx, data, Move.SUBMIT, can_edit_plan, back="summary")
        if isinstance(moved, ActionResult):
            return moved
        if (moved.content or {}).get("approvals"):  # a new round of approval starts afresh
            moved = plans.change(
                ctx.services.session, moved.id, moved.version, lambda c: c.pop("approvals", None)
            )
            data["v"] = moved.version
        notes = self._notify(ctx, moved, "plan.notify.approval", self._approvers(ctx, moved))
        return ActionResult(note=say("plan.submitted"), replies=notes)

    def _name(self, code: str, lang: str) -> str:
        factor = self.catalogue.factor(code)
        measure = self.catalogue.measure(code)
        item = factor.label if factor else measure.label if measure else code
        return item.get(lang, code) if isinstance(item, dict) else str(item)

    def _chain(self, ctx: Ctx, plan: Plan) -> tuple[str, ...]:
        school = schools.get_school(ctx.services.session, plan.school_id)
        chain = (school.settings or {}).get("approval_chain") if school else None
        return tuple(chain) if chain else rules.DEFAULT_CHAIN

    def _stage(self, ctx: Ctx, plan: Plan) -> str | None:
        done = [a["stage"] for a in (plan.content or {}).get("approvals", [])]
        return rules.next_stage(self._chain(ctx, plan), done)

    def _approver(self, ctx: Ctx) -> Any:
        """A check for "may approve the stage the plan is at now", bound to this unit of work."""

        def check(actor: Any, ref: Any) -> bool:
            plan = plans.get(ctx.services.session, ref.id)
            stage = self._stage(ctx, plan) if plan is not None else None
            return stage is not None and can_approve_plan(actor, ref, stage)

        return check

    def approve(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """One stage of the approval chain; the plan is approved when the last stage signs."""
        plan = load(ctx, data, self._approver(ctx))
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        stage = self._stage(ctx, plan)
        chain = self._chain(ctx, plan)
        if stage is not None and stage != chain[-1]:
            if plan.version != data.get("v"):
                data["v"] = plan.version
                return ActionResult(error=say("plan.conflict_short"), goto="card")
            entry = {"stage": stage, "by": ctx.services.user_id, "at": ctx.now.isoformat()}
            saved = plans.change(
                ctx.services.session,
                plan.id,
                plan.version,
                lambda c: c.setdefault("approvals", []).append(entry),
            )
            plans.add_event(
                ctx.services.session,
                plan.id,
                ctx.services.user_id,
                f"approve_{stage}",
                plan.status,
                plan.status,
            )
            ctx.services.audit("plan.approve_stage", "plan", plan.id, plan.school_id, stage=stage)
            data["v"] = saved.version
            notes = self._notify(ctx, saved, "plan.notify.approval", self._municipal(ctx, saved))
            return ActionResult(note=say("plan.approved_stage"), replies=notes)
        moved = self._move(ctx, data, Move.APPROVE, self._approver(ctx))
        if isinstance(moved, ActionResult):
            return moved
        notes = self._notify(ctx, moved, "plan.notify.approved", self._author(ctx, moved))
        return ActionResult(note=say("plan.approved"), replies=notes)

    def _municipal(self, ctx: Ctx, plan: Plan) -> list[tuple[int, str | None]]:
        roles = (Role.MUNICIPAL_COORDINATOR.value,)
        return schools.recipients(ctx.services.session, plan.school_id, roles)

    def return_plan(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        comment = str(data.pop("comment", ""))
        moved = self._move(ctx, data, Move.RETURN, self._approver(ctx), comment)
        if isinstance(moved, ActionResult):
            return moved
        notes = self._notify(ctx, moved, "plan.notify.returned", self._author(ctx, moved))
        return ActionResult(note=say("plan.returned"), replies=notes)

    def start(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        moved = self._move(ctx, data, Move.START, can_edit_plan)
        return moved if isinstance(moved, ActionResult) else ActionResult(note=say("plan.started"))

    def close(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        moved = self._move(ctx, data, Move.CLOSE, can_edit_plan)
        return moved if isinstance(moved, ActionResult) else ActionResult(note=say("plan.closed"))

    def delete(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        moved = self._move(ctx, data, Move.DELETE, can_edit_plan)
        if isinstance(moved, ActionResult):
            return moved
        ctx.services.session.delete(moved)
        return ActionResult(note=say("plan.deleted"), goto="list")

    def continue_editing(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_edit_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        return ActionResult(
            goto="dialog:plan_wizard#summary", carry={"plan": plan.id, "v": plan.version}
        )

    def history(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, can_view_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        lines: list[Text | Raw] = []
        for event, name in plans.events(ctx.services.session, plan.id):
            lines.append(
                say(
                    "plan.history_line",
                    when=event.at,
                    who=Raw(name or "—"),
                    before=_status(event.from_status),
                    after=_status(event.to_status),
                    comment=Raw(f" — {event.comment}" if event.comment else ""),
                )
            )
        parts: list[Part] = [say("plan.history"), Lines(tuple(lines))]
        if can_approve_plan(ctx.services.actor, plan_ref(ctx, plan)):
            # School leaders also see who opened, exported or changed the plan (the audit log).
            session = ctx.services.session
            log: list[Text | Raw] = []
            for a in audit.for_object(session, "plan", plan.id):
                who = schools.user_name(session, a.actor_id) if a.actor_id else None
                what = say(f"audit.{a.action}") if a.action in AUDITED else Raw(a.action)
                log.append(say("plan.audit_line", when=a.at, who=Raw(who or "—"), action=what))
            parts += [say("plan.audit"), Lines(tuple(log)) if log else Raw("—")]
        return ActionResult(replies=(Reply(tuple(parts), protect=True),))

    # --- parents -------------------------------------------------------------------------------
    def acknowledge(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        plan = load(ctx, data, lambda actor, ref: is_parent_of(actor, ref))
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        application = (plan.content or {}).get("application") or {}
        if application.get("by") == "parent_in_chat" and not application.get("confirmed_at"):
            # The parent's acknowledgment in chat is their application for the plan.
            confirmed = {**application, "confirmed_at": ctx.now.isoformat()}
            plan = plans.change(
                ctx.services.session,
                plan.id,
                plan.version,
                lambda c: c.__setitem__("application", confirmed),
            )
            data["v"] = plan.version
        plans.acknowledge(ctx.services.session, plan.id, ctx.services.user_id, plan.version)
        plans.add_event(
            ctx.services.session,
            plan.id,
            ctx.services.user_id,
            "acknowledge",
            plan.status,
            plan.status,
        )
        ctx.services.audit("plan.acknowledge", "plan", plan.id, plan.school_id)
        return ActionResult(note=say("plan.acknowledged"))

    def family_view(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        text = str(data.pop("family_text", ""))
        plan = load(ctx, data, lambda actor, ref: is_parent_of(actor, ref))
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")

        def change(content: dict[str, Any]) -> None:
            content["family_view"] = text

        try:
            saved = plans.change(ctx.services.session, plan.id, plan.version, change)
        except plans.VersionConflict:
            return ActionResult(error=say("plan.conflict_short"), goto="card")
        data["v"] = saved.version
        ctx.services.audit("plan.family_view", "plan", plan.id, plan.school_id)
        notes = self._notify(ctx, saved, "plan.notify.family_view", self._author(ctx, saved))
        return ActionResult(note=say("plan.family_view_saved"), replies=notes)

    # --- notifications -------------------------------------------------------------------------
    def _approvers(self, ctx: Ctx, plan: Plan) -> list[tuple[int, str | None]]:
        roles = (Role.HEAD.value, Role.COORDINATOR.value)
        return schools.recipients(ctx.services.session, plan.school_id, roles, ctx.services.user_id)

    def _author(self, ctx: Ctx, plan: Plan) -> list[tuple[int, str | None]]:
        if plan.author_id is None or plan.author_id == ctx.services.user_id:
            return []
        user = schools.user(ctx.services.session, plan.author_id)
        if user is None or not user.reachable or user.telegram_id <= 0:
            return []
        return [(user.telegram_id, user.language)]

    def _notify(
        self, ctx: Ctx, plan: Plan, key: str, people: list[tuple[int, str | None]]
    ) -> tuple[Reply, ...]:
        """A notification in each recipient's language; it names no pupil."""
        button = ((Button(say("plan.open"), encode_global("o", str(plan.id))),),)
        seen: set[int] = set()
        out = []
        for chat, language in people:
            if chat not in seen:
                seen.add(chat)
                out.append(
                    Reply((say(key, number=plan.id),), button, chat_id=chat, language=language)
                )
        return tuple(out)

    def open_from_notification(self, ctx: Ctx, arg: str) -> ActionResult:
        if not arg.isdigit():
            return ActionResult(error=say("error.unknown_button"))
        plan = plans.get(ctx.services.session, int(arg))
        if plan is None or not can_view_plan(ctx.services.actor, plan_ref(ctx, plan)):
            ctx.services.refuse("plan.open", "plan", int(arg))
            return ActionResult(error=say("access.denied"))
        return ActionResult(goto="dialog:plans#card", carry={"plan": plan.id})


# Plan actions the audit log names in words (a key "audit.<action>" in both languages each).
AUDITED = frozenset(
    {
        "plan.create", "plan.view", "plan.edit", "plan.export", "plan.delivery",
        "plan.family_view", "plan.acknowledge", "plan.approve_stage", "plan.hand_over",
        "plan.add_from_answer", "plan.review_note", "plan.goal_note", "plan.goal_rating",
        "plan.measure_check", "plan.evaluate", "plan.closed", "access.denied",
        *(f"plan.{move.value}" for move in Move),
    }
)  # fmt: skip


_STATUSES = frozenset(s.value for s in Status)


def _status(code: str | None) -> Text | Raw:
    return say(f"plan.status.{code}") if code in _STATUSES else Raw("…")
