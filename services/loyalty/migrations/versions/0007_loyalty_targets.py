"""Monthly targets: target runs, their targets and achievements; a reward names either the bill that earned it
or the target whose achievement gave it (a gift, allocated by 'target').

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 12:25:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "target_run",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("origin", sa.Text(), nullable=False),
        sa.Column("level_run_id", sa.BigInteger(), nullable=False),
        sa.Column("levels", postgresql.ARRAY(sa.SmallInteger()), nullable=True),
        sa.Column("lower", sa.Numeric(14, 2), server_default=sa.text("0"), nullable=False),
        sa.Column("upper", sa.Numeric(14, 2), nullable=True),
        sa.Column("mode", sa.Text(), nullable=False),
        sa.Column("percent", sa.Numeric(7, 2), nullable=True),
        sa.Column("value", sa.Numeric(14, 2), nullable=True),
        sa.Column("gift_percent", sa.Integer(), nullable=True),
        sa.Column("gift_product_id", sa.BigInteger(), nullable=True),
        sa.Column("points", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("targets", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_by", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("extract(day from month) = 1", name=op.f("ck_target_run_month_first_day")),
        sa.CheckConstraint("origin in ('api', 'schedule')", name=op.f("ck_target_run_origin_known")),
        sa.CheckConstraint(
            "(mode = 'percent' AND percent >= 0 AND value IS NULL) OR (mode = 'value' AND value >= 0 AND percent IS NULL)",
            name=op.f("ck_target_run_mode_amount"),
        ),
        sa.CheckConstraint("upper IS NULL OR upper > lower", name=op.f("ck_target_run_band_order")),
        sa.CheckConstraint("(gift_percent IS NULL) = (gift_product_id IS NULL)", name=op.f("ck_target_run_gift_whole")),
        sa.CheckConstraint("gift_percent between 1 and 100", name=op.f("ck_target_run_gift_percent_range")),
        sa.CheckConstraint("points >= 0", name=op.f("ck_target_run_points_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_run")),
        schema="loyalty",
    )
    op.create_index("ix_target_run_month", "target_run", ["month", "id"], unique=False, schema="loyalty")
    op.create_index(
        "uq_target_run_scheduled_month",
        "target_run",
        ["month"],
        unique=True,
        schema="loyalty",
        postgresql_where=sa.text("origin = 'schedule'"),
    )
    op.create_table(
        "target",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=True),
        sa.Column("base_volume", sa.Numeric(14, 2), nullable=False),
        sa.Column("target", sa.Numeric(14, 2), nullable=False),
        sa.ForeignKeyConstraint(["run_id"], ["loyalty.target_run.id"], name=op.f("fk_target_run_id_target_run")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
        sa.UniqueConstraint("run_id", "customer_id", name=op.f("uq_target_run_id")),
        schema="loyalty",
    )
    op.create_index("ix_target_customer_month", "target", ["customer_id", "month"], unique=False, schema="loyalty")
    op.create_table(
        "target_achievement",
        sa.Column("target_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("run_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("target", sa.Numeric(14, 2), nullable=False),
        sa.Column("volume", sa.Numeric(14, 2), nullable=False),
        sa.Column("achieved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reward_id", sa.BigInteger(), nullable=True),
        sa.Column("points", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("wallet_entry_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["target_id"], ["loyalty.target.id"], name=op.f("fk_target_achievement_target_id_target")
        ),
        sa.PrimaryKeyConstraint("target_id", name=op.f("pk_target_achievement")),
        schema="loyalty",
    )
    op.create_index(
        "ix_target_achievement_run", "target_achievement", ["run_id", "target_id"], unique=False, schema="loyalty"
    )
    op.create_index(
        "ix_target_achievement_customer",
        "target_achievement",
        ["customer_id", "target_id"],
        unique=False,
        schema="loyalty",
    )
    # A gift is a reward without a bill: it names the target that gave it, and exactly one of the two.
    op.alter_column("reward", "purchase_id", existing_type=sa.BigInteger(), nullable=True, schema="loyalty")
    op.add_column("reward", sa.Column("target_id", sa.BigInteger(), nullable=True), schema="loyalty")
    op.create_unique_constraint(op.f("uq_reward_target_id"), "reward", ["target_id"], schema="loyalty")
    op.drop_constraint(op.f("ck_reward_allocated_by_known"), "reward", schema="loyalty", type_="check")
    op.create_check_constraint(
        op.f("ck_reward_allocated_by_known"), "reward", "allocated_by in ('call', 'event', 'target')", schema="loyalty"
    )
    op.create_check_constraint(
        op.f("ck_reward_earned_by_one"), "reward", "num_nonnulls(purchase_id, target_id) = 1", schema="loyalty"
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM loyalty.reward WHERE target_id IS NOT NULL"))
    op.drop_constraint(op.f("ck_reward_earned_by_one"), "reward", schema="loyalty", type_="check")
    op.drop_constraint(op.f("ck_reward_allocated_by_known"), "reward", schema="loyalty", type_="check")
    op.create_check_constraint(
        op.f("ck_reward_allocated_by_known"), "reward", "allocated_by in ('call', 'event')", schema="loyalty"
    )
    op.drop_constraint(op.f("uq_reward_target_id"), "reward", schema="loyalty", type_="unique")
    op.drop_column("reward", "target_id", schema="loyalty")
    op.alter_column("reward", "purchase_id", existing_type=sa.BigInteger(), nullable=False, schema="loyalty")
    op.drop_index("ix_target_achievement_customer", table_name="target_achievement", schema="loyalty")
    op.drop_index("ix_target_achievement_run", table_name="target_achievement", schema="loyalty")
    op.drop_table("target_achievement", schema="loyalty")
    op.drop_index("ix_target_customer_month", table_name="target", schema="loyalty")
    op.drop_table("target", schema="loyalty")
    op.drop_index(
        "uq_target_run_scheduled_month",
        table_name="target_run",
        schema="loyalty",
        postgresql_where=sa.text("origin = 'schedule'"),
    )
    op.drop_index("ix_target_run_month", table_name="target_run", schema="loyalty")
    op.drop_table("target_run", schema="loyalty")
