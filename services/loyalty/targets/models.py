"""Monthly targets: a run sets one target per chosen customer; reaching it is recorded once, as an achievement.

``target_run`` keeps what a run was asked (month, filters, percent or value, gift, points) and
the level run it read last month's levels and volumes from. ``target`` is unique per run and
customer. ``target_achievement`` has the target as its key, so a target is achieved at most once
however many bills reach it at once; it names the gift reward and the wallet entry it credited.
"""

from sqlalchemy import (
    ARRAY,
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
    UniqueConstraint,
    text,
)

from services.loyalty.base import Table as Base

ORIGINS = ("api", "schedule")

target_run = Table(
    "target_run",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("month", Date, nullable=False),  # the first day of the month the targets are for
    Column("origin", Text, nullable=False),
    Column("level_run_id", BigInteger, nullable=False),  # last month's levels, as that run computed them
    Column("levels", ARRAY(SmallInteger)),  # none: every level
    Column("lower", Numeric(14, 2), nullable=False, server_default=text("0")),
    Column("upper", Numeric(14, 2)),  # none: no upper limit
    Column("mode", Text, nullable=False),
    Column("percent", Numeric(7, 2)),
    Column("value", Numeric(14, 2)),
    Column("gift_percent", Integer),
    Column("gift_product_id", BigInteger),
    Column("points", Integer, nullable=False, server_default=text("0")),
    Column("targets", Integer, nullable=False, server_default=text("0")),
    Column("created_by", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    CheckConstraint("extract(day from month) = 1", name="month_first_day"),
    CheckConstraint(f"origin in {ORIGINS!r}", name="origin_known"),
    CheckConstraint(
        "(mode = 'percent' AND percent >= 0 AND value IS NULL) OR (mode = 'value' AND value >= 0 AND percent IS NULL)",
        name="mode_amount",
    ),
    CheckConstraint("upper IS NULL OR upper > lower", name="band_order"),
    CheckConstraint("(gift_percent IS NULL) = (gift_product_id IS NULL)", name="gift_whole"),
    CheckConstraint("gift_percent between 1 and 100", name="gift_percent_range"),
    CheckConstraint("points >= 0", name="points_not_negative"),
    Index("ix_target_run_month", "month", "id"),
    # The schedule makes one run per month, however many processes or days try.
    Index("uq_target_run_scheduled_month", "month", unique=True, postgresql_where=text("origin = 'schedule'")),
)

target = Table(
    "target",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("run_id", BigInteger, ForeignKey("loyalty.target_run.id"), nullable=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("month", Date, nullable=False),  # the run's month, kept here for the achievement check
    Column("level", SmallInteger),  # last month's level (none: a volume between 0 and 1)
    Column("base_volume", Numeric(14, 2), nullable=False),  # last month's volume
    Column("target", Numeric(14, 2), nullable=False),
    UniqueConstraint("run_id", "customer_id"),
    # The ledger's consumer finds the open targets of the customers a batch touched, by month.
    Index("ix_target_customer_month", "customer_id", "month"),
)

target_achievement = Table(
    "target_achievement",
    Base.metadata,
    Column("target_id", BigInteger, ForeignKey("loyalty.target.id"), primary_key=True, autoincrement=False),
    Column("run_id", BigInteger, nullable=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("month", Date, nullable=False),
    Column("target", Numeric(14, 2), nullable=False),
    Column("volume", Numeric(14, 2), nullable=False),  # the month-to-date live volume that reached it
    Column("achieved_at", DateTime(timezone=True), nullable=False),
    Column("reward_id", BigInteger),  # the gift, when the run gives one
    Column("points", Integer, nullable=False, server_default=text("0")),
    Column("wallet_entry_id", BigInteger),  # the points, when the run gives some
    Index("ix_target_achievement_run", "run_id", "target_id"),
    Index("ix_target_achievement_customer", "customer_id", "target_id"),
)
