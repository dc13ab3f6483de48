"""analytics clv

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 15:55:00.000000
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
        "clv_fit",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("calibration_end", sa.Date(), nullable=False),
        sa.Column("unit_days", sa.Integer(), nullable=False),
        sa.Column("customers", sa.BigInteger(), nullable=False),
        sa.Column("repeat_customers", sa.BigInteger(), nullable=False),
        sa.Column("r", sa.Double(), nullable=False),
        sa.Column("alpha", sa.Double(), nullable=False),
        sa.Column("a", sa.Double(), nullable=False),
        sa.Column("b", sa.Double(), nullable=False),
        sa.Column("bgnbd_log_likelihood", sa.Double(), nullable=False),
        sa.Column("bgnbd_converged", sa.Boolean(), nullable=False),
        sa.Column("p", sa.Double(), nullable=False),
        sa.Column("q", sa.Double(), nullable=False),
        sa.Column("gamma", sa.Double(), nullable=False),
        sa.Column("gamma_gamma_log_likelihood", sa.Double(), nullable=False),
        sa.Column("gamma_gamma_converged", sa.Boolean(), nullable=False),
        sa.CheckConstraint("unit_days >= 1", name=op.f("ck_clv_fit_unit_days_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clv_fit")),
        schema="analytics",
    )
    op.create_index("ix_clv_fit_created", "clv_fit", ["created_at", "id"], unique=False, schema="analytics")


def downgrade() -> None:
    op.drop_index("ix_clv_fit_created", table_name="clv_fit", schema="analytics")
    op.drop_table("clv_fit", schema="analytics")
