"""The analytics star schema: dimensions (customer, product, store, calendar), the purchase-line facts,
stock levels, exchange rates, and the aggregates the consumer keeps up to date with every batch.

Nothing here names a person: customers are ids and non-identifying attributes; reports that list
customers read their names from the customer service when they are read.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Table,
    Text,
    text,
)

from services.analytics.base import Table as Base

metadata = Base.metadata


def _money(name: str) -> Column[object]:
    return Column(name, Numeric(16, 2), nullable=False, server_default=text("0"))


def _count(name: str) -> Column[object]:
    return Column(name, BigInteger, nullable=False, server_default=text("0"))


customer = Table(
    "customer",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("gender", Text),
    Column("age_band", Text),
    Column("city", Text),
    Column("state", Text),
    Column("country", Text),
    Column("continent", Text),
    Column("home_store_id", BigInteger),
    Column("status", Text, nullable=False),  # active, inactive, deleted
)

product = Table(
    "product",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("sku", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("brand", Text),
    Column("category", Text),
    Column("subcategory", Text),
    Column("unit_cost", Numeric(14, 2), nullable=False),  # in the base currency
    Column("unit_price", Numeric(14, 2), nullable=False),
    Column("track_stock", Boolean, nullable=False),
    Column("status", Text, nullable=False),
)

store = Table(
    "store",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("online", Boolean, nullable=False),
    Column("country", Text),
    Column("state", Text),
    Column("status", Text, nullable=False),
)

calendar = Table(
    "calendar",
    metadata,
    Column("day", Date, primary_key=True),
    Column("week", Date, nullable=False),  # its ISO week's Monday
    Column("month", Date, nullable=False),
    Column("quarter", Date, nullable=False),
    Column("year", SmallInteger, nullable=False),
    Column("month_of_year", SmallInteger, nullable=False),
    Column("weekday", SmallInteger, nullable=False),  # ISO: 1 Monday .. 7 Sunday
)

exchange_rate = Table(
    "exchange_rate",
    metadata,
    Column("currency", Text, primary_key=True),
    Column("day", Date, primary_key=True),
    Column("rate", Numeric(18, 8), nullable=False),
)

stock_level = Table(
    "stock_level",
    metadata,
    Column("product_id", BigInteger, primary_key=True, autoincrement=False),
    Column("quantity", BigInteger, nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

# One purchase line. Its customer's country (else its store's), day and store are copied from its bill
# when it is kept, so cancelling or returning it takes back exactly what it added to the aggregates.
sale_line = Table(
    "sale_line",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("purchase_id", BigInteger, nullable=False),
    Column("customer_id", BigInteger),  # none: a guest sale
    Column("product_id", BigInteger, nullable=False),
    Column("store_id", BigInteger, nullable=False),
    Column("day", Date, nullable=False),  # the bill's day in the business time zone
    Column("currency", Text, nullable=False),
    Column("country", Text, nullable=False),  # '' when neither the customer's nor the store's is known
    Column("source", Text, nullable=False),
    Column("quantity", Integer, nullable=False),
    Column("returned_quantity", Integer, nullable=False, server_default=text("0")),
    _money("base_amount"),
    _money("local_amount"),
    _money("base_returned"),
    _money("local_returned"),
    Column("unit_cost", Numeric(14, 2)),  # the product's when the line was kept; none until the product is known
    Column("status", Text, nullable=False, server_default=text("'recorded'")),
    CheckConstraint("status in ('recorded', 'cancelled')", name="status_known"),
    CheckConstraint("returned_quantity >= 0", name="returned_not_negative"),
    Index("ix_sale_line_purchase_id", "purchase_id"),
    Index("ix_sale_line_customer_id", "customer_id", "day"),
    # Lines whose product is not known yet, found when it arrives; no other read looks lines up by product.
    Index("ix_sale_line_unknown_cost", "product_id", postgresql_where=text("unit_cost IS NULL")),
    Index("ix_sale_line_day", "day"),
)

# The sales cube: what the lines kept on each day add up to, per product, store, currency and country.
sales_daily = Table(
    "sales_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("product_id", BigInteger, primary_key=True, autoincrement=False),
    Column("store_id", BigInteger, primary_key=True, autoincrement=False),
    Column("currency", Text, primary_key=True),
    Column("country", Text, primary_key=True),
    _count("units"),
    _money("base_revenue"),
    _money("local_revenue"),
    _money("cost"),
    Index("ix_sales_daily_product_day", "product_id", "day"),
)

# Bills per day, store, currency and country: orders are bills not cancelled.
orders_daily = Table(
    "orders_daily",
    metadata,
    Column("day", Date, primary_key=True),
    Column("store_id", BigInteger, primary_key=True, autoincrement=False),
    Column("currency", Text, primary_key=True),
    Column("country", Text, primary_key=True),
    _count("orders"),
    _count("units"),
    _money("base_revenue"),
    _money("local_revenue"),
    _money("cost"),
)

customer_month = Table(
    "customer_month",
    metadata,
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("month", Date, primary_key=True),
    Column("first_day", Date, nullable=False),  # the customer's first and last days of buying in the month
    Column("last_day", Date, nullable=False),
    _count("orders"),
    _count("units"),
    _money("base_revenue"),
    Index("ix_customer_month_month", "month"),
)

customer_summary = Table(
    "customer_summary",
    metadata,
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("first_day", Date, nullable=False),
    Column("last_day", Date, nullable=False),
    Column("first_month", Date, nullable=False),
    Column("months", Integer, nullable=False),
    _count("orders"),
    _count("units"),
    _money("base_revenue"),
    Index("ix_customer_summary_revenue", "base_revenue", "customer_id"),
    Index("ix_customer_summary_orders", "orders", "customer_id"),
)

# Customers of a cohort (month of first purchase) who bought in a month.
cohort_cell = Table(
    "cohort_cell",
    metadata,
    Column("cohort", Date, primary_key=True),
    Column("month", Date, primary_key=True),
    Column("customers", BigInteger, nullable=False),
    CheckConstraint("customers >= 0", name="customers_not_negative"),
)

# The consumer's place: the newest event applied and when (what every report is "as of").
feed_state = Table(
    "feed_state",
    metadata,
    Column("consumer", Text, primary_key=True),
    Column("events_until", DateTime(timezone=True), nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
    Column("events", BigInteger, nullable=False),
    Column("lines", BigInteger, nullable=False, server_default=text("0")),  # purchase lines kept: sale_line's rows
)

# One reward of the loyalty program as its events left it: allocated (usable, or reserved by a bill not yet
# recorded), redeemed, voided (its bill cancelled before it was used) or expired. A redemption taken back
# (the redeeming bill cancelled) makes it allocated again. Days are in the business time zone.
reward_fact = Table(
    "reward_fact",
    metadata,
    Column("reward_id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("product_id", BigInteger, nullable=False),
    Column("category", SmallInteger, nullable=False),  # 0: a target's gift
    Column("percent", SmallInteger, nullable=False),
    Column("purchase_id", BigInteger),  # the bill that earned it; none for a gift
    Column("target_id", BigInteger),
    Column("allocated_by", Text),  # call, event or target; none until the allocation event is applied
    Column("allocated_at", DateTime(timezone=True), nullable=False),
    Column("allocated_day", Date, nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("status", Text, nullable=False),
    Column("redeemed_purchase_id", BigInteger),
    Column("redeemed_at", DateTime(timezone=True)),
    Column("redeemed_day", Date),
    Column("ended_at", DateTime(timezone=True)),  # when it was voided or expired
    Column("ended_day", Date),
    CheckConstraint("status in ('allocated', 'redeemed', 'voided', 'expired')", name="status_known"),
    Index("ix_reward_fact_allocated_day", "allocated_day"),
    Index("ix_reward_fact_redeemed", "customer_id", "redeemed_day", postgresql_where=text("status = 'redeemed'")),
    Index("ix_reward_fact_redeemed_purchase", "redeemed_purchase_id", postgresql_where=text("status = 'redeemed'")),
)

# One wallet entry: points earned, spent, expired, adjusted or refunded (signed), on its day.
wallet_entry = Table(
    "wallet_entry",
    metadata,
    Column("entry_id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("kind", Text, nullable=False),
    Column("points", BigInteger, nullable=False),
    Column("balance_after", BigInteger, nullable=False),
    Column("purchase_id", BigInteger),
    Column("lot_id", BigInteger),
    Column("expires_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("day", Date, nullable=False),
    Index("ix_wallet_entry_day", "day"),
)

STAR_TABLES = (
    "wallet_entry",
    "reward_fact",
    "cohort_cell",
    "customer_summary",
    "customer_month",
    "orders_daily",
    "sales_daily",
    "sale_line",
    "stock_level",
    "exchange_rate",
    "calendar",
    "store",
    "product",
    "customer",
    "feed_state",
)
"""The tables a rebuild empties."""
