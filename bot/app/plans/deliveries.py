"""Running a plan: each delivery of a measure is logged with the pupil's confirmation."""

from __future__ import annotations

from typing import Any

from bot.app.plans.common import label, load, plan_in, to_card
from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Raw, say
from bot.domain.access import can_log_delivery
from bot.domain.plans import Status
from bot.knowledge import KnowledgeBase
from bot.storage.repos import plans


class Deliveries:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.catalogue = kb.catalogue

    def register(self, registry: Registry) -> None:
        registry.providers["plan_measures"] = self.measures
        registry.actions.update(
            {
                "open_delivery": self.open,
                "delivery_amount": self.amount_question,
                "save_delivery_confirmed": lambda ctx, d: self.save(ctx, d, True),
                "save_delivery_unconfirmed": lambda ctx, d: self.save(ctx, d, False),
            }
        )
        registry.conditions["plan_deliverable"] = self.deliverable

    def deliverable(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        running = (Status.APPROVED.value, Status.IN_PROGRESS.value)
        return plan_in(ctx, data, can_log_delivery, *running)

    def open(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        if not self.deliverable(ctx, data):
            ctx.services.refuse(
                "delivery", "plan", data.get("plan") if isinstance(data.get("plan"), int) else None
            )
            return ActionResult(error=say("access.denied"), goto="end")
        return ActionResult(goto="dialog:delivery", carry={"plan": data["plan"]})

    def measures(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        plan = load(ctx, data, can_log_delivery)
        if plan is None:
            return []
        out = []
        for entry in (plan.content or {}).get("measures") or []:
            measure = self.catalogue.measure(entry["code"])
            out.append(
                DynamicOption(
                    entry["code"],
                    Raw(label(measure.label, ctx.language) if measure else entry["code"]),
                )
            )
        return out

    def amount_question(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult | None:
        """Hours for a consultation, euros for a compensation: ask for the one that applies."""
        measure = self.catalogue.measure(str(data.get("measure", "")))
        kind = measure.kind if measure else ""
        key = _AMOUNT_QUESTIONS.get(kind, "delivery.ask_amount_any")
        data["amount_question"] = {"text_key": key}
        return None

    def save(self, ctx: Ctx, data: dict[str, Any], confirmed: bool) -> ActionResult:
        plan = load(ctx, data, can_log_delivery)
        if plan is None or plan.status not in (Status.APPROVED.value, Status.IN_PROGRESS.value):
            return ActionResult(error=say("access.denied"), goto="end")
        codes = {m["code"] for m in (plan.content or {}).get("measures") or []}
        if data.get("measure") not in codes:
            return ActionResult(error=say("error.stale_button"), goto="end")
        if plan.status == Status.APPROVED.value:  # the first delivery puts the plan into effect
            plans.set_status(
                ctx.services.session, plan, Status.IN_PROGRESS.value, ctx.services.user_id, "start"
            )
        row = plans.add_delivery(
            ctx.services.session,
            plan.id,
            str(data["measure"]),
            str(data["day"]),
            float(data["amount"]),
            str(data.get("by_whom", "")),
            confirmed,
            ctx.services.user_id,
        )
        ctx.services.audit("plan.delivery", "plan", plan.id, plan.school_id, delivery=row.id)
        return to_card(plan, say("delivery.saved"))  # often several deliveries are logged at once


_AMOUNT_QUESTIONS = {"consultation": "delivery.ask_hours", "compensation": "delivery.ask_euros"}
