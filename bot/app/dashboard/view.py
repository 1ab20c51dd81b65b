"""/dashboard: the figures as text with correct plurals, one chart, and buttons for the lists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.app.dashboard.chart import chart_for, picture
from bot.app.dashboard.lists import Lists
from bot.app.dashboard.report import Report
from bot.app.dashboard.scope import DASHBOARD_ROLES, Scope, load, may_use, scope_of
from bot.app.data_rights import EXPORTS
from bot.app.plans.common import label
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Command, Registry
from bot.core.replies import Button, Lines, Part, Raw, Reply, say
from bot.domain.figures import Summary, overdue_by_week, summarise
from bot.domain.plans import Status
from bot.knowledge import KnowledgeBase, RiskGroup
from bot.storage.repos import dashboard

BUTTON = "d"  # global button code: lists, pages and reports (see lists.py)


class DashboardView:
    def __init__(self, kb: KnowledgeBase, folder: Path = EXPORTS) -> None:
        self.catalogue = kb.catalogue
        self.folder = folder
        self.lists = Lists(kb.catalogue)
        self.report = Report(kb.catalogue, folder)

    def register(self, registry: Registry) -> None:
        registry.commands["dashboard"] = Command(
            "dashboard", handler=self.command, roles=DASHBOARD_ROLES
        )
        registry.actions["show_dashboard"] = self.action
        registry.conditions["can_see_dashboard"] = lambda ctx, d: may_use(ctx)
        registry.buttons[BUTTON] = self.button

    def button(self, ctx: Ctx, arg: str) -> ActionResult:
        """A list page or a report; the data is checked there and the person here."""
        if not may_use(ctx):
            ctx.services.refuse("dashboard", "button", None)
            return ActionResult(error=say("dashboard.not_allowed"))
        if arg in ("x", "c"):
            return self.report.send(ctx, arg)
        return self.lists.show(ctx, arg)

    def command(self, ctx: Ctx, args: str) -> ActionResult:
        return self.show(ctx)

    def action(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        return self.show(ctx)

    def show(self, ctx: Ctx) -> ActionResult:
        if not may_use(ctx):  # e.g. the role was taken away since the menu was shown
            ctx.services.refuse("dashboard", "school", None)
            return ActionResult(error=say("dashboard.not_allowed"), goto="stop")
        scope = scope_of(ctx)
        facts = [row.facts for row in load(ctx, scope, self.catalogue)]
        summary = summarise(facts, scope.semesters, ctx.today)
        people = len(dashboard.unreachable(ctx.services.session, scope.ids))
        title = _title(scope)
        chart = chart_for(
            summary, overdue_by_week(facts, ctx.today), title, self.catalogue, ctx.language
        )
        path = picture(chart, self.folder)
        ctx.services.audit("dashboard.view", "school", None, min(scope.ids, default=None))
        parts = _figures(title, summary, people, self.catalogue.groups, ctx.language)
        buttons = _buttons(scope, summary.pending, summary.overdue, people)
        return ActionResult(
            replies=(
                Reply(parts, photo=str(path)),
                Reply((say("dashboard.choose"),), buttons),
            ),
            goto="stop",
        )


def _figures(
    title: str, summary: Summary, people: int, groups: tuple[RiskGroup, ...], lang: str
) -> tuple[Part, ...]:
    """The summary text: statuses, risk groups, then what needs attention, with plurals."""
    return (
        say("dashboard.title", schools=Raw(title)),
        Lines(
            (
                say("dashboard.by_status"),
                *[
                    say(
                        "dashboard.line",
                        label=say(f"plan.status.{s.value}"),
                        value=summary.by_status[s.value],
                    )
                    for s in Status
                ],
                say(
                    "dashboard.total",
                    total=say("count.plans", count=sum(summary.by_status.values())),
                ),
            )
        ),
        Lines(
            (
                say("dashboard.by_risk_group"),
                *[
                    say(
                        "dashboard.line",
                        label=Raw(label(g.label, lang)),
                        value=summary.risk_groups.get(g.code, 0),
                    )
                    for g in groups
                ],
            )
        ),
        Lines(
            (
                say("dashboard.pupils_active", count=summary.pupils_active),
                say("dashboard.overdue", count=summary.overdue),
                say("dashboard.pending", count=summary.pending),
                say("dashboard.unreachable", count=people),
            )
        ),
    )


def _title(scope: Scope) -> str:
    names = ", ".join(s.name for s in scope.schools)
    codes = sorted({s.semester for s in scope.schools if s.semester})
    return f"{names} · {', '.join(codes)}" if codes else names


def _buttons(
    scope: Scope, pending: int, overdue: int, people: int
) -> tuple[tuple[Button, ...], ...]:
    rows: list[tuple[Button, ...]] = []
    if scope.named:  # lists name pupils and people: school leaders only
        rows += [
            (Button(say("dashboard.list.pending", n=pending), encode_global(BUTTON, "a")),),
            (Button(say("dashboard.list.overdue", n=overdue), encode_global(BUTTON, "r")),),
            (Button(say("dashboard.list.unreachable", n=people), encode_global(BUTTON, "u")),),
        ]
    rows.append(
        (
            Button(say("dashboard.report_xlsx"), encode_global(BUTTON, "x")),
            Button(say("dashboard.report_csv"), encode_global(BUTTON, "c")),
        )
    )
    return tuple(rows)
