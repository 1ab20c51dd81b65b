"""Pupils: staff add them (a first name or pseudonym and a class, never a personal code), open a
pupil's card, invite a parent; a coordinator can erase a pupil with everything about them.
"""

from __future__ import annotations

import re
from typing import Any

from bot.app.invites import Invites
from bot.core.context import Ctx
from bot.core.registry import ActionResult, DynamicOption, Registry
from bot.core.replies import Raw, say
from bot.domain.access import PupilRef, can_add_pupil, can_erase_pupil, can_invite, can_see_pupil
from bot.domain.roles import Role
from bot.storage.models import Pupil
from bot.storage.repos import schools

# "7.b", "7b", "10.a", "12", "1.kurss": grade digits and an optional letter or word.
CLASS = re.compile(r"^\s*(\d{1,2})\s*[.\-]?\s*([^\W\d_]{0,8})\s*$")
PERSONAL_CODE = re.compile(r"\d{6}\s*-?\s*\d{5}")
LIST_LIMIT = 30


class Pupils:
    def __init__(self, invites: Invites) -> None:
        self.invites = invites

    def register(self, registry: Registry) -> None:
        registry.providers["pupil_options"] = self.options
        registry.actions.update(
            {
                "load_pupil": self.load,
                "add_pupil": self.add,
                "check_pupil_name": self.check_name,
                "erase_pupil": self.erase,
                "invite_parent": self.invite_parent,
                "load_children": self.children,
            }
        )
        registry.conditions.update(
            {
                "can_see_pupils": lambda ctx, d: bool(_staff_schools(ctx)),
                "can_add_pupils": lambda ctx, d: any(
                    can_add_pupil(ctx.services.actor, s) for s in _staff_schools(ctx)
                ),
                "can_invite_parent": self._can_invite_parent,
                "can_erase_pupil": self._can_erase,
                "is_parent": lambda ctx, d: bool(ctx.services.actor.children),
                "not_linked": lambda ctx, d: not ctx.services.actor.roles,
            }
        )

    def options(self, ctx: Ctx, data: dict[str, Any]) -> list[DynamicOption]:
        found = schools.pupils_of_schools(ctx.services.session, _staff_schools(ctx))
        return [
            DynamicOption(f"p{p.id}", Raw(f"{p.name}, {p.class_name}")) for p in found[:LIST_LIMIT]
        ]

    def _pupil(self, ctx: Ctx, data: dict[str, Any]) -> tuple[Pupil, PupilRef] | None:
        text = str(data.get("pupil", ""))
        if not (text.startswith("p") and text[1:].isdigit()):
            return None
        pupil = schools.pupil(ctx.services.session, int(text[1:]))
        if pupil is None:
            return None
        ref = PupilRef(
            pupil.id, pupil.school_id, schools.parents_of(ctx.services.session, pupil.id)
        )
        return pupil, ref

    def load(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        found = self._pupil(ctx, data)
        if found is None or not can_see_pupil(ctx.services.actor, found[1]):
            ctx.services.refuse("pupil.view", "pupil", found[0].id if found else None)
            return ActionResult(error=say("access.denied"))
        pupil, ref = found
        ctx.services.audit("pupil.view", "pupil", pupil.id, pupil.school_id)
        return ActionResult(
            data={
                "pupil_name": pupil.name,
                "pupil_class": pupil.class_name,
                "pupil_parents": str(len(ref.parents)),
            }
        )

    def check_name(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        """A first name or pseudonym: no digits, so no personal code can slip in."""
        name = str(data.get("new_name", ""))
        if PERSONAL_CODE.search(name) or any(ch.isdigit() for ch in name):
            data.pop("new_name", None)
            return ActionResult(error=say("pupils.no_codes"))
        return ActionResult()

    def add(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        name = " ".join(str(data.get("new_name", "")).split())
        match = CLASS.match(str(data.get("new_class", "")))
        if match is None or not 1 <= int(match[1]) <= 12:
            return ActionResult(error=say("pupils.bad_class"))
        grade, letter = int(match[1]), match[2].lower()
        allowed = [s for s in _staff_schools(ctx) if can_add_pupil(ctx.services.actor, s)]
        if not allowed:
            ctx.services.refuse("pupil.add", "school", None)
            return ActionResult(error=say("access.denied"), goto="end")
        class_name = f"{grade}.{letter}" if letter else str(grade)
        pupil = schools.add_pupil(
            ctx.services.session, min(allowed), name, class_name, ctx.services.user_id
        )
        ctx.services.audit("pupil.add", "pupil", pupil.id, pupil.school_id)
        data["pupil"] = f"p{pupil.id}"  # the plan wizard goes on with this pupil
        return ActionResult(note=say("pupils.added", name=Raw(name), pupil_class=Raw(class_name)))

    def erase(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        found = self._pupil(ctx, data)
        if found is None or not can_erase_pupil(ctx.services.actor, found[1]):
            ctx.services.refuse("pupil.erase", "pupil", found[0].id if found else None)
            return ActionResult(error=say("access.denied"), goto="end")
        pupil = found[0]
        ctx.services.audit("pupil.erase", "pupil", pupil.id, pupil.school_id)
        ctx.services.session.delete(pupil)  # plans, links and invitations go with it
        return ActionResult(note=say("pupils.erased"))

    def invite_parent(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        found = self._pupil(ctx, data)
        if found is None or not can_invite(ctx.services.actor, Role.PARENT, found[1].school_id):
            ctx.services.refuse("invite.parent", "pupil", found[0].id if found else None)
            return ActionResult(error=say("access.denied"), goto="end")
        pupil = found[0]
        return ActionResult(
            replies=(self.invites.issue(ctx, Role.PARENT, pupil.school_id, pupil.id),)
        )

    def children(self, ctx: Ctx, data: dict[str, Any]) -> ActionResult:
        kids = schools.children_of(ctx.services.session, ctx.services.user_id)
        lines = "\n".join(f"• {p.name}, {p.class_name}" for p in kids)
        return ActionResult(data={"children_text": lines})

    def _can_invite_parent(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        found = self._pupil(ctx, data)
        return found is not None and can_invite(ctx.services.actor, Role.PARENT, found[1].school_id)

    def _can_erase(self, ctx: Ctx, data: dict[str, Any]) -> bool:
        found = self._pupil(ctx, data)
        return found is not None and can_erase_pupil(ctx.services.actor, found[1])


def _staff_schools(ctx: Ctx) -> frozenset[int]:
    schools_: frozenset[int] = ctx.services.actor.schools(Role.COORDINATOR, Role.HEAD, Role.TEACHER)
    return schools_
