"""Redemptions: what a bill reserved before it was recorded, and the bill holding a reserved reward.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "redemption",
        sa.Column("purchase_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("reward_id", sa.BigInteger(), nullable=True),
        sa.Column("points", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("points_value", sa.Numeric(14, 2), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'reserved'"), nullable=False),
        sa.Column("reserved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=False),
        sa.Column("settled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status in ('reserved', 'confirmed', 'released', 'cancelled')", name=op.f("ck_redemption_status_known")
        ),
        sa.CheckConstraint("points >= 0 AND points_value >= 0", name=op.f("ck_redemption_points_not_negative")),
        sa.CheckConstraint("reward_id IS NOT NULL OR points > 0", name=op.f("ck_redemption_something_reserved")),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_redemption")),
        schema="loyalty",
    )
    op.create_index(
        "ix_redemption_open_deadline",
        "redemption",
        ["deadline"],
        unique=False,
        schema="loyalty",
        postgresql_where=sa.text("status = 'reserved'"),
    )
    op.add_column("reward", sa.Column("reserved_purchase_id", sa.BigInteger(), nullable=True), schema="loyalty")


def downgrade() -> None:
    op.drop_column("reward", "reserved_purchase_id", schema="loyalty")
    op.drop_index("ix_redemption_open_deadline", table_name="redemption", schema="loyalty")
    op.drop_table("redemption", schema="loyalty")
