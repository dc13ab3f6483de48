"""The loyalty program's versions (version 1: the SPEC's defaults), rewards and the bills refused one, and the
loyalty service's outbox, job and idempotency tables.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 09:25:21.340842
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The program's defaults (SPEC §3.1, §3.2, §3.5), as the settings were when this revision was written.
DEFAULT_SETTINGS = json.dumps(
    {
        "reward_thresholds": ["250.00", "500.00", "750.00", "1000.00", "1250.00"],
        "reward_percents": [10, 20, 30, 40, 50],
        "reward_expiry_days": 90,
        "points_per_currency_unit": 100,
        "points_expiry_months": 12,
        "levels": [
            {
                "level": 1,
                "volume": "1.00",
                "orders": 0,
                "brands": 0,
                "own_brand_volume": "0.00",
                "self_order_share_above": None,
            },
            {
                "level": 2,
                "volume": "10000.00",
                "orders": 3,
                "brands": 5,
                "own_brand_volume": "0.00",
                "self_order_share_above": None,
            },
            {
                "level": 3,
                "volume": "20000.00",
                "orders": 5,
                "brands": 10,
                "own_brand_volume": "2000.00",
                "self_order_share_above": None,
            },
            {
                "level": 4,
                "volume": "30000.00",
                "orders": 8,
                "brands": 20,
                "own_brand_volume": "8000.00",
                "self_order_share_above": "30",
            },
            {
                "level": 5,
                "volume": "75000.00",
                "orders": 12,
                "brands": 40,
                "own_brand_volume": "15000.00",
                "self_order_share_above": "60",
            },
        ],
    }
)


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
        schema="loyalty",
    )
    op.create_index(
        "ix_event_outbox_unsent",
        "event_outbox",
        ["id"],
        unique=False,
        schema="loyalty",
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.create_table(
        "event_sequence",
        sa.Column("aggregate_id", sa.Text(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("aggregate_id", name=op.f("pk_event_sequence")),
        schema="loyalty",
    )
    op.create_table(
        "idempotency_key",
        sa.Column("principal", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=True),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_key")),
        schema="loyalty",
    )
    op.create_index("ix_idempotency_key_expires_at", "idempotency_key", ["expires_at"], unique=False, schema="loyalty")
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
        schema="loyalty",
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
        schema="loyalty",
    )
    op.create_index(
        "ix_job_run_pending",
        "job_run",
        ["created_at"],
        unique=False,
        schema="loyalty",
        postgresql_where=sa.text("state in ('queued', 'running')"),
    )
    op.create_table(
        "program_version",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("settings", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("effective_from", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("changed_by", sa.Text(), nullable=False),
        sa.CheckConstraint("version >= 1", name=op.f("ck_program_version_version_positive")),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_program_version")),
        schema="loyalty",
    )
    # Version 1 is in force from the start: every reward can name the version it was made under.
    op.execute(
        sa.text(
            "INSERT INTO loyalty.program_version (version, settings, effective_from, changed_by) "
            "VALUES (1, CAST(:settings AS jsonb), '2000-01-01T00:00:00Z', 'defaults')"
        ).bindparams(settings=DEFAULT_SETTINGS)
    )
    op.create_table(
        "reward",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=False),
        sa.Column("category", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=False),
        sa.Column("program_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'usable'"), nullable=False),
        sa.Column("allocated_by", sa.Text(), nullable=False),
        sa.Column("allocated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("redeemed_purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("redeemed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expired_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("allocated_by in ('call', 'event')", name=op.f("ck_reward_allocated_by_known")),
        sa.CheckConstraint(
            "status in ('usable', 'reserved', 'redeemed', 'expired', 'voided')", name=op.f("ck_reward_status_known")
        ),
        sa.CheckConstraint("percent between 1 and 100", name=op.f("ck_reward_percent_range")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward")),
        sa.UniqueConstraint("purchase_id", name=op.f("uq_reward_purchase_id")),
        sa.UniqueConstraint("token", name=op.f("uq_reward_token")),
        schema="loyalty",
    )
    op.create_index("ix_reward_customer", "reward", ["customer_id", "id"], unique=False, schema="loyalty")
    op.create_index(
        "ix_reward_usable_expiry",
        "reward",
        ["expires_at"],
        unique=False,
        schema="loyalty",
        postgresql_where=sa.text("status = 'usable'"),
    )
    op.create_table(
        "reward_refusal",
        sa.Column("purchase_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("refused_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("purchase_id", name=op.f("pk_reward_refusal")),
        schema="loyalty",
    )


def downgrade() -> None:
    op.drop_table("reward_refusal", schema="loyalty")
    op.drop_index(
        "ix_reward_usable_expiry", table_name="reward", schema="loyalty", postgresql_where=sa.text("status = 'usable'")
    )
    op.drop_index("ix_reward_customer", table_name="reward", schema="loyalty")
    op.drop_table("reward", schema="loyalty")
    op.drop_table("program_version", schema="loyalty")
    op.drop_index(
        "ix_job_run_pending",
        table_name="job_run",
        schema="loyalty",
        postgresql_where=sa.text("state in ('queued', 'running')"),
    )
    op.drop_table("job_run", schema="loyalty")
    op.drop_table("job_lease", schema="loyalty")
    op.drop_index("ix_idempotency_key_expires_at", table_name="idempotency_key", schema="loyalty")
    op.drop_table("idempotency_key", schema="loyalty")
    op.drop_table("event_sequence", schema="loyalty")
    op.drop_index(
        "ix_event_outbox_unsent",
        table_name="event_outbox",
        schema="loyalty",
        postgresql_where=sa.text("sent_at IS NULL"),
    )
    op.drop_table("event_outbox", schema="loyalty")
