"""The wallet: its append-only ledger of points, one locked row per customer, and the bills refused a spend.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 11:58:02.114513
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
        "wallet",
        sa.Column("customer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("balance", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("next_expiry", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("balance >= 0", name=op.f("ck_wallet_balance_not_negative")),
        sa.PrimaryKeyConstraint("customer_id", name=op.f("pk_wallet")),
        schema="loyalty",
    )
    op.create_index(
        "ix_wallet_next_expiry",
        "wallet",
        ["next_expiry"],
        unique=False,
        schema="loyalty",
        postgresql_where=sa.text("next_expiry IS NOT NULL"),
    )
    op.create_table(
        "wallet_entry",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("lot_id", sa.BigInteger(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind in ('earn', 'spend', 'expire', 'adjust', 'refund')", name=op.f("ck_wallet_entry_kind_known")
        ),
        sa.CheckConstraint(
            "points <> 0 AND (kind = 'adjust' OR (points > 0) = (kind in ('earn', 'refund')))",
            name=op.f("ck_wallet_entry_points_signed"),
        ),
        sa.CheckConstraint("(points > 0) = (expires_at IS NOT NULL)", name=op.f("ck_wallet_entry_lot_expires")),
        sa.CheckConstraint(
            "kind not in ('spend', 'refund') OR purchase_id IS NOT NULL", name=op.f("ck_wallet_entry_purchase_named")
        ),
        sa.CheckConstraint(
            "kind not in ('expire', 'refund') OR lot_id IS NOT NULL", name=op.f("ck_wallet_entry_lot_named")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wallet_entry")),
        schema="loyalty",
    )
    op.create_index("ix_wallet_entry_customer", "wallet_entry", ["customer_id", "id"], unique=False, schema="loyalty")
    op.create_index(
        "uq_wallet_entry_spend",
        "wallet_entry",
        ["purchase_id"],
        unique=True,
        schema="loyalty",
        postgresql_where=sa.text("kind = 'spend'"),
    )
    op.create_index(
        "uq_wallet_entry_refund",
        "wallet_entry",
        ["purchase_id", "lot_id"],
        unique=True,
        schema="loyalty",
        postgresql_where=sa.text("kind = 'refund'"),
    )
    op.create_index(
        "uq_wallet_entry_earn",
        "wallet_entry",
        ["source"],
        unique=True,
        schema="loyalty",
        postgresql_where=sa.text("kind = 'earn'"),
    )
    op.create_table(
        "wallet_refusal",
        sa.Column("purchase_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refused_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_wallet_refusal")),
        schema="loyalty",
    )


def downgrade() -> None:
    op.drop_table("wallet_refusal", schema="loyalty")
    op.drop_index(
        "uq_wallet_entry_earn", table_name="wallet_entry", schema="loyalty", postgresql_where=sa.text("kind = 'earn'")
    )
    op.drop_index(
        "uq_wallet_entry_refund",
        table_name="wallet_entry",
        schema="loyalty",
        postgresql_where=sa.text("kind = 'refund'"),
    )
    op.drop_index(
        "uq_wallet_entry_spend", table_name="wallet_entry", schema="loyalty", postgresql_where=sa.text("kind = 'spend'")
    )
    op.drop_index("ix_wallet_entry_customer", table_name="wallet_entry", schema="loyalty")
    op.drop_table("wallet_entry", schema="loyalty")
    op.drop_index(
        "ix_wallet_next_expiry",
        table_name="wallet",
        schema="loyalty",
        postgresql_where=sa.text("next_expiry IS NOT NULL"),
    )
    op.drop_table("wallet", schema="loyalty")
