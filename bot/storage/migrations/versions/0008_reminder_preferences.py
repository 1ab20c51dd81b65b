"""Reminder preferences (kinds turned off, digest weekday) and an index to find a plan's reminders.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("off", sa.String(200), nullable=False),
        sa.Column("digest_day", sa.Integer(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_reminder_preferences"),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name="fk_reminder_preferences_user_id_users",
            ondelete="CASCADE",
        ),
    )
    # Recomputing one plan's reminders reads its rows; without this it scans the table.
    op.create_index("ix_reminders_plan_id", "reminders", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_reminders_plan_id", table_name="reminders")
    op.drop_table("reminder_preferences")
