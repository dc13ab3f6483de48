"""Imports: the import job (state, progress, report) and custom attributes of imported records.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 09:38:54.338962
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_attribute",
        sa.Column("entity", sa.String(length=16), nullable=False),
        sa.Column("entity_id", sa.BigInteger(), nullable=False),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("entity in ('product', 'store', 'purchase')", name=op.f("ck_import_attribute_entity_known")),
        sa.PrimaryKeyConstraint("entity", "entity_id", name=op.f("pk_import_attribute")),
        schema="customer",
    )
    op.create_table(
        "import_job",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("preset", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column(
            "files", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'[]'::jsonb"), nullable=False
        ),
        sa.Column(
            "options", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("rows_total", sa.BigInteger(), nullable=True),
        sa.Column("rows_done", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column(
            "report", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name=op.f("ck_import_job_state_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_job")),
        schema="customer",
    )
    op.create_index("ix_import_job_state_id", "import_job", ["state", "id"], unique=False, schema="customer")


def downgrade() -> None:
    op.drop_index("ix_import_job_state_id", table_name="import_job", schema="customer")
    op.drop_table("import_job", schema="customer")
    op.drop_table("import_attribute", schema="customer")
