"""The loyalty service's own copy of what it needs from the customer service, kept from its events.

Customers, products, bills and their lines as the events describe them (never names or contact
details), and each product's units sold with and without a reward, which the reward rules read.
The monthly figures of every customer are computed from these rows in SQL (``figures``).
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    Table,
    Text,
    text,
)

from services.loyalty.base import Table as Base

metadata = Base.metadata


def _money(name: str) -> Column[object]:
    return Column(name, Numeric(14, 2), nullable=False, server_default=text("0"))


customer = Table(
    "customer",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("status", Text, nullable=False),  # active, inactive, deleted
    Column("home_store_id", BigInteger),
    Column("city", Text),
    Column("country", Text),
    # When the customer service created the customer (the creation event's time); none: known before it was kept.
    Column("created_at", DateTime(timezone=True)),
)

product = Table(
    "product",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("sku", Text, nullable=False),
    Column("brand", Text),
    Column("own_brand", Boolean, nullable=False, server_default=text("false")),
    Column("category", Text),
    Column("status", Text, nullable=False),
    # Units sold over all history (imports included), net of returns and cancellations; and of them,
    # the units sold with a reward on them. The least-selling product has the fewest units sold without one.
    Column("units_sold", BigInteger, nullable=False, server_default=text("0")),
    Column("units_rewarded", BigInteger, nullable=False, server_default=text("0")),
    Index("ix_product_least_selling", text("(units_sold - units_rewarded)"), "sku"),
)

purchase = Table(
    "purchase",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger),  # none: a guest sale
    Column("store_id", BigInteger, nullable=False),
    Column("channel", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("purchased_at", DateTime(timezone=True), nullable=False),
    Column("month", Date, nullable=False),  # the first day of its month in the business time zone
    Column("status", Text, nullable=False, server_default=text("'recorded'")),
    _money("base_total"),
    _money("base_returned"),
    Column("reward_token", Text),
    CheckConstraint("status in ('recorded', 'cancelled')", name="status_known"),
    Index("ix_purchase_customer_month", "customer_id", "month"),
)

purchase_line = Table(
    "purchase_line",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("purchase_id", BigInteger, ForeignKey("loyalty.purchase.id"), nullable=False),
    Column("product_id", BigInteger, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("returned_quantity", Integer, nullable=False, server_default=text("0")),
    _money("base_total"),
    _money("base_returned"),
    Column("rewarded", Boolean, nullable=False, server_default=text("false")),  # a reward discounted this line
    Index("ix_purchase_line_purchase_id", "purchase_id"),
    # A product whose brand or own-brand mark changes finds the months of its bills to compute again.
    Index("ix_purchase_line_product_id", "product_id"),
)

monthly_figures = Table(
    "monthly_figures",
    metadata,
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("month", Date, primary_key=True),
    _money("volume"),
    Column("orders", Integer, nullable=False, server_default=text("0")),
    Column("brands", Integer, nullable=False, server_default=text("0")),
    _money("own_brand_volume"),
    Column("self_orders", Integer, nullable=False, server_default=text("0")),
    Column("assisted_orders", Integer, nullable=False, server_default=text("0")),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Index("ix_monthly_figures_month", "month"),
)
