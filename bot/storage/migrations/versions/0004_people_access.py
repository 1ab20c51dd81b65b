"""People and access: invitations, parents linked to children, slowed-down guessing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from bot.storage.types import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "invitations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("pupil_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("expires_at", UTCDateTime(), nullable=False),
        sa.Column("used_at", UTCDateTime(), nullable=True),
        sa.Column("used_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_invitations"),
        sa.UniqueConstraint("token_hash", name="uq_invitations_token_hash"),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name="fk_invitations_school_id_schools",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"], ["pupils.id"], name="fk_invitations_pupil_id_pupils", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by"],
            ["users.id"],
            name="fk_invitations_created_by_users",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["used_by"], ["users.id"], name="fk_invitations_used_by_users", ondelete="SET NULL"
        ),
    )
    op.create_index("ix_invitations_school_id", "invitations", ["school_id"])
    op.create_table(
        "parent_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("pupil_id", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_parent_links"),
        sa.UniqueConstraint("user_id", "pupil_id", name="uq_parent_links_user_id"),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_parent_links_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["pupil_id"],
            ["pupils.id"],
            name="fk_parent_links_pupil_id_pupils",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_parent_links_user_id", "parent_links", ["user_id"])
    op.create_index("ix_parent_links_pupil_id", "parent_links", ["pupil_id"])
    op.create_table(
        "redeem_failures",
        sa.Column("telegram_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("last_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("telegram_id", name="pk_redeem_failures"),
    )
    with op.batch_alter_table("pupils") as batch:
        batch.add_column(sa.Column("created_by", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("pupils") as batch:
        batch.drop_column("created_by")
    op.drop_table("redeem_failures")
    op.drop_index("ix_parent_links_pupil_id", table_name="parent_links")
    op.drop_index("ix_parent_links_user_id", table_name="parent_links")
    op.drop_table("parent_links")
    op.drop_index("ix_invitations_school_id", table_name="invitations")
    op.drop_table("invitations")
