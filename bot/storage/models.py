"""Tables. Later capabilities add theirs by migration; the schema changes only through Alembic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from bot.storage.crypto import EncryptedJSON, EncryptedText
from bot.storage.types import UTCDateTime, utcnow

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime(), dict[str, Any]: JSON()}


class User(Base):
    """Anyone who has written to the bot, in any channel."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    name: Mapped[str] = mapped_column(String(64), default="")
    language: Mapped[str | None] = mapped_column(String(2), default=None)
    reachable: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    erased_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class School(Base):
    __tablename__ = "schools"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    municipality: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20), default="general")  # general | vocational
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Membership(Base):
    """A role a user holds, usually at one school (an admin holds it at none)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "school_id", "role"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Pupil(Base):
    """A first name or pseudonym plus class; never a personal code."""

    __tablename__ = "pupils"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(64))
    class_name: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Plan(Base):
    """An individual support plan; `version` refuses changes made against an old copy."""

    __tablename__ = "plans"
    __table_args__ = (Index("ix_plans_school_status", "school_id", "status"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    semester: Mapped[str] = mapped_column(String(16))
    # Justifications, notes and the family's view: encrypted at rest as one document.
    content: Mapped[dict[str, Any]] = mapped_column(EncryptedJSON(), default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    __mapper_args__ = {"version_id_col": version}


class Conversation(Base):
    """The conversation cursor: where a user is in which dialog, with the answers so far."""

    __tablename__ = "conversations"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    chat_id: Mapped[int] = mapped_column(BigInteger)
    dialog: Mapped[str] = mapped_column(String(64), default="")
    step: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    serial: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class AuditEntry(Base):
    """Append-only record of who did what, when (database triggers refuse updates and deletes)."""

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(48))
    object_type: Mapped[str] = mapped_column(String(24), default="")
    object_id: Mapped[int | None] = mapped_column(Integer)
    school_id: Mapped[int | None] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")


class InboxUpdate(Base):
    """Every received Telegram update, committed before Telegram is told it arrived."""

    __tablename__ = "inbox"
    __table_args__ = (Index("ix_inbox_pending", "status", "update_id"),)

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    payload: Mapped[dict[str, Any]] = mapped_column()
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|done|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    processed_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    # Which process works on this row's chat, and until when (several processes, one database).
    lease_owner: Mapped[str | None] = mapped_column(String(40), default=None)
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)


class OutboxMessage(Base):
    """A Bot API call waiting to be sent; `sent_at` is set only after Telegram accepted it."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "state", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column()
    state: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    lease_owner: Mapped[str | None] = mapped_column(String(40), default=None)
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)


class SchoolQuestion(Base):
    """A question a person asked the school in chat, waiting for the coordinator."""

    __tablename__ = "school_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    school_hint: Mapped[str] = mapped_column(String(120), default="")
    text: Mapped[str] = mapped_column(EncryptedText())  # may hold family details
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default="new")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class QuestionLog(Base):
    """A question asked in chat and how search answered it; the asker only as a keyed hash."""

    __tablename__ = "question_log"
    __table_args__ = (Index("ix_question_log_band", "band", "created_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_hash: Mapped[str] = mapped_column(String(32))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    results: Mapped[dict[str, Any]] = mapped_column(default=dict)  # {"ids": [...], "scores": [...]}
    band: Mapped[str] = mapped_column(String(10))
    feedback: Mapped[str] = mapped_column(String(12), default="")  # up | down | none
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Invitation(Base):
    """A single-use, expiring invitation to a role at a school; only the token's hash is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    school_id: Mapped[int | None] = mapped_column(
        ForeignKey("schools.id", ondelete="CASCADE"), index=True
    )
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column()
    used_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    used_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ParentLink(Base):
    """A parent (or guardian) linked to their child."""

    __tablename__ = "parent_links"
    __table_args__ = (UniqueConstraint("user_id", "pupil_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupils.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class RedeemFailure(Base):
    """Failed invitation attempts per Telegram id, to slow down guessing."""

    __tablename__ = "redeem_failures"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    count: Mapped[int] = mapped_column(Integer, default=0)
    last_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanEvent(Base):
    """A plan's status history: who moved it, from what to what, with an optional comment."""

    __tablename__ = "plan_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    move: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str] = mapped_column(String(20), default="")
    to_status: Mapped[str] = mapped_column(String(20), default="")
    comment: Mapped[str] = mapped_column(EncryptedText(), default="")


class Delivery(Base):
    """One delivery of a measure: a consultation held or a compensation paid."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    measure: Mapped[str] = mapped_column(String(40))
    day: Mapped[str] = mapped_column(String(10))  # ISO date
    amount: Mapped[float] = mapped_column()
    by_whom: Mapped[str] = mapped_column(EncryptedText(), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class PlanAck(Base):
    """A parent acknowledged the plan (they have seen it)."""

    __tablename__ = "plan_acks"
    __table_args__ = (UniqueConstraint("plan_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class SupportRequest(Base):
    """A parent without an invitation asks their school for support for their child."""

    __tablename__ = "support_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    child_name: Mapped[str] = mapped_column(EncryptedText())
    child_class: Mapped[str] = mapped_column(String(12))
    worry: Mapped[str] = mapped_column(EncryptedText())
    language: Mapped[str] = mapped_column(String(2))
    status: Mapped[str] = mapped_column(String(12), default="new")  # new | answered | accepted
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupils.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Reminder(Base):
    """A reminder to one person. `key` (rule, person, plan, occurrence) makes each fire once."""

    __tablename__ = "reminders"
    __table_args__ = (Index("ix_reminders_due", "status", "due_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(160), unique=True)
    rule: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int | None] = mapped_column(
        ForeignKey("plans.id", ondelete="CASCADE"), index=True
    )
    due_at: Mapped[dt.datetime] = mapped_column()
    # pending | sent | done | cancelled (no longer applies) | off (the person turned the kind off)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    lease_until: Mapped[dt.datetime | None] = mapped_column(default=None)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(default=None)


class ReminderPreference(Base):
    """Which kinds of reminder a person turned off, and the weekday of their digest (0 = Monday)."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    off: Mapped[str] = mapped_column(String(200), default="")  # comma-separated kinds
    digest_day: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
