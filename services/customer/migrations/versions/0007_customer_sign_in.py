"""Customers who sign in: the gateway marks them, and their username then changes only through it.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "customer",
        sa.Column("has_sign_in", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        schema="customer",
    )
    # Registration asks whether an email is already a customer's.
    op.create_index("ix_customer_email", "customer", ["email"], schema="customer")


def downgrade() -> None:
    op.drop_index("ix_customer_email", table_name="customer", schema="customer")
    op.drop_column("customer", "has_sign_in", schema="customer")
