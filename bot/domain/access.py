"""The one access policy. Every read and write asks it, button presses included: ids that arrive
from a client are never trusted, only what this policy allows for the acting person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.domain.roles import INVITES, SCHOOL_LEADERS, Role


@dataclass(frozen=True, slots=True)
class Actor:
    """The acting person: their roles per school and the pupils they are a parent of."""

    user_id: int
    roles: frozenset[tuple[Role, int | None]] = frozenset()
    children: frozenset[int] = frozenset()  # pupil ids linked as their child
    admin: bool = False

    def with_role(self, role: Role, school_id: int | None, child: int | None = None) -> Actor:
        children = self.children | ({child} if child is not None else set())
        admin = self.admin or role == Role.ADMIN
        return Actor(self.user_id, self.roles | {(role, school_id)}, frozenset(children), admin)

    def has(self, role: Role, school_id: int | None = None) -> bool:
        if role == Role.ADMIN and self.admin:
            return True
        return any(r == role and (school_id is None or s == school_id) for r, s in self.roles)

    def schools(self, *roles: Role) -> frozenset[int]:
        return frozenset(s for r, s in self.roles if s is not None and (not roles or r in roles))

    @property
    def role_names(self) -> frozenset[str]:
        names = {r.value for r, _ in self.roles} | ({Role.ADMIN.value} if self.admin else set())
        return frozenset(names) or frozenset({Role.GUEST.value})


@dataclass(frozen=True, slots=True)
class PupilRef:
    id: int
    school_id: int
    parents: frozenset[int] = field(default_factory=frozenset)


def can_invite(actor: Actor, role: Role, school_id: int | None) -> bool:
    """Admin → coordinators anywhere; coordinator → staff and parents of their school;
    teacher → parents of pupils of their school."""
    if actor.admin and role in INVITES[Role.ADMIN]:
        return True
    for held, school in actor.roles:
        if role in INVITES.get(held, frozenset()) and school is not None and school == school_id:
            return True
    return False


def can_see_pupil(actor: Actor, pupil: PupilRef) -> bool:
    """The school's coordinator, head and teachers; the child's own parents."""
    if pupil.id in actor.children:
        return True
    return any(actor.has(r, pupil.school_id) for r in (Role.COORDINATOR, Role.HEAD, Role.TEACHER))


def can_add_pupil(actor: Actor, school_id: int) -> bool:
    return any(actor.has(r, school_id) for r in (Role.COORDINATOR, Role.TEACHER))


def can_erase_pupil(actor: Actor, pupil: PupilRef) -> bool:
    return actor.has(Role.COORDINATOR, pupil.school_id)


def can_manage_staff(actor: Actor, school_id: int) -> bool:
    return actor.has(Role.COORDINATOR, school_id) or actor.admin


def can_read_school_log(actor: Actor, school_id: int) -> bool:
    return any(actor.has(r, school_id) for r in SCHOOL_LEADERS) or actor.admin


@dataclass(frozen=True, slots=True)
class PlanRef:
    id: int
    school_id: int
    author_id: int | None
    pupil_id: int
    parents: frozenset[int] = field(default_factory=frozenset)


def can_view_plan(actor: Actor, plan: PlanRef) -> bool:
    """Its author, the school's coordinator and head, specialists of the school (they deliver its
    measures), and the child's linked parents (who see a plain view)."""
    if plan.author_id == actor.user_id or plan.pupil_id in actor.children:
        return True
    viewers = (Role.COORDINATOR, Role.HEAD, Role.SPECIALIST, Role.MUNICIPAL_COORDINATOR)
    return any(actor.has(r, plan.school_id) for r in viewers)


def is_parent_of(actor: Actor, plan: PlanRef) -> bool:
    return plan.pupil_id in actor.children


def can_edit_plan(actor: Actor, plan: PlanRef) -> bool:
    return plan.author_id == actor.user_id or actor.has(Role.COORDINATOR, plan.school_id)


def can_approve_plan(actor: Actor, plan: PlanRef, stage: str = "school") -> bool:
    """Stage "school": the head or coordinator; stage "municipality": the municipal coordinator
    (a school can add that step to its approval chain)."""
    if stage == "municipality":
        return actor.has(Role.MUNICIPAL_COORDINATOR, plan.school_id)
    return any(actor.has(r, plan.school_id) for r in SCHOOL_LEADERS)


def can_log_delivery(actor: Actor, plan: PlanRef) -> bool:
    return can_edit_plan(actor, plan) or actor.has(Role.SPECIALIST, plan.school_id)


def can_plan_for(actor: Actor, school_id: int) -> bool:
    return any(actor.has(r, school_id) for r in (Role.TEACHER, Role.COORDINATOR))
