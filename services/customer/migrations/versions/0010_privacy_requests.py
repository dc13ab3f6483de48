"""Privacy requests: every export and erasure of a customer, the erasure doubling as the tombstone.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-30 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "privacy_request",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("requested_by", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column("outcome", sa.Text(), nullable=True),
        sa.Column("event_id", sa.Uuid(), nullable=True),
        sa.Column("document", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind in ('export', 'erasure')", name=op.f("ck_privacy_request_kind_known")),
        sa.CheckConstraint(
            "state in ('queued', 'running', 'done', 'failed')", name=op.f("ck_privacy_request_state_known")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_privacy_request")),
        schema="customer",
    )
    op.create_index(
        "ix_privacy_request_customer_id", "privacy_request", ["customer_id"], unique=False, schema="customer"
    )
    op.create_index(
        "uq_privacy_request_erasure",
        "privacy_request",
        ["customer_id"],
        unique=True,
        schema="customer",
        postgresql_where=sa.text("kind = 'erasure'"),
    )


def downgrade() -> None:
    op.drop_index("uq_privacy_request_erasure", table_name="privacy_request", schema="customer")
    op.drop_index("ix_privacy_request_customer_id", table_name="privacy_request", schema="customer")
    op.drop_table("privacy_request", schema="customer")
