"""gateway schema: one-use account links (staff invitations and password resets)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    default = None if nullable else sa.text("now()")
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "account_link",
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        sa.CheckConstraint("purpose IN ('invite', 'reset')", name=op.f("ck_account_link_purpose_known")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["gateway.staff_user.id"], name=op.f("fk_account_link_user_id_staff_user")
        ),
        sa.ForeignKeyConstraint(
            ["created_by"], ["gateway.staff_user.id"], name=op.f("fk_account_link_created_by_staff_user")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_account_link")),
        schema="gateway",
    )
    op.create_index("ix_account_link_user_id", "account_link", ["user_id"], schema="gateway")


def downgrade() -> None:
    op.drop_table("account_link", schema="gateway")
