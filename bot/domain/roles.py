"""The roles people hold, and who may invite whom."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    MUNICIPAL_COORDINATOR = "municipal_coordinator"
    COORDINATOR = "coordinator"  # the school's coordinator
    HEAD = "head"
    TEACHER = "teacher"  # class teacher, plan preparer
    SPECIALIST = "specialist"  # psychologist, social pedagogue, speech therapist...
    PARENT = "parent"
    GUEST = "guest"  # anyone who writes to the bot


STAFF = frozenset({Role.COORDINATOR, Role.HEAD, Role.TEACHER, Role.SPECIALIST})
SCHOOL_LEADERS = frozenset({Role.COORDINATOR, Role.HEAD})

# Who may invite whom (design: admin → coordinators; coordinator → head, teachers, specialists;
# teacher → parents of their pupils). Coordinators may also invite parents.
INVITES: dict[Role, frozenset[Role]] = {
    Role.ADMIN: frozenset({Role.COORDINATOR, Role.MUNICIPAL_COORDINATOR}),
    Role.COORDINATOR: frozenset({Role.HEAD, Role.TEACHER, Role.SPECIALIST, Role.PARENT}),
    Role.TEACHER: frozenset({Role.PARENT}),
}


def parse_role(text: str) -> Role | None:
    try:
        return Role(text.strip().lower().replace("-", "_"))
    except ValueError:
        return None
