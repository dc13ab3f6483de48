"""What a bill redeemed (a reward's percent off one line, wallet points off the bill), and the fence a
bill with a reservation and the loyalty service's abandonment of it collide on.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ZERO = sa.text("0")


def upgrade() -> None:
    op.create_table(
        "purchase_fence",
        sa.Column("purchase_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("outcome in ('recorded', 'abandoned')", name=op.f("ck_purchase_fence_outcome_known")),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_purchase_fence")),
        schema="customer",
    )
    for column in [
        sa.Column("reward_product_id", sa.BigInteger(), nullable=True),
        sa.Column("reward_percent", sa.Integer(), nullable=True),
        sa.Column("local_reward_discount", sa.Numeric(14, 2), server_default=ZERO, nullable=False),
        sa.Column("points_spent", sa.Integer(), server_default=ZERO, nullable=False),
        sa.Column("points_value", sa.Numeric(14, 2), server_default=ZERO, nullable=False),
        sa.Column("local_points_discount", sa.Numeric(14, 2), server_default=ZERO, nullable=False),
    ]:
        op.add_column("purchase", column, schema="customer")


def downgrade() -> None:
    for name in [
        "local_points_discount",
        "points_value",
        "points_spent",
        "local_reward_discount",
        "reward_percent",
        "reward_product_id",
    ]:
        op.drop_column("purchase", name, schema="customer")
    op.drop_table("purchase_fence", schema="customer")
