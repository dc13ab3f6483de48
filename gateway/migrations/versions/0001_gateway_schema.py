"""gateway schema: staff users and refresh-token families (the store of revoked tokens)

Revision ID: 0001
Revises:
Create Date: 2026-11-30 04:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _timestamp(name: str, *, nullable: bool = False) -> sa.Column[object]:
    default = None if nullable else sa.text("now()")
    return sa.Column(name, sa.DateTime(timezone=True), server_default=default, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "staff_user",
        sa.Column("id", sa.BigInteger(), sa.Identity(), nullable=False),
        sa.Column("email", sa.Text(), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'::text[]"), nullable=False),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("password_hash", sa.Text(), nullable=False),
        _timestamp("tokens_valid_after", nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "roles <@ ARRAY['admin', 'manager', 'clerk', 'analyst']::text[]", name=op.f("ck_staff_user_roles_known")
        ),
        sa.CheckConstraint("length(email) BETWEEN 3 AND 320", name=op.f("ck_staff_user_email_length")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_user")),
        schema="gateway",
    )
    op.create_index("uq_staff_user_email", "staff_user", [sa.text("lower(email)")], unique=True, schema="gateway")
    op.create_table(
        "refresh_family",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.BigInteger(), nullable=False),
        _timestamp("created_at"),
        _timestamp("expires_at"),
        _timestamp("revoked_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["gateway.staff_user.id"], name=op.f("fk_refresh_family_user_id_staff_user")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_family")),
        schema="gateway",
    )
    op.create_index("ix_refresh_family_revoked_at", "refresh_family", ["revoked_at"], schema="gateway")
    op.create_table(
        "refresh_token",
        sa.Column("token_hash", sa.LargeBinary(), nullable=False),
        sa.Column("family_id", sa.Uuid(), nullable=False),
        _timestamp("created_at"),
        _timestamp("used_at", nullable=True),
        sa.ForeignKeyConstraint(
            ["family_id"], ["gateway.refresh_family.id"], name=op.f("fk_refresh_token_family_id_refresh_family")
        ),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_refresh_token")),
        schema="gateway",
    )
    op.create_index("ix_refresh_token_family_id", "refresh_token", ["family_id"], schema="gateway")


def downgrade() -> None:
    op.drop_table("refresh_token", schema="gateway")
    op.drop_table("refresh_family", schema="gateway")
    op.drop_table("staff_user", schema="gateway")
