"""A coordinator's staff list: see who holds which role, deactivate someone who left."""

from __future__ import annotations

from typing import Any

from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Raw, say
from bot.domain.access import can_manage_staff
from bot.domain.roles import Role
from bot.storage.repos import schools


class Staff:
    def register(self, registry: Registry) -> None:
        registry.providers["staff_options"] = self.options
        registry.actions.update(
            {
                "load_member": self.load,
                "deactivate_member": self.deactivate,
                "hand_over_plans": self.hand_over,
            }
        )
        registry.providers["successor_options"] = self.successors
        registry.conditions["member_has_plans"] = self.has_plans
        registry.conditions["is_coordinator"] = lambda ctx, d: bool(_managed(ctx))

    def options(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        out = []
        for school_id in sorted(_managed(ctx)):
            for member, user in schools.staff(ctx.services.session, school_id):
                if member.user_id == ctx.services.user_id:
                    continue
                label = say(
                    "staff.member", name=Raw(user.name or "—"), role=say(f"role.{member.role}")
                )
                out.append(DynamicOption(f"m{member.id}", label))
        return out[:40]

    def _member(self, ctx: Ctx, data: dict[str, Any]) -> Any:
        text = str(data.get("member", ""))
        if not (text.startswith("m") and text[1:].isdigit()):
            return None
        member = schools.membership(ctx.services.session, int(text[1:]))
        if member is None or member.school_id is None:
            return None
        if not can_manage_staff(ctx.services.actor, member.school_id) or member.role == "parent":
            return None
        return member

    def load(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        member = self._member(ctx, data)
        if member is None:
            ctx.services.refuse("staff.view", "membership", None)
            return ActionResult(error=say("access.denied"))
        user_name = schools.user_name(ctx.services.session, member.user_id)
        return ActionResult(
            data={
                "member_name": user_name or "—",
                "member_role": {"text_key": f"role.{member.role}"},
            }
        )

    def has_plans(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        member = self._member(ctx, data)
        return member is not None and bool(_plans_of(ctx, member))

    def successors(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        member = self._member(ctx, data)
        if member is None:
            return []
        return [
            DynamicOption(f"u{user.id}", Raw(user.name or "—"))
            for m, user in schools.staff(ctx.services.session, member.school_id)
            if m.role in _successor_roles() and user.id != member.user_id
        ]

    def hand_over(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """The plans of someone who left go to a colleague; the history keeps who wrote what."""
        member = self._member(ctx, data)
        pick = str(data.get("successor", ""))
        allowed = {o.id for o in self.successors(ctx, data)}
        if member is None or pick not in allowed:
            ctx.services.refuse("staff.hand_over", "membership", None)
            return ActionResult(error=say("access.denied"), goto="end")
        moved = _plans_of(ctx, member)
        for plan in moved:
            plan.author_id = int(pick[1:])
            ctx.services.audit("plan.hand_over", "plan", plan.id, plan.school_id, to=int(pick[1:]))
        return ActionResult(note=say("staff.handed_over", count=len(moved)))

    def deactivate(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        member = self._member(ctx, data)
        if member is None:
            ctx.services.refuse("staff.deactivate", "membership", None)
            return ActionResult(error=say("access.denied"), goto="end")
        member.active = False
        ctx.services.audit(
            "role.revoked", "user", member.user_id, member.school_id, role=member.role
        )
        return ActionResult(note=say("staff.deactivated"))


def _managed(ctx: Ctx) -> frozenset[int]:
    managed: frozenset[int] = ctx.services.actor.schools(Role.COORDINATOR)
    return managed


def _plans_of(ctx: Ctx, member: Any) -> list[Any]:
    from sqlalchemy import select

    from bot.storage.models import Plan

    rows = ctx.services.session.execute(
        select(Plan).where(Plan.author_id == member.user_id, Plan.school_id == member.school_id)
    )
    return list(rows.scalars())


def _successor_roles() -> tuple[str, ...]:
    return (Role.TEACHER.value, Role.COORDINATOR.value)
