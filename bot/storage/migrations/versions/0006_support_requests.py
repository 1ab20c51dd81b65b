"""Support requests from parents who have no invitation yet.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "support_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("child_name", sa.Text(), nullable=False),
        sa.Column("child_class", sa.String(12), nullable=False),
        sa.Column("worry", sa.Text(), nullable=False),
        sa.Column("language", sa.String(2), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_support_requests"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_support_requests_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name="fk_support_requests_school_id_schools",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name="fk_support_requests_pupil_id_pupils",
            ondelete="SET NULL",
        ),
    )
    op.create_index("ix_support_requests_school_id", "support_requests", ["school_id"])


def downgrade() -> None:
    op.drop_index("ix_support_requests_school_id", table_name="support_requests")
    op.drop_table("support_requests")
