"""Rows of a running minimal-layout import that said the same bill, counted in the database.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 10:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_occurrence",
        sa.Column("import_id", sa.BigInteger(), nullable=False),
        sa.Column("number", sa.Text(), nullable=False),
        sa.Column("seen", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("import_id", "number", name=op.f("pk_import_occurrence")),
        schema="customer",
    )


def downgrade() -> None:
    op.drop_table("import_occurrence", schema="customer")
