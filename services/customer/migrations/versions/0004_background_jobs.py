"""Background jobs: the lease of each periodic job, and one-off runs (imports) keyed by job name and run key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-30 02:56:50.450458
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "job_lease",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lease_owner", sa.Text(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_lease")),
        schema="customer",
    )
    op.create_table(
        "job_run",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("run_key", sa.Text(), nullable=False),
        sa.Column(
            "arguments", postgresql.JSONB(astext_type=sa.Text()), server_default=sa.text("'{}'::jsonb"), nullable=False
        ),
        sa.Column("state", sa.String(length=16), server_default="queued", nullable=False),
        sa.Column("lease_owner", sa.Text(), nullable=True),
        sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name=op.f("ck_job_run_state_known")),
        sa.PrimaryKeyConstraint("name", "run_key", name=op.f("pk_job_run")),
        schema="customer",
    )
    op.create_index(
        "ix_job_run_pending",
        "job_run",
        ["created_at"],
        unique=False,
        schema="customer",
        postgresql_where=sa.text("state in ('queued', 'running')"),
    )


def downgrade() -> None:
    op.drop_index(
        "ix_job_run_pending",
        table_name="job_run",
        schema="customer",
        postgresql_where=sa.text("state in ('queued', 'running')"),
    )
    op.drop_table("job_run", schema="customer")
    op.drop_table("job_lease", schema="customer")
