"""gateway schema: customers erased everywhere, by id, so their access tokens still alive are refused

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 22:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "erased_customer",
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("erased_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("customer_id"),
        schema="gateway",
    )


def downgrade() -> None:
    op.drop_table("erased_customer", schema="gateway")
