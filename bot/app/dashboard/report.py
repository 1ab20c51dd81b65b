"""The school report for the municipality: counts for the current semester per risk group, per
measure kind and per plan status, one column per school. No pupil names or ids, by construction:
only counts leave this module."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from bot.app.dashboard.scope import Scope, load, scope_of
from bot.app.plans.common import label
from bot.core.context import Ctx
from bot.core.registry import ActionResult
from bot.core.replies import Reply, say
from bot.domain.figures import PlanFacts, Summary, summarise
from bot.domain.plans import Status
from bot.exports.private import private_file, private_folder
from bot.exports.sheet import Cell, Sheet, write_csv, write_xlsx
from bot.i18n import translator
from bot.knowledge import Catalogue

KINDS = ("consultation", "compensation", "project", "other")


class Report:
    def __init__(self, catalogue: Catalogue, folder: Path) -> None:
        self.catalogue = catalogue
        self.folder = folder

    def send(self, ctx: Ctx, kind: str) -> ActionResult:
        scope = scope_of(ctx)
        facts = [row.facts for row in load(ctx, scope, self.catalogue)]
        sheet = self.sheet(ctx, scope, facts)
        name = f"{file_stem(scope, ctx)}.{'xlsx' if kind == 'x' else 'csv'}"
        path = private_folder(self.folder) / name
        (write_xlsx if kind == "x" else write_csv)(sheet, path)
        private_file(path)
        ctx.services.audit(
            "dashboard.report", "school", None, min(scope.ids, default=None), format=path.suffix
        )
        ctx.services.flags.add("cleanup_document")
        return ActionResult(replies=(Reply((say("dashboard.report_sent"),), document=str(path)),))

    def sheet(self, ctx: Ctx, scope: Scope, facts: list[PlanFacts]) -> Sheet:
        tr = translator(ctx.language)
        t = tr.text
        per_school = [
            summarise([f for f in facts if f.school_id == s.id], scope.semesters, ctx.today)
            for s in scope.schools
        ]
        total = len(per_school) > 1

        def line(name: str, pick: Callable[[Summary], int]) -> tuple[Cell, ...]:
            values = [pick(s) for s in per_school]
            return (name, *values, *([sum(values)] if total else []))

        header: tuple[Cell, ...] = (
            t("report.item"),
            *[s.name for s in scope.schools],
            *([t("report.total")] if total else []),
        )
        rows: list[tuple[Cell, ...]] = [
            (t("report.title"),),
            (t("report.semester"), *[s.semester or "—" for s in scope.schools]),
            (t("report.made"), tr.date(ctx.today, "medium")),
            (),
            header,
        ]
        bold = {0, len(rows) - 1}
        sections: list[tuple[str, list[tuple[Cell, ...]]]] = [
            (
                t("report.by_status"),
                [line(t(f"plan.status.{st.value}"), _pick("by_status", st.value)) for st in Status],
            ),
            (
                t("report.pupils"),
                [line(t("report.pupils_active"), lambda s: s.pupils_active)],
            ),
            (
                t("report.by_risk_group"),
                [
                    line(label(g.label, ctx.language), _pick("risk_groups", g.code))
                    for g in self.catalogue.groups
                ],
            ),
            (
                t("report.by_measure_kind"),
                [line(t(f"measure_kind.{k}"), _pick("measure_kinds", k)) for k in KINDS],
            ),
        ]
        for title, lines in sections:
            rows.append(())
            bold.add(len(rows))
            rows.append((title,))
            rows += lines
        rows += [(), (t("report.note"),)]
        widths = (46.0, *([24.0] * (len(header) - 1)))
        return Sheet(t("report.sheet"), tuple(rows), frozenset(bold), widths)


def _pick(field: str, key: str) -> Callable[[Summary], int]:
    """One count of a summary: `field` is one of its dictionaries, `key` the entry."""

    def pick(summary: Summary) -> int:
        counts: dict[str, int] = getattr(summary, field)
        return counts.get(key, 0)

    return pick


def file_stem(scope: Scope, ctx: Ctx) -> str:
    """`report-<school>-<date>`: the school's name in plain ASCII, so every system can open it."""
    if len(scope.schools) == 1:
        school = scope.schools[0]
        slug = _slug(school.name) or f"school-{school.id}"
    else:
        slug = f"{len(scope.schools)}-schools"
    return f"report-{slug}-{ctx.today.isoformat()}"


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:40]
