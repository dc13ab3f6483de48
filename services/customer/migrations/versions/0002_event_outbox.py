"""Event outbox of the customer service: the events it has yet to publish, and seq per aggregate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:23:13.568861
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("aggregate_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_outbox")),
        sa.UniqueConstraint("event_id", name=op.f("uq_event_outbox_event_id")),
        schema="customer",
    )
    op.create_index(
        "ix_event_outbox_unsent",
        "event_outbox",
        ["id"],
        unique=False,
        schema="customer",
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "event_sequence",
        sa.Column("aggregate_id", sa.Text(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("aggregate_id", name=op.f("pk_event_sequence")),
        schema="customer",
    )


def downgrade() -> None:
    op.drop_table("event_sequence", schema="customer")
    op.drop_index(
        "ix_event_outbox_unsent",
        table_name="event_outbox",
        schema="customer",
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.drop_table("event_outbox", schema="customer")
