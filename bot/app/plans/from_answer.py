"""From a knowledge-base answer about a risk or a measure, staff add it to a plan in one tap."""

from __future__ import annotations

from bot.app.plans.common import plan_ref
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Registry
from bot.core.replies import Button, Raw, Reply, say
from bot.domain.access import can_edit_plan
from bot.domain.plans import Status
from bot.domain.roles import Role
from bot.knowledge import Article, KnowledgeBase
from bot.storage.repos import plans, schools

EDITABLE = (Status.DRAFT.value, Status.REVISION.value)


class FromAnswer:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def register(self, registry: Registry) -> None:
        registry.buttons["P"] = self.choose_plan
        registry.buttons["Q"] = self.add

    def button(self, ctx: Ctx, article: Article) -> Button | None:
        """The "use in a plan" button under an answer, for staff who can write plans."""
        if not (article.risk_factors or article.measures):
            return None
        if not ctx.services.actor.schools(Role.TEACHER, Role.COORDINATOR):
            return None
        return Button(say("plan.use_in_plan"), encode_global("P", article.id))

    def _drafts(self, ctx: Ctx) -> list[tuple[int, str]]:
        actor = ctx.services.actor
        found = plans.visible(
            ctx.services.session, actor.user_id, actor.schools(Role.COORDINATOR), frozenset()
        )
        return [
            (p.id, f"{p.id}: {pupil.name}, {pupil.class_name}")
            for p, pupil in found
            if p.status in EDITABLE and can_edit_plan(actor, plan_ref(ctx, p))
        ]

    def choose_plan(self, ctx: Ctx, article_id: str) -> ActionResult:
        if self.kb.article(article_id, ctx.language) is None:
            return ActionResult(error=say("error.unknown_button"))
        drafts = self._drafts(ctx)
        if not drafts:
            return ActionResult(replies=(Reply((say("plan.no_drafts"),)),))
        rows = tuple(
            (Button(Raw(text), encode_global("Q", f"{article_id}.{pid}")),)
            for pid, text in drafts[:8]
        )
        return ActionResult(replies=(Reply((say("plan.choose_draft"),), rows),))

    def add(self, ctx: Ctx, arg: str) -> ActionResult:
        article_id, _, raw_plan = arg.rpartition(".")
        article = self.kb.article(article_id, ctx.language)
        plan = plans.get(ctx.services.session, int(raw_plan)) if raw_plan.isdigit() else None
        if (
            article is None
            or plan is None
            or plan.status not in EDITABLE
            or not can_edit_plan(ctx.services.actor, plan_ref(ctx, plan))
        ):
            ctx.services.refuse("plan.add_from_answer", "plan", plan.id if plan else None)
            return ActionResult(error=say("access.denied"))
        catalogue = self.kb.catalogue

        def change(content: dict[str, object]) -> None:
            risks = list(content.get("risks") or [])  # type: ignore[call-overload]
            have = {r["code"] for r in risks}
            risks += [{"code": c, "why": ""} for c in article.risk_factors if c not in have]
            content["risks"] = risks
            chosen = {r["code"] for r in risks}
            measures = list(content.get("measures") or [])  # type: ignore[call-overload]
            present = {m["code"] for m in measures}
            for code in article.measures:
                measure = catalogue.measure(code)
                if measure is None or code in present:
                    continue
                measures.append(
                    {
                        "code": code,
                        "answers": [c for c in measure.answers if c in chosen],
                        "responsible": "",  # the catalogue's, in each reader's language
                        "frequency": "",
                    }
                )
            content["measures"] = measures

        plans.change(ctx.services.session, plan.id, plan.version, change)
        ctx.services.audit(
            "plan.add_from_answer", "plan", plan.id, plan.school_id, article=article.id
        )
        pupil = schools.pupil(ctx.services.session, plan.pupil_id)
        name = f"{pupil.name}, {pupil.class_name}" if pupil else str(plan.id)
        return ActionResult(replies=(Reply((say("plan.added_from_answer", plan=Raw(name)),)),))
