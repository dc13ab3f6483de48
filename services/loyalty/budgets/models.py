"""Budget runs: each allocation of a month's marketing budget, its totals per level, and every customer's share.

A run keeps its input (month, band, amounts, levels selected, city and store filters), the level run it
read, and what it allocated and left unspent, overall and per level, so that allocated + unspent equals
the amount to the cent (and the level-0 amount likewise). ``budget_share`` holds the national shares;
a run's city and store filters narrow the rows it returns, never the computation.
"""

from sqlalchemy import (
    BigInteger,
    Boolean,
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
)
from sqlalchemy.dialects.postgresql import ARRAY

from services.loyalty.base import Table as Base

budget_run = Table(
    "budget_run",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("month", Date, nullable=False),  # the first day of the month
    Column("band", SmallInteger, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),  # shared by levels 1 to 5
    Column("level0_amount", Numeric(14, 2), nullable=False),  # shared by level 0
    Column("levels", ARRAY(SmallInteger), nullable=False),  # the levels selected (0 to 5)
    Column("city", Text),
    Column("store_id", BigInteger),
    Column("level_run_id", BigInteger, ForeignKey("loyalty.level_run.id"), nullable=False),
    Column("computed_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("allocated", Numeric(14, 2), nullable=False),  # of ``amount``
    Column("unspent", Numeric(14, 2), nullable=False),
    Column("level0_allocated", Numeric(14, 2), nullable=False),  # of ``level0_amount``
    Column("level0_unspent", Numeric(14, 2), nullable=False),
    CheckConstraint("band BETWEEN 1 AND 4", name="band_known"),
    CheckConstraint("allocated + unspent = amount", name="amount_accounted"),
    CheckConstraint("level0_allocated + level0_unspent = level0_amount", name="level0_amount_accounted"),
    Index("ix_budget_run_month", "month", "id"),
)

budget_level = Table(
    "budget_level",
    Base.metadata,
    Column("run_id", BigInteger, ForeignKey("loyalty.budget_run.id", ondelete="CASCADE"), primary_key=True),
    Column("level", SmallInteger, primary_key=True, autoincrement=False),  # 0 to 5
    Column("selected", Boolean, nullable=False),
    Column("volume", Numeric(14, 2), nullable=False),
    Column("customers", Integer, nullable=False),
    Column("share", Numeric(14, 2), nullable=False),  # of the amount (level 0: the level-0 amount)
    Column("promotion_customers", Integer, nullable=False),
    Column("consistent_customers", Integer, nullable=False),
    Column("retention_customers", Integer, nullable=False),
    Column("promotion_amount", Numeric(14, 2), nullable=False),  # paid to the promotion group (level 0: none)
    Column("retention_amount", Numeric(14, 2), nullable=False),
    Column("allocated", Numeric(14, 2), nullable=False),
    Column("unspent", Numeric(14, 2), nullable=False),
    CheckConstraint("allocated + unspent = share", name="share_accounted"),
)

# No foreign key to the run: checking one is a lookup per share, seconds on a month of a million
# customers. The shares are written only by ``allocate_budget``, in the transaction that writes their run.
budget_share = Table(
    "budget_share",
    Base.metadata,
    Column("run_id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("level", SmallInteger, nullable=False),
    Column("group", Text, nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    CheckConstraint("\"group\" in ('promotion', 'retention', 'level0')", name="group_known"),
    # No index by level and group: keeping one doubles the time to write a month's shares; a listing
    # by level or group reads the run's shares in customer order and skips the others.
)
