"""Plan cycle: encrypted plan content, status history, deliveries, parents' acknowledgments.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plan content becomes an encrypted document (text); old plain JSON is still read.
    with op.batch_alter_table("plans") as batch:
        batch.alter_column(
            "content",
            existing_type=sa.JSON(),
            type_=sa.Text(),
            postgresql_using="content::text",
        )
    op.create_table(
        "plan_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("move", sa.String(16), nullable=False),
        sa.Column("from_status", sa.String(20), nullable=False),
        sa.Column("to_status", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_events"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_events_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_plan_events_plan_id", "plan_events", ["plan_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("measure", sa.String(40), nullable=False),
        sa.Column("day", sa.String(10), nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("by_whom", sa.Text(), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deliveries"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_deliveries_plan_id_plans", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_deliveries_plan_id", "deliveries", ["plan_id"])
    op.create_table(
        "plan_acks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_plan_acks"),
        sa.UniqueConstraint("plan_id", "user_id", name="uq_plan_acks_plan_id"),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name="fk_plan_acks_plan_id_plans", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_plan_acks_user_id_users", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_plan_acks_plan_id", "plan_acks", ["plan_id"])


def downgrade() -> None:
    op.drop_index("ix_plan_acks_plan_id", table_name="plan_acks")
    op.drop_table("plan_acks")
    op.drop_index("ix_deliveries_plan_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_plan_events_plan_id", table_name="plan_events")
    op.drop_table("plan_events")
    with op.batch_alter_table("plans") as batch:
        batch.alter_column(
            "content",
            existing_type=sa.Text(),
            type_=sa.JSON(),
            postgresql_using="content::json",
        )
