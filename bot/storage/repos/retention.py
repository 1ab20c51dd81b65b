"""Retention: closed plans older than the retention period go, and so do stale invitations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.storage.models import Invitation, Plan

CLOSED = ("closed", "inactive")
STALE_INVITATIONS = dt.timedelta(days=30)  # kept a while after expiry to answer "expired"


@dataclass(frozen=True, slots=True)
class Purged:
    plans: int
    invitations: int


def purge(session: Session, now: dt.datetime, years: int) -> Purged:
    cutoff = now - dt.timedelta(days=round(365.25 * years))
    plans = session.execute(delete(Plan).where(Plan.status.in_(CLOSED), Plan.updated_at < cutoff))
    invites = session.execute(
        delete(Invitation).where(Invitation.expires_at < now - STALE_INVITATIONS)
    )
    return Purged(
        int(getattr(plans, "rowcount", 0) or 0), int(getattr(invites, "rowcount", 0) or 0)
    )
