"""The customers each import named, and the rows of a customers file it merged into one customer by key.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 22:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "customer_merge",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("import_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("matched_on", sa.String(length=32), nullable=False),
        sa.Column("kept", sa.String(length=16), nullable=False),
        sa.Column("merged_rows", postgresql.ARRAY(sa.BigInteger()), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("kept in ('created', 'existing')", name=op.f("ck_customer_merge_kept_known")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.customer.id"], name=op.f("fk_customer_merge_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["customer.import_job.id"],
            name=op.f("fk_customer_merge_import_id_import_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer_merge")),
        schema="customer",
    )
    op.create_index("ix_customer_merge_customer_id", "customer_merge", ["customer_id"], unique=False, schema="customer")
    op.create_table(
        "import_customer",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("import_id", sa.BigInteger(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("role", sa.String(length=32), nullable=False),
        sa.Column("rows", sa.BigInteger(), nullable=False),
        sa.Column("first_row", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.customer.id"], name=op.f("fk_import_customer_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["customer.import_job.id"],
            name=op.f("fk_import_customer_import_id_import_job"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_customer")),
        schema="customer",
    )
    op.create_index(
        "ix_import_customer_customer_id", "import_customer", ["customer_id"], unique=False, schema="customer"
    )


def downgrade() -> None:
    op.drop_index("ix_import_customer_customer_id", table_name="import_customer", schema="customer")
    op.drop_table("import_customer", schema="customer")
    op.drop_index("ix_customer_merge_customer_id", table_name="customer_merge", schema="customer")
    op.drop_table("customer_merge", schema="customer")
