"""What the engine knows about the person and the moment, and the cursor it moves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class Cursor:
    """Where a user is: dialog, step, answers so far, and the serial that dates their buttons."""

    dialog: str = ""
    step: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    serial: int = 0

    @property
    def idle(self) -> bool:
        return not self.dialog

    def trail(self) -> list[str]:
        trail = self.data.setdefault("_trail", [])
        assert isinstance(trail, list)
        return trail


@dataclass(frozen=True, slots=True)
class Person:
    """The user as the core sees them: no transport objects, no database rows."""

    id: int
    name: str
    roles: frozenset[str] = frozenset({"guest"})
    school_ids: frozenset[int] = frozenset()
    is_new: bool = False

    def with_role(self, role: str, school_id: int | None) -> Person:
        """The same person after being granted a role (an invitation redeemed this turn)."""
        roles = (self.roles - {"guest"}) | {role}
        schools = self.school_ids | ({school_id} if school_id is not None else set())
        return Person(self.id, self.name, frozenset(roles), frozenset(schools), self.is_new)


@dataclass(slots=True)
class Ctx:
    """Per-update context: the person, their language (actions may change it), time, services."""

    person: Person
    language: str
    now: dt.datetime
    today: dt.date
    services: Any = None
    language_code: str | None = None

    def has_role(self, *roles: str) -> bool:
        return bool(self.person.roles.intersection(roles))
