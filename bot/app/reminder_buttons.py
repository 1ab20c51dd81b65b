"""The buttons under a reminder: done, or remind me tomorrow. Only the recipient may use them."""

from __future__ import annotations

import datetime as dt

from bot.core.context import Ctx
from bot.core.registry import ActionResult, Registry
from bot.core.replies import Reply, say
from bot.storage.models import Reminder


class ReminderButtons:
    def register(self, registry: Registry) -> None:
        registry.buttons["D"] = lambda ctx, arg: self.answer(ctx, arg, tomorrow=False)
        registry.buttons["T"] = lambda ctx, arg: self.answer(ctx, arg, tomorrow=True)

    def answer(self, ctx: Ctx, arg: str, *, tomorrow: bool) -> ActionResult:
        row = ctx.services.session.get(Reminder, int(arg)) if arg.isdigit() else None
        if row is None or row.user_id != ctx.services.user_id:
            ctx.services.refuse("reminder", "reminder", int(arg) if arg.isdigit() else None)
            return ActionResult(error=say("access.denied"))
        if tomorrow:
            # A new occurrence of the same reminder, due a day later.
            ctx.services.session.add(
                Reminder(
                    key=f"{row.key}:+{ctx.now:%Y%m%d%H%M}",
                    rule=row.rule,
                    user_id=row.user_id,
                    plan_id=row.plan_id,
                    due_at=ctx.now + dt.timedelta(days=1),
                    status="pending",
                    late=False,
                )
            )
            return ActionResult(replies=(Reply((say("reminder.snoozed"),)),))
        row.status = "done"
        return ActionResult(replies=(Reply((say("reminder.marked_done"),)),))
