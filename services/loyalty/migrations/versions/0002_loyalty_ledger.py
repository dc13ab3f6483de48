"""The loyalty ledger: customers, products, bills and lines kept from the customer events, monthly figures, and the consumer tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 09:19:35.500754
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
        "aggregate_position",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("aggregate_id", sa.Text(), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "aggregate_id", name=op.f("pk_aggregate_position")),
        schema="loyalty",
    )
    op.create_table(
        "customer",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("home_store_id", sa.BigInteger(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("country", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        schema="loyalty",
    )
    op.create_table(
        "event_held",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("aggregate_id", sa.Text(), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("envelope", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("held_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "aggregate_id", "seq", name=op.f("pk_event_held")),
        schema="loyalty",
    )
    op.create_table(
        "event_inbox",
        sa.Column("consumer", sa.Text(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("consumer", "event_id", name=op.f("pk_event_inbox")),
        schema="loyalty",
    )
    op.create_table(
        "monthly_figures",
        sa.Column("customer_id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("volume", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("orders", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("brands", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("own_brand_volume", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("self_orders", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("assisted_orders", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "month", name=op.f("pk_monthly_figures")),
        schema="loyalty",
    )
    op.create_index("ix_monthly_figures_month", "monthly_figures", ["month"], unique=False, schema="loyalty")
    op.create_table(
        "product",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("sku", sa.Text(), nullable=False),
        sa.Column("brand", sa.Text(), nullable=True),
        sa.Column("own_brand", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("category", sa.Text(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("units_sold", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("units_rewarded", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        schema="loyalty",
    )
    op.create_index(
        "ix_product_least_selling",
        "product",
        [sa.literal_column("(units_sold - units_rewarded)"), "sku"],
        unique=False,
        schema="loyalty",
    )
    op.create_table(
        "purchase",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("customer_id", sa.BigInteger(), nullable=True),
        sa.Column("store_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.Text(), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.Text(), server_default=sa.text("'recorded'"), nullable=False),
        sa.Column("base_total", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("base_returned", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("reward_token", sa.Text(), nullable=True),
        sa.CheckConstraint("status in ('recorded', 'cancelled')", name=op.f("ck_purchase_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase")),
        schema="loyalty",
    )
    op.create_index("ix_purchase_customer_month", "purchase", ["customer_id", "month"], unique=False, schema="loyalty")
    op.create_table(
        "purchase_line",
        sa.Column("id", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("returned_quantity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("base_total", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("base_returned", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("rewarded", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.ForeignKeyConstraint(
            ["purchase_id"], ["loyalty.purchase.id"], name=op.f("fk_purchase_line_purchase_id_purchase")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_line")),
        schema="loyalty",
    )
    op.create_index("ix_purchase_line_purchase_id", "purchase_line", ["purchase_id"], unique=False, schema="loyalty")
    op.create_index("ix_purchase_line_product_id", "purchase_line", ["product_id"], unique=False, schema="loyalty")


def downgrade() -> None:
    op.drop_index("ix_purchase_line_product_id", table_name="purchase_line", schema="loyalty")
    op.drop_index("ix_purchase_line_purchase_id", table_name="purchase_line", schema="loyalty")
    op.drop_table("purchase_line", schema="loyalty")
    op.drop_index("ix_purchase_customer_month", table_name="purchase", schema="loyalty")
    op.drop_table("purchase", schema="loyalty")
    op.drop_index("ix_product_least_selling", table_name="product", schema="loyalty")
    op.drop_table("product", schema="loyalty")
    op.drop_index("ix_monthly_figures_month", table_name="monthly_figures", schema="loyalty")
    op.drop_table("monthly_figures", schema="loyalty")
    op.drop_table("event_inbox", schema="loyalty")
    op.drop_table("event_held", schema="loyalty")
    op.drop_table("customer", schema="loyalty")
    op.drop_table("aggregate_position", schema="loyalty")
