"""Reminder settings in chat: turn each kind of reminder off and on, pick the digest weekday.

Buttons are global (`G:N:<arg>`) so they work on an old message too; `t.<kind>` toggles a kind,
`w` opens the weekday choice, `d.<0-6>` sets it. Each press is checked against the person's roles.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from bot.core.callbacks import encode_global
from bot.core.context import Ctx
from bot.core.registry import ActionResult, Registry
from bot.core.replies import Button, Reply, say
from bot.reminders.kinds import DIGEST, format_off, kinds_for, parse_off
from bot.storage.repos import reminder_prefs

CODE = "N"
DAYS = range(7)


class ReminderSettings:
    def register(self, registry: Registry) -> None:
        registry.actions["show_reminder_settings"] = self.action
        registry.conditions["gets_reminders"] = lambda ctx, d: _gets_reminders(ctx.person.roles)
        registry.buttons[CODE] = self.button

    def action(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        return ActionResult(replies=(self.screen(ctx, edit=False),))

    def button(self, ctx: Ctx, arg: str) -> ActionResult:
        kinds = kinds_for(ctx.person.roles)
        what, _, value = arg.partition(".")
        session, user = ctx.services.session, ctx.services.user_id
        prefs = reminder_prefs.get(session, user)
        if what == "" and kinds:
            return ActionResult(replies=(self.screen(ctx, edit=True),))
        if what == "t" and value in kinds:
            off = parse_off(prefs.off) ^ {value}
            changed = reminder_prefs.Prefs(format_off(off), prefs.digest_day)
            reminder_prefs.save(session, user, changed)
            return ActionResult(replies=(self.screen(ctx, edit=True),))
        if what == "w" and DIGEST in kinds:
            return ActionResult(replies=(self.weekdays(prefs.digest_day),))
        if what == "d" and DIGEST in kinds and value.isdigit() and int(value) in DAYS:
            reminder_prefs.save(session, user, reminder_prefs.Prefs(prefs.off, int(value)))
            return ActionResult(replies=(self.screen(ctx, edit=True),))
        ctx.services.refuse("reminder.settings", "reminder_settings", None)
        return ActionResult(error=say("access.denied"))

    def screen(self, ctx: Ctx, *, edit: bool) -> Reply:
        kinds = kinds_for(ctx.person.roles)
        if not kinds:
            return Reply((say("remind_settings.none"),), edit=edit)
        prefs = reminder_prefs.get(ctx.services.session, ctx.services.user_id)
        off = parse_off(prefs.off)
        rows = [
            (
                Button(
                    say(
                        "remind_settings.off" if kind in off else "remind_settings.on",
                        kind=say(f"remind_settings.kind.{kind}"),
                    ),
                    encode_global(CODE, f"t.{kind}"),
                ),
            )
            for kind in kinds
        ]
        if DIGEST in kinds:
            day = say(f"weekday.{prefs.digest_day}")
            rows.append(
                (Button(say("remind_settings.digest_day", day=day), encode_global(CODE, "w")),)
            )
        return Reply((say("remind_settings.title"),), tuple(rows), edit=edit)

    def weekdays(self, chosen: int) -> Reply:
        rows = tuple(
            (
                Button(
                    say(
                        "remind_settings.chosen" if d == chosen else "remind_settings.choice",
                        day=say(f"weekday.{d}"),
                    ),
                    encode_global(CODE, f"d.{d}"),
                ),
            )
            for d in DAYS
        )
        return Reply((say("remind_settings.choose_day"),), rows, edit=True)


@cache
def _gets_reminders(roles: frozenset[str]) -> bool:
    """Asked on every menu shown; only a handful of role sets exist."""
    return bool(kinds_for(roles))
