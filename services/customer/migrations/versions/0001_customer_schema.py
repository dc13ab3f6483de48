"""Customer schema: master data, the purchase ledger and the stock ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-23 09:04:51.206224
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "exchange_rate",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("rate > 0", name=op.f("ck_exchange_rate_rate_positive")),
        sa.PrimaryKeyConstraint("currency", "rate_date", name=op.f("pk_exchange_rate")),
        schema="customer",
    )
    op.create_table(
        "product",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("external_ref", sa.String(), nullable=True),
        sa.Column("sku", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("brand", sa.String(), nullable=True),
        sa.Column("own_brand", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("colour", sa.String(), nullable=True),
        sa.Column("category", sa.String(), nullable=True),
        sa.Column("subcategory", sa.String(), nullable=True),
        sa.Column("unit_cost", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("track_stock", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.Column("stock_quantity", sa.BigInteger(), server_default=sa.text("0"), nullable=False),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'active'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('active', 'inactive')", name=op.f("ck_product_status_known")),
        sa.CheckConstraint("stock_quantity >= 0", name=op.f("ck_product_stock_not_negative")),
        sa.CheckConstraint("unit_cost >= 0", name=op.f("ck_product_unit_cost_not_negative")),
        sa.CheckConstraint("unit_price >= 0", name=op.f("ck_product_unit_price_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product")),
        schema="customer",
    )
    op.create_index("uq_product_external_ref", "product", ["external_ref"], unique=True, schema="customer")
    op.create_index("uq_product_sku", "product", ["sku"], unique=True, schema="customer")
    op.create_table(
        "store",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False, start=1), nullable=False),
        sa.Column("external_ref", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("online", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("square_metres", sa.Integer(), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'active'"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('active', 'inactive')", name=op.f("ck_store_status_known")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store")),
        schema="customer",
    )
    op.create_index("uq_store_external_ref", "store", ["external_ref"], unique=True, schema="customer")
    # Store 0 is the online shop, always there (SPEC §2).
    op.execute("INSERT INTO customer.store (id, name, online) VALUES (0, 'Online shop', true)")
    op.create_table(
        "customer",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("external_ref", sa.String(), nullable=True),
        sa.Column("username", sa.String(), nullable=True),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("gender", sa.String(), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("postcode", sa.String(), nullable=True),
        sa.Column("country", sa.String(), nullable=True),
        sa.Column("continent", sa.String(), nullable=True),
        sa.Column("city_id", sa.BigInteger(), nullable=True),
        sa.Column("home_store_id", sa.BigInteger(), nullable=True),
        sa.Column("marketing_consent", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'active'"), nullable=False),
        sa.Column(
            "custom_attributes",
            postgresql.JSONB(astext_type=sa.Text()),
            server_default=sa.text("'{}'::jsonb"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("status in ('active', 'inactive')", name=op.f("ck_customer_status_known")),
        sa.ForeignKeyConstraint(["home_store_id"], ["customer.store.id"], name=op.f("fk_customer_home_store_id_store")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_customer")),
        schema="customer",
    )
    op.create_index("ix_customer_created_at_id", "customer", ["created_at", "id"], unique=False, schema="customer")
    op.create_index(
        "ix_customer_name_id",
        "customer",
        [sa.literal_column("coalesce(name, '')"), "id"],
        unique=False,
        schema="customer",
    )
    op.create_index("uq_customer_external_ref", "customer", ["external_ref"], unique=True, schema="customer")
    op.create_index("uq_customer_username", "customer", ["username"], unique=True, schema="customer")
    op.create_table(
        "purchase",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("number", sa.String(), nullable=True),
        sa.Column("idempotency_key", sa.String(), nullable=True),
        sa.Column("customer_id", sa.BigInteger(), nullable=True),
        sa.Column("store_id", sa.BigInteger(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), server_default=sa.text("'recorded'"), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("rate", sa.Numeric(precision=18, scale=8), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=True),
        sa.Column("purchased_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reward_token", sa.String(), nullable=True),
        sa.Column("base_gross", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_discount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_gross", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_discount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_returned", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("local_returned", sa.Numeric(precision=14, scale=2), server_default=sa.text("0"), nullable=False),
        sa.Column("cancelled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cancel_reason", sa.String(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint("channel in ('self', 'assisted')", name=op.f("ck_purchase_channel_known")),
        sa.CheckConstraint("source in ('live', 'import')", name=op.f("ck_purchase_source_known")),
        sa.CheckConstraint("status in ('recorded', 'cancelled')", name=op.f("ck_purchase_status_known")),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["customer.customer.id"], name=op.f("fk_purchase_customer_id_customer")
        ),
        sa.ForeignKeyConstraint(["store_id"], ["customer.store.id"], name=op.f("fk_purchase_store_id_store")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase")),
        schema="customer",
    )
    op.create_index(
        "ix_purchase_customer_time", "purchase", ["customer_id", "purchased_at", "id"], unique=False, schema="customer"
    )
    op.create_index("uq_purchase_idempotency_key", "purchase", ["idempotency_key"], unique=True, schema="customer")
    op.create_index("uq_purchase_source_number", "purchase", ["source", "number"], unique=True, schema="customer")
    op.create_table(
        "purchase_line",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("purchase_id", sa.BigInteger(), nullable=False),
        sa.Column("line_no", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("returned_quantity", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("base_unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_unit_price", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_gross", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_discount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("base_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_gross", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_discount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("local_total", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.CheckConstraint(
            "local_discount between 0 and local_gross", name=op.f("ck_purchase_line_discount_within_gross")
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_purchase_line_quantity_positive")),
        sa.CheckConstraint(
            "returned_quantity between 0 and quantity", name=op.f("ck_purchase_line_returned_within_quantity")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["customer.product.id"], name=op.f("fk_purchase_line_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"],
            ["customer.purchase.id"],
            name=op.f("fk_purchase_line_purchase_id_purchase"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purchase_line")),
        schema="customer",
    )
    op.create_index("ix_purchase_line_product_id", "purchase_line", ["product_id"], unique=False, schema="customer")
    op.create_index(
        "uq_purchase_line_purchase_id", "purchase_line", ["purchase_id", "line_no"], unique=True, schema="customer"
    )
    op.create_table(
        "stock_movement",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("product_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("quantity", sa.BigInteger(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("purchase_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"), nullable=False),
        sa.CheckConstraint(
            "kind in ('restock', 'adjustment', 'sale', 'cancellation', 'return')",
            name=op.f("ck_stock_movement_kind_known"),
        ),
        sa.CheckConstraint("quantity <> 0", name=op.f("ck_stock_movement_quantity_not_zero")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["customer.product.id"], name=op.f("fk_stock_movement_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["purchase_id"], ["customer.purchase.id"], name=op.f("fk_stock_movement_purchase_id_purchase")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stock_movement")),
        schema="customer",
    )
    op.create_index(
        "ix_stock_movement_product_time",
        "stock_movement",
        ["product_id", "created_at"],
        unique=False,
        schema="customer",
    )


def downgrade() -> None:
    op.drop_index("ix_stock_movement_product_time", table_name="stock_movement", schema="customer")
    op.drop_table("stock_movement", schema="customer")
    op.drop_index("uq_purchase_line_purchase_id", table_name="purchase_line", schema="customer")
    op.drop_index("ix_purchase_line_product_id", table_name="purchase_line", schema="customer")
    op.drop_table("purchase_line", schema="customer")
    op.drop_index("uq_purchase_source_number", table_name="purchase", schema="customer")
    op.drop_index("uq_purchase_idempotency_key", table_name="purchase", schema="customer")
    op.drop_index("ix_purchase_customer_time", table_name="purchase", schema="customer")
    op.drop_table("purchase", schema="customer")
    op.drop_index("uq_customer_username", table_name="customer", schema="customer")
    op.drop_index("uq_customer_external_ref", table_name="customer", schema="customer")
    op.drop_index("ix_customer_name_id", table_name="customer", schema="customer")
    op.drop_index("ix_customer_created_at_id", table_name="customer", schema="customer")
    op.drop_table("customer", schema="customer")
    op.drop_index("uq_store_external_ref", table_name="store", schema="customer")
    op.drop_table("store", schema="customer")
    op.drop_index("uq_product_sku", table_name="product", schema="customer")
    op.drop_index("uq_product_external_ref", table_name="product", schema="customer")
    op.drop_table("product", schema="customer")
    op.drop_table("exchange_rate", schema="customer")
