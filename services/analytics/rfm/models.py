"""The stored RFM runs: one row per run and one score row per customer scored in it.

A run is a snapshot: it stays as it was computed when the feed moves on or the star is rebuilt, so
two runs can be compared (movements between segments).
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
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
    text,
)

from services.analytics.base import Table as Base

metadata = Base.metadata

rfm_run = Table(
    "rfm_run",
    metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("reference_date", Date, nullable=False),
    Column("scheme", Text, nullable=False),  # quintile (scores 1-5, segments) or quartile (1-4, classes)
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("customers", BigInteger, nullable=False),  # customers scored
    Column("revenue", Numeric(16, 2), nullable=False),  # their spend in the base currency
    # Left out: customers known to analytics without a purchase on or before the reference date, and
    # guest sales (lines and bills without a customer) on or before it.
    Column("no_purchase", BigInteger, nullable=False),
    Column("guest_bills", BigInteger, nullable=False),
    Column("guest_lines", BigInteger, nullable=False),
    Column("guest_revenue", Numeric(16, 2), nullable=False),
    CheckConstraint("scheme in ('quintile', 'quartile')", name="scheme_known"),
    Index("ix_rfm_run_created", "created_at", "id"),
)

rfm_score = Table(
    "rfm_score",
    metadata,
    Column("run_id", BigInteger, ForeignKey("rfm_run.id", ondelete="CASCADE"), primary_key=True),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("recency", Integer, nullable=False),  # days from the last purchase to the reference date
    Column("frequency", BigInteger, nullable=False),  # orders: bills not cancelled
    Column("monetary", Numeric(16, 2), nullable=False),  # spend in the base currency, returns taken off
    Column("r", SmallInteger, nullable=False),
    Column("f", SmallInteger, nullable=False),
    Column("m", SmallInteger, nullable=False),
    Column("segment", Text, nullable=False),
    Index("ix_rfm_score_segment", "run_id", "segment", "customer_id"),
)
