"""The dashboard's lists, a page at a time: plans waiting for approval, overdue reviews, people
who blocked the bot. Button data (`G:d:<list>[.<page>]`) comes from the client, so it is parsed
strictly, pages are clamped, and every plan shown passes the access policy."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.app.dashboard.scope import Scope, load, scope_of
from bot.app.plans.common import plan_ref
from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult
from bot.core.replies import Button, Lines, Raw, Reply, Text, say
from bot.domain.access import can_view_plan
from bot.domain.figures import review_overdue
from bot.domain.plans import Status
from bot.knowledge import Catalogue
from bot.storage.repos import dashboard

PAGE = 8
BUTTON = "d"
_DATA = re.compile(r"^([aru])(?:\.(\d{1,6}))?$")
TITLES = {
    "a": "dashboard.list.pending",
    "r": "dashboard.list.overdue",
    "u": "dashboard.list.unreachable",
}


class Lists:
    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue

    def show(self, ctx: Ctx, arg: str) -> ActionResult:
        match = _DATA.match(arg)
        if match is None:
            ctx.services.refuse("dashboard.list", "button", None)
            return ActionResult(error=say("error.unknown_button"))
        kind, page_text = match[1], match[2]
        scope = scope_of(ctx)
        if not scope.named:  # a municipal view has figures only; lists name people
            ctx.services.refuse("dashboard.list", "school", None)
            return ActionResult(error=say("dashboard.lists_not_allowed"))
        items = self._items(ctx, scope, kind)
        pages = max(1, -(-len(items) // PAGE))
        page = min(int(page_text or 0), pages - 1)  # a stale or forged page shows the last one
        shown = items[page * PAGE : (page + 1) * PAGE]
        title = say(TITLES[kind], n=len(items))
        parts: list[Text | Raw | Lines] = [say("dashboard.page", title=title, n=page + 1, m=pages)]
        rows: list[tuple[Button, ...]] = []
        if not items:
            parts.append(say("dashboard.list.empty"))
        elif kind == "u":
            parts.append(Lines(tuple(line for line, _ in shown)))
        else:
            rows += [(Button(text, encode_global("o", str(plan_id))),) for text, plan_id in shown]
        nav = []
        if page > 0:
            nav.append(
                Button(say("dashboard.previous"), encode_global(BUTTON, f"{kind}.{page - 1}"))
            )
        if page + 1 < pages:
            nav.append(Button(say("dashboard.next"), encode_global(BUTTON, f"{kind}.{page + 1}")))
        if nav:
            rows.append(tuple(nav))
        # Paging edits the list in place; opening a list from the dashboard sends a new message.
        reply = Reply(tuple(parts), tuple(rows), edit=page_text is not None, protect=True)
        return ActionResult(replies=(reply,))

    def _items(self, ctx: Ctx, scope: Scope, kind: str) -> list[tuple[Text | Raw, int]]:
        if kind == "u":
            return self._people(ctx, scope)
        allowed = self._viewable(ctx)
        out: list[tuple[Text | Raw, int]] = []
        for row in load(ctx, scope, self.catalogue):
            plan, pupil, facts = row.plan, row.pupil, row.facts
            wanted = (kind == "a" and plan.status == Status.APPROVAL) or (
                kind == "r" and review_overdue(facts, ctx.today, plan.status)
            )
            if not wanted or plan.school_id not in scope.named or not allowed(plan):
                continue
            if kind == "a":
                text = say(
                    "dashboard.item",
                    number=plan.id,
                    name=Raw(pupil.name),
                    pupil_class=Raw(pupil.class_name),
                )
            else:
                assert facts.review_date is not None
                text = say(
                    "dashboard.item_review",
                    number=plan.id,
                    name=Raw(pupil.name),
                    pupil_class=Raw(pupil.class_name),
                    date=facts.review_date,
                )
            out.append((text, plan.id))
        return out

    def _viewable(self, ctx: Ctx) -> Callable[..., bool]:
        return lambda plan: can_view_plan(ctx.services.actor, plan_ref(ctx, plan))

    def _people(self, ctx: Ctx, scope: Scope) -> list[tuple[Text | Raw, int]]:
        names = {s.id: s.name for s in scope.schools}
        rows = dashboard.unreachable(ctx.services.session, scope.named)
        return [
            (
                say(
                    "dashboard.person",
                    name=Raw(name or "—"),
                    role=say(f"role.{role}"),
                    school=Raw(names.get(school, "")),
                ),
                user_id,
            )
            for user_id, name, role, school in rows
        ]
