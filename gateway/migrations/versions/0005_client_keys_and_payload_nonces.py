"""gateway schema: client keys of encrypted payloads (wrapped), and the nonces seen within the time window

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-30 07:30:00
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
        "client_key",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("kid", sa.Text(), nullable=False),
        sa.Column("client", sa.Text(), nullable=False),
        sa.Column("scheme", sa.Text(), nullable=False),
        sa.Column("wrapped_secret", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("length(client) BETWEEN 1 AND 200", name="client_length"),
        sa.CheckConstraint("scheme IN ('gcm', 'legacy')", name="known_scheme"),
        sa.ForeignKeyConstraint(["created_by"], ["gateway.staff_user.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("kid"),
        schema="gateway",
    )
    op.create_index(
        "ix_client_key_active_client",
        "client_key",
        ["client"],
        schema="gateway",
        postgresql_where=sa.text("retired_at IS NULL"),
    )
    op.create_table(
        "payload_nonce",
        sa.Column("kid", sa.Text(), nullable=False),
        sa.Column("nonce", sa.LargeBinary(), nullable=False),
        sa.Column("ts", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("kid", "nonce"),
        schema="gateway",
    )
    op.create_index("ix_payload_nonce_ts", "payload_nonce", ["ts"], schema="gateway")


def downgrade() -> None:
    op.drop_table("payload_nonce", schema="gateway")
    op.drop_table("client_key", schema="gateway")
