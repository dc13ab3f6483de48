"""Level runs: each computation of a month's levels, with the thresholds it used, and the level of every customer in it.

A run is never changed once written, so a past answer can be read again as it was. ``customer_level``
keeps the month's figures the run used and the customer's city and home store at that time, so a
listing filters a run without reading the ledger again.
"""

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    Table,
    Text,
)
from sqlalchemy.dialects.postgresql import JSONB

from services.loyalty.base import Table as Base

level_run = Table(
    "level_run",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("month", Date, nullable=False),  # the first day of the month
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("program_version", Integer, nullable=False),
    Column("thresholds", JSONB, nullable=False),  # the level thresholds in force at the month's end
    Column("customers", Integer, nullable=False),  # the rows written
    Index("ix_level_run_month", "month", "id"),
)

customer_level = Table(
    "customer_level",
    Base.metadata,
    Column(
        "run_id", BigInteger, ForeignKey("loyalty.level_run.id", ondelete="CASCADE"), primary_key=True, nullable=False
    ),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False, nullable=False),
    Column("level", SmallInteger),  # none: a volume strictly between 0 and 1
    Column("volume", Numeric(14, 2)),
    Column("orders", Integer),
    Column("brands", Integer),
    Column("own_brand_volume", Numeric(14, 2)),
    Column("self_orders", Integer),
    Column("assisted_orders", Integer),
    Column("city", Text),
    Column("home_store_id", BigInteger),
    Index("ix_customer_level_run_level", "run_id", "level", "customer_id"),
)
