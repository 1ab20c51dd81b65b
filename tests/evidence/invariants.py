"""Database invariants checked after every generated update.

- no plan without a school: each plan's school exists and is its pupil's school;
- no measure without a risk: once a plan has left the draft stage, each measure answers a risk
  the plan names (drafts may be mid-edit; submission refuses an orphan measure);
- versions only grow: a plan's version never goes back;
- an audit entry for every plan change: an update that creates, changes or deletes a plan
  writes an audit row naming that plan (or, for an erased pupil, naming the pupil).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.storage.models import AuditEntry, Plan, Pupil, School

DRAFTING = frozenset({"draft", "revision"})


@dataclass(frozen=True)
class PlanRow:
    version: int
    pupil_id: int
    status: str


@dataclass(frozen=True)
class Snapshot:
    plans: dict[int, PlanRow]
    audit_top: int
    problems: tuple[str, ...]


def snapshot(session: Session) -> Snapshot:
    plans = list(session.execute(select(Plan)).scalars())
    schools = set(session.execute(select(School.id)).scalars())
    pupils = {p: s for p, s in session.execute(select(Pupil.id, Pupil.school_id)).all()}
    problems: list[str] = []
    for plan in plans:
        if plan.school_id not in schools:
            problems.append(f"plan {plan.id} has no school")
        if pupils.get(plan.pupil_id) != plan.school_id:
            problems.append(f"plan {plan.id} is not at its pupil's school")
        if plan.status not in DRAFTING:
            problems += _orphan_measures(plan.id, plan.content or {})
    top = session.execute(select(func.max(AuditEntry.id))).scalar_one() or 0
    rows = {p.id: PlanRow(p.version, p.pupil_id, p.status) for p in plans}
    return Snapshot(rows, int(top), tuple(problems))


def _orphan_measures(plan_id: int, content: dict[str, Any]) -> list[str]:
    risks = {r.get("code") for r in content.get("risks") or []}
    return [
        f"plan {plan_id}: measure {m.get('code')} answers no chosen risk"
        for m in content.get("measures") or []
        if not set(m.get("answers") or []) & risks
    ]


Written = set[tuple[str, int | None]]


def after(session: Session, audit_top: int) -> tuple[Snapshot, Written]:
    """The state after an update and the audit rows it wrote, read in one transaction."""
    return snapshot(session), audited(session, audit_top)


def audited(session: Session, after_id: int) -> Written:
    """(object type, object id) of every audit row written after `after_id`."""
    query = select(AuditEntry.object_type, AuditEntry.object_id).where(AuditEntry.id > after_id)
    return {(t, i) for t, i in session.execute(query).all()}


def violations(before: Snapshot, after: Snapshot, written: Written) -> list[str]:
    """What one update broke, judged from the snapshots around it and the audit rows it wrote."""
    found = list(after.problems)
    for plan_id, row in after.plans.items():
        old = before.plans.get(plan_id)
        if old is not None and row.version < old.version:
            found.append(f"plan {plan_id} went back from version {old.version} to {row.version}")
        changed = old is None or row.version != old.version
        if changed and ("plan", plan_id) not in written:
            found.append(f"plan {plan_id} changed without an audit entry")
    for plan_id, old in before.plans.items():
        if (
            plan_id not in after.plans
            and not {("plan", plan_id), ("pupil", old.pupil_id)} & written
        ):
            found.append(f"plan {plan_id} vanished without an audit entry")
    return found
