"""Purchases lose their own idempotency key: every write's key is kept by the kit, per caller.

A bill's key used to be global to the ledger, so a caller sending another caller's key received
the other caller's bill. Keys now live in ``idempotency_key``, scoped to the principal.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("uq_purchase_idempotency_key", table_name="purchase", schema="customer")
    op.drop_column("purchase", "idempotency_key", schema="customer")


def downgrade() -> None:
    op.add_column("purchase", sa.Column("idempotency_key", sa.String(), nullable=True), schema="customer")
    op.create_index("uq_purchase_idempotency_key", "purchase", ["idempotency_key"], unique=True, schema="customer")
