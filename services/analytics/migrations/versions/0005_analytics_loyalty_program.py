"""analytics loyalty program

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 17:35:48.979536
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reward_fact",
        sa.Column("reward_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.SmallInteger(), nullable=False),
        sa.Column("percent", sa.SmallInteger(), nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("target_id", sa.BigInteger(), nullable=True),
        sa.Column("allocated_by", sa.Text(), nullable=True),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("allocated_day", sa.Date(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("redeemed_purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("redeemed_day", sa.Date(), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_day", sa.Date(), nullable=True),
        sa.CheckConstraint(
            "status in ('allocated', 'redeemed', 'voided', 'expired')", name=op.f("ck_reward_fact_status_known")
        ),
        sa.PrimaryKeyConstraint("reward_id", name=op.f("pk_reward_fact")),
        schema="analytics",
    )
    op.create_index("ix_reward_fact_allocated_day", "reward_fact", ["allocated_day"], unique=False, schema="analytics")
    op.create_index(
        "ix_reward_fact_redeemed",
        "reward_fact",
        ["customer_id", "redeemed_day"],
        unique=False,
        schema="analytics",
        postgresql_where=sa.text("status = 'redeemed'"),
    )
    op.create_index(
        "ix_reward_fact_redeemed_purchase",
        "reward_fact",
        ["redeemed_purchase_id"],
        unique=False,
        schema="analytics",
        postgresql_where=sa.text("status = 'redeemed'"),
    )
    op.create_table(
        "wallet_entry",
        sa.Column("entry_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("points", sa.BigInteger(), nullable=False),
        sa.Column("balance_after", sa.BigInteger(), nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("lot_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_wallet_entry")),
        schema="analytics",
    )
    op.create_index("ix_wallet_entry_day", "wallet_entry", ["day"], unique=False, schema="analytics")


def downgrade() -> None:
    op.drop_index("ix_wallet_entry_day", table_name="wallet_entry", schema="analytics")
    op.drop_table("wallet_entry", schema="analytics")
    op.drop_index(
        "ix_reward_fact_redeemed_purchase",
        table_name="reward_fact",
        schema="analytics",
        postgresql_where=sa.text("status = 'redeemed'"),
    )
    op.drop_index(
        "ix_reward_fact_redeemed",
        table_name="reward_fact",
        schema="analytics",
        postgresql_where=sa.text("status = 'redeemed'"),
    )
    op.drop_index("ix_reward_fact_allocated_day", table_name="reward_fact", schema="analytics")
    op.drop_table("reward_fact", schema="analytics")
