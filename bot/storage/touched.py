"""Which plans a unit of work changed, noted at each flush, so their reminders can follow.

Anything that changes a plan's reminders — the plan itself, its status history, deliveries,
parents' acknowledgements, the school's leaders, a parent's link to the child — is noted here,
whoever changed it. A hook run before the commit (see `Database.before_commit`) reads the notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from bot.storage.models import Delivery, Membership, ParentLink, Plan, PlanAck, PlanEvent

LEADERS = ("head", "coordinator")
_KEY = "touched"


@dataclass(slots=True)
class Touched:
    plans: set[int] = field(default_factory=set)
    pupils: set[int] = field(default_factory=set)  # a parent link came or went
    schools: set[int] = field(default_factory=set)  # a head or coordinator came or went

    def __bool__(self) -> bool:
        return bool(self.plans or self.pupils or self.schools)


def take(session: Session) -> Touched:
    """The notes so far; the next flush starts new ones."""
    return session.info.pop(_KEY, None) or Touched()


@event.listens_for(Session, "after_flush")
def _note(session: Session, _context: Any) -> None:
    notes: Touched | None = None
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Plan):
            plan_id = obj.id
        elif isinstance(obj, Delivery | PlanAck | PlanEvent):
            plan_id = obj.plan_id
        elif isinstance(obj, ParentLink):
            notes = notes or session.info.setdefault(_KEY, Touched())
            notes.pupils.add(obj.pupil_id)
            continue
        elif isinstance(obj, Membership) and obj.role in LEADERS and obj.school_id is not None:
            notes = notes or session.info.setdefault(_KEY, Touched())
            notes.schools.add(obj.school_id)
            continue
        else:
            continue
        if plan_id is not None:
            notes = notes or session.info.setdefault(_KEY, Touched())
            notes.plans.add(plan_id)
