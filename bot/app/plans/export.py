"""Plan documents: the whole plan, its status history, approvals and delivery log, as PDF or DOCX,
in the reader's language. Files are named by plan id, never by the pupil's name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app.data_rights import EXPORTS
from bot.app.plans.common import label, load, measure_detail
from bot.app.plans.view import _goal
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Registry
from bot.core.replies import Reply, say
from bot.domain.access import can_view_plan
from bot.exports.model import Bullets, Document, Paragraph, Section, Table
from bot.exports.private import private_file, private_folder
from bot.i18n import translator
from bot.knowledge import KnowledgeBase
from bot.storage.models import Plan
from bot.storage.repos import plans, schools


class Export:
    def __init__(self, kb: KnowledgeBase, folder: Path = EXPORTS) -> None:
        self.catalogue = kb.catalogue
        self.folder = folder

    def register(self, registry: Registry) -> None:
        registry.actions["export_pdf"] = lambda ctx, d: self.export(ctx, d, "pdf")
        registry.actions["export_docx"] = lambda ctx, d: self.export(ctx, d, "docx")

    def export(self, ctx: Ctx, data: dict[str, Any], kind: str) -> ActionResult:
        plan = load(ctx, data, can_view_plan)
        if plan is None:
            return ActionResult(error=say("access.denied"), goto="end")
        document = self.document(ctx, plan)
        path = private_folder(self.folder) / f"plan-{plan.id}-v{plan.version}.{kind}"
        if kind == "pdf":
            from bot.exports.pdf import write_pdf

            write_pdf(document, path)
        else:
            from bot.exports.docx import write_docx

            write_docx(document, path)
        private_file(path)
        ctx.services.audit("plan.export", "plan", plan.id, plan.school_id, format=kind)
        ctx.services.flags.add("cleanup_document")
        return ActionResult(
            replies=(Reply((say("plans.exported"),), document=str(path), protect=True),)
        )

    def document(self, ctx: Ctx, plan: Plan) -> Document:
        tr = translator(ctx.language)
        lang = ctx.language
        session = ctx.services.session
        pupil = schools.pupil(session, plan.pupil_id)
        school = schools.get_school(session, plan.school_id)
        content: dict[str, Any] = plan.content or {}
        t = tr.text
        facts = (
            (t("export.pupil"), f"{pupil.name}, {pupil.class_name}" if pupil else "—"),
            (t("export.school"), school.name if school else "—"),
            (t("export.semester"), plan.semester),
            (t("export.status"), t(f"plan.status.{plan.status}")),
            (t("export.version"), str(plan.version)),
        )
        risks = Table(
            (t("export.risk"), t("export.justification")),
            tuple(
                (
                    label(f.label, lang) if (f := self.catalogue.factor(r["code"])) else r["code"],
                    str(r.get("why", "")),
                )
                for r in content.get("risks") or []
            ),
        )
        goals = Bullets(tuple(_goal(g) for g in content.get("goals") or []) or ("—",))
        measures = Table(
            (
                t("export.measure"),
                t("export.answers"),
                t("export.responsible"),
                t("export.frequency"),
            ),
            tuple(
                (
                    label(m.label, lang) if (m := self.catalogue.measure(e["code"])) else e["code"],
                    ", ".join(
                        label(f.label, lang)
                        for c in e.get("answers", [])
                        if (f := self.catalogue.factor(c))
                    ),
                    *measure_detail(e, self.catalogue.measure(e["code"]), lang),
                )
                for e in content.get("measures") or []
            ),
        )
        commitments = content.get("commitments") or {}
        history = Table(
            (t("export.when"), t("export.who"), t("export.change"), t("export.comment")),
            tuple(
                (
                    e.at.strftime("%d.%m.%Y"),
                    name or "—",
                    f"{t('plan.status.' + e.from_status) if e.from_status else '…'} → "
                    f"{t('plan.status.' + e.to_status)}",
                    e.comment,
                )
                for e, name in plans.events(session, plan.id)
            ),
        )
        log = Table(
            (
                t("export.day"),
                t("export.measure"),
                t("export.amount"),
                t("export.who"),
                t("export.confirmed"),
            ),
            tuple(
                (
                    d.day,
                    label(m.label, lang) if (m := self.catalogue.measure(d.measure)) else d.measure,
                    tr.number(d.amount),
                    d.by_whom,
                    t("input.yes") if d.confirmed else t("input.no"),
                )
                for d in plans.deliveries(session, plan.id)
            ),
        )
        sections = (
            Section(t("plan.view.risks"), (risks,)),
            Section(t("plan.view.goals"), (goals,)),
            Section(t("plan.view.measures"), (measures,)),
            Section(
                t("export.commitments"),
                (
                    Paragraph(t("export.pupil_part"), bold=True),
                    Paragraph(commitments.get("pupil", "—")),
                    Paragraph(t("export.parent_part"), bold=True),
                    Paragraph(commitments.get("parents", "—")),
                ),
            ),
            Section(t("export.review"), (Paragraph(str(content.get("review_date", "—"))),)),
            Section(t("export.family_view"), (Paragraph(str(content.get("family_view", "—"))),)),
            Section(
                t("export.evaluation"),
                (
                    Table(
                        (t("export.goal"), t("export.result"), t("export.comment")),
                        tuple(
                            (
                                _goal(g),
                                t(f"eval.result.{g['result']}") if g.get("result") else "—",
                                "; ".join(
                                    [str(g.get("comment", ""))]
                                    + [n["note"] for n in g.get("notes", [])]
                                ),
                            )
                            for g in content.get("goals") or []
                        ),
                    ),
                    Paragraph(str((content.get("evaluation") or {}).get("changes", "—"))),
                ),
            ),
            Section(t("export.history"), (history,)),
            Section(t("export.deliveries"), (log,)),
        )
        title = t("export.title").format(number=plan.id)
        return Document(title, lang, facts, sections, footer=t("export.footer"))
