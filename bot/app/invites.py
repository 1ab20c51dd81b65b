"""Invitations: created by those allowed, redeemed with /start <token> in any channel."""

from __future__ import annotations

import datetime as dt
from typing import Any

from bot.app.identity import BotIdentity
from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Raw, Reply, Text, say
from bot.domain.access import can_invite
from bot.domain.roles import INVITES, Role, parse_role
from bot.storage.repos import invitations, schools
from bot.storage.repos.invitations import MAX_FAILURES, Redeemed

_ROLE_ORDER = tuple(Role)  # iterating the enum itself costs more, on every menu shown


class Invites:
    def __init__(self, identity: BotIdentity, ttl_days: int = 7) -> None:
        self.identity = identity
        self.ttl = dt.timedelta(days=ttl_days)

    def register(self, registry: Registry) -> None:
        registry.redeem = self.redeem
        registry.actions["create_staff_invite"] = self.create_staff_invite
        registry.providers["invitable_roles"] = self.invitable_roles
        registry.providers["my_invite_schools"] = self.invite_schools
        registry.conditions["single_invite_school"] = lambda ctx, d: len(_schools(ctx)) == 1
        registry.conditions["can_invite_staff"] = lambda ctx, d: bool(self._staff_roles(ctx))

    # --- creating ----------------------------------------------------------------------------
    def _staff_roles(self, ctx: Ctx) -> list[Role]:
        actor = ctx.services.actor
        held = [r for r, _ in actor.roles] + ([Role.ADMIN] if actor.admin else [])
        offered = {r for h in held for r in INVITES.get(h, frozenset()) if r != Role.PARENT}
        return [r for r in _ROLE_ORDER if r in offered]

    def invitable_roles(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        return [DynamicOption(r.value, say(f"role.{r.value}")) for r in self._staff_roles(ctx)]

    def invite_schools(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        names = schools.school_names(ctx.services.session, _schools(ctx))
        return [DynamicOption(f"s{sid}", Raw(name)) for sid, name in names]

    def create_staff_invite(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        role = parse_role(str(data.get("role", "")))
        choices = _schools(ctx)
        school_id = _school_choice(data.get("school")) if len(choices) != 1 else min(choices)
        if role is None or school_id is None or not can_invite(ctx.services.actor, role, school_id):
            ctx.services.refuse("invite", "school", school_id)
            return ActionResult(error=say("access.denied"), goto="end")
        return ActionResult(replies=(self.issue(ctx, role, school_id, None),))

    def issue(self, ctx: Ctx, role: Role, school_id: int, pupil_id: int | None) -> Reply:
        """Create the invitation and the message that carries it (not forwardable)."""
        token = invitations.create(
            ctx.services.session, role.value, school_id, pupil_id, ctx.services.user_id, self.ttl
        )
        ctx.services.audit(
            "invitation.create", "school", school_id, school_id, role=role.value, pupil=pupil_id
        )
        school = schools.get_school(ctx.services.session, school_id)
        until = (ctx.now + self.ttl).astimezone(dt.UTC).date()
        text = say(
            "invite.created",
            role=say(f"role.{role.value}"),
            school=Raw(school.name if school else ""),
            link=Raw(self.identity.link(token)),
            token=Raw(token),
            until=until,
        )
        return Reply((text,), protect=True)

    # --- redeeming ---------------------------------------------------------------------------
    def redeem(self, ctx: Ctx, token: str) -> ActionResult:
        services = ctx.services
        services.flags.add("delete_trigger")  # the /start <token> message leaves the chat
        if invitations.failures(services.session, services.telegram_id) >= MAX_FAILURES:
            return ActionResult(error=say("invite.slow_down"), goto="end")
        outcome = invitations.redeem(services.session, token[:100], services.user_id)
        if isinstance(outcome, str):
            invitations.note_failure(services.session, services.telegram_id)
            services.audit("invitation.failed", reason=outcome)
            return ActionResult(error=say(f"invite.{outcome}"), goto="end")
        return self._grant(ctx, outcome)

    def _grant(self, ctx: Ctx, grant: Redeemed) -> ActionResult:
        services = ctx.services
        schools.add_membership(services.session, services.user_id, grant.school_id, grant.role)
        if grant.pupil_id is not None:
            schools.link_parent(services.session, services.user_id, grant.pupil_id)
        services.audit(
            "role.granted",
            "school",
            grant.school_id,
            grant.school_id,
            role=grant.role,
            pupil=grant.pupil_id,
        )
        # The menu of this turn must already show the new role.
        role = parse_role(grant.role) or Role.GUEST
        ctx.person = ctx.person.with_role(role.value, grant.school_id)
        services.actor = services.actor.with_role(role, grant.school_id, grant.pupil_id)
        school = schools.get_school(services.session, grant.school_id) if grant.school_id else None
        note = say(
            "invite.welcome",
            role=say(f"role.{grant.role}"),
            school=Raw(school.name if school else ""),
        )
        return ActionResult(note=note, goto="end")


def _schools(ctx: Ctx) -> frozenset[int]:
    actor = ctx.services.actor
    if actor.admin:
        return frozenset(sid for sid, _ in schools.school_names(ctx.services.session, None))
    coordinated: frozenset[int] = actor.schools(Role.COORDINATOR)
    return coordinated


def _school_choice(value: object) -> int | None:
    text = str(value or "")
    return int(text[1:]) if text.startswith("s") and text[1:].isdigit() else None


__all__ = ["Invites", "Text"]
