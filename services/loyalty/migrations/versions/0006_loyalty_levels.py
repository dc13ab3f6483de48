"""Monthly levels and budget allocation: level runs and customer levels, budget runs with their levels and shares, and when each customer was created.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 12:17:40.934721
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "level_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("program_version", sa.Integer(), nullable=False),
        sa.Column("thresholds", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_level_run")),
        schema="loyalty",
    )
    op.create_index("ix_level_run_month", "level_run", ["month", "id"], unique=False, schema="loyalty")
    op.create_table(
        "budget_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("band", sa.SmallInteger(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("level0_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("levels", postgresql.ARRAY(sa.SmallInteger()), nullable=False),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("store_id", sa.BigInteger(), nullable=True),
        sa.Column("level_run_id", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unspent", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("level0_allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("level0_unspent", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("allocated + unspent = amount", name=op.f("ck_budget_run_amount_accounted")),
        sa.CheckConstraint("band BETWEEN 1 AND 4", name=op.f("ck_budget_run_band_known")),
        sa.CheckConstraint(
            "level0_allocated + level0_unspent = level0_amount", name=op.f("ck_budget_run_level0_amount_accounted")
        ),
        sa.ForeignKeyConstraint(
            ["level_run_id"], ["loyalty.level_run.id"], name=op.f("fk_budget_run_level_run_id_level_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_budget_run")),
        schema="loyalty",
    )
    op.create_index("ix_budget_run_month", "budget_run", ["month", "id"], unique=False, schema="loyalty")
    op.create_table(
        "customer_level",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("volume", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("orders", sa.Integer(), nullable=True),
        sa.Column("brands", sa.Integer(), nullable=True),
        sa.Column("own_brand_volume", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("self_orders", sa.Integer(), nullable=True),
        sa.Column("assisted_orders", sa.Integer(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("home_store_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["run_id"], ["loyalty.level_run.id"], name=op.f("fk_customer_level_run_id_level_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "customer_id", name=op.f("pk_customer_level")),
        schema="loyalty",
    )
    op.create_index(
        "ix_customer_level_run_level",
        "customer_level",
        ["run_id", "level", "customer_id"],
        unique=False,
        schema="loyalty",
    )
    op.create_table(
        "budget_level",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("level", sa.SmallInteger(), autoincrement=False, nullable=False),
        sa.Column("selected", sa.Boolean(), nullable=False),
        sa.Column("volume", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("customers", sa.Integer(), nullable=False),
        sa.Column("share", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("promotion_customers", sa.Integer(), nullable=False),
        sa.Column("consistent_customers", sa.Integer(), nullable=False),
        sa.Column("retention_customers", sa.Integer(), nullable=False),
        sa.Column("promotion_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("retention_amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("allocated", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unspent", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint("allocated + unspent = share", name=op.f("ck_budget_level_share_accounted")),
        sa.ForeignKeyConstraint(
            ["run_id"], ["loyalty.budget_run.id"], name=op.f("fk_budget_level_run_id_budget_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("run_id", "level", name=op.f("pk_budget_level")),
        schema="loyalty",
    )
    op.create_table(
        "budget_share",
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("group", sa.Text(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint(
            "\"group\" in ('promotion', 'retention', 'level0')", name=op.f("ck_budget_share_group_known")
        ),
        sa.PrimaryKeyConstraint("run_id", "customer_id", name=op.f("pk_budget_share")),
        schema="loyalty",
    )
    op.add_column("customer", sa.Column("created_at", sa.DateTime(timezone=True), nullable=True), schema="loyalty")


def downgrade() -> None:
    op.drop_column("customer", "created_at", schema="loyalty")
    op.drop_table("budget_share", schema="loyalty")
    op.drop_table("budget_level", schema="loyalty")
    op.drop_index("ix_customer_level_run_level", table_name="customer_level", schema="loyalty")
    op.drop_table("customer_level", schema="loyalty")
    op.drop_index("ix_budget_run_month", table_name="budget_run", schema="loyalty")
    op.drop_table("budget_run", schema="loyalty")
    op.drop_index("ix_level_run_month", table_name="level_run", schema="loyalty")
    op.drop_table("level_run", schema="loyalty")
