"""gateway schema: customers' credentials, their sign-ins beside staff ones, and their invitations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    default = None if nullable else sa.text("now()")
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "customer_account",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=True),
        sa.Column("username", sa.Text(), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        sa.Column("state", sa.Text(), server_default=sa.text("'pending'"), nullable=False),
        _timestamp("tokens_valid_after", nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint("state IN ('pending', 'active')", name="state_known"),
        sa.CheckConstraint("state = 'pending' OR customer_id IS NOT NULL", name="active_has_customer"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("customer_id", name="uq_customer_account_customer_id"),
        schema="gateway",
    )
    op.create_index(
        "uq_customer_account_username",
        "customer_account",
        [sa.text("lower(username)")],
        unique=True,
        schema="gateway",
    )
    op.add_column(
        "refresh_family",
        sa.Column("customer_account_id", sa.BigInteger(), nullable=True),
        schema="gateway",
    )
    op.alter_column("refresh_family", "user_id", nullable=True, schema="gateway")
    op.create_foreign_key(
        "refresh_family_customer_account_id_fkey",
        "refresh_family",
        "customer_account",
        ["customer_account_id"],
        ["id"],
        source_schema="gateway",
        referent_schema="gateway",
        ondelete="CASCADE",
    )
    op.create_check_constraint(
        "one_holder",
        "refresh_family",
        "(user_id IS NULL) <> (customer_account_id IS NULL)",
        schema="gateway",
    )
    op.create_index(
        "ix_refresh_family_customer_account_id", "refresh_family", ["customer_account_id"], schema="gateway"
    )
    op.create_table(
        "customer_invitation",
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("created_by", sa.BigInteger(), nullable=True),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("used_at", nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["gateway.staff_user.id"]),
        sa.PrimaryKeyConstraint("token_hash"),
        schema="gateway",
    )
    op.create_index("ix_customer_invitation_customer_id", "customer_invitation", ["customer_id"], schema="gateway")


def downgrade() -> None:
    op.drop_index("ix_customer_invitation_customer_id", table_name="customer_invitation", schema="gateway")
    op.drop_table("customer_invitation", schema="gateway")
    op.drop_index("ix_refresh_family_customer_account_id", table_name="refresh_family", schema="gateway")
    op.drop_constraint("one_holder", "refresh_family", schema="gateway", type_="check")
    op.drop_constraint(
        "refresh_family_customer_account_id_fkey", "refresh_family", schema="gateway", type_="foreignkey"
    )
    op.execute(
        "DELETE FROM gateway.refresh_token WHERE family_id IN"
        " (SELECT id FROM gateway.refresh_family WHERE user_id IS NULL)"
    )
    op.execute("DELETE FROM gateway.refresh_family WHERE user_id IS NULL")
    op.alter_column("refresh_family", "user_id", nullable=False, schema="gateway")
    op.drop_column("refresh_family", "customer_account_id", schema="gateway")
    op.drop_index("uq_customer_account_username", table_name="customer_account", schema="gateway")
    op.drop_table("customer_account", schema="gateway")
