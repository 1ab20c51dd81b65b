"""Staff see the questions the knowledge base missed, grouped, in chat (like `kb misses`)."""

from __future__ import annotations

from bot.app.misses import group_misses
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Command, Registry
from bot.core.replies import Raw, Reply, say
from bot.storage.repos.question_log import missed

STAFF_ROLES = frozenset({"coordinator", "head", "municipal_coordinator", "admin", "teacher"})
SHOWN = 15


class MissesInChat:
    def register(self, registry: Registry) -> None:
        registry.commands["misses"] = Command("misses", handler=self.show, roles=STAFF_ROLES)
        registry.actions["show_misses"] = lambda ctx, d: self.show(ctx, "")
        registry.conditions["is_staff"] = lambda ctx, d: bool(ctx.person.roles & STAFF_ROLES)

    def show(self, ctx: Ctx, args: str) -> ActionResult:
        groups = group_misses(missed(ctx.services.session, 500))
        if not groups:
            return ActionResult(replies=(Reply((say("misses.none"),)),), goto="stop")
        lines = [
            f"{g.count} × [{g.language}] {g.example}"
            + (f" ({', '.join(f'{k} {v}' for k, v in sorted(g.reasons.items()))})")
            for g in groups[:SHOWN]
        ]
        return ActionResult(
            replies=(Reply((say("misses.title"), Raw("\n".join(lines)))),), goto="stop"
        )
