"""Redemptions: what a bill reserved before it was recorded (a reward, points), and how that ended.

One row per purchase id, the id the customer service draws before the bill's transaction, so a
retried reservation finds its row. ``reserved`` until the purchase event confirms it or the bill is
established never to exist (``released``); a wholly cancelled bill ends it as ``cancelled``, with what
it used given back.
"""

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, Integer, Numeric, Table, Text, text

from services.loyalty.base import Table as Base

REDEMPTION_STATUSES = ("reserved", "confirmed", "released", "cancelled")

redemption = Table(
    "redemption",
    Base.metadata,
    Column("purchase_id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger, nullable=False),
    Column("reward_id", BigInteger),
    Column("points", Integer, nullable=False, server_default=text("0")),
    Column("points_value", Numeric(14, 2), nullable=False, server_default=text("0")),
    Column("status", Text, nullable=False, server_default=text("'reserved'")),
    Column("reserved_at", DateTime(timezone=True), nullable=False),
    Column("deadline", DateTime(timezone=True), nullable=False),
    Column("settled_at", DateTime(timezone=True)),
    CheckConstraint(f"status in {REDEMPTION_STATUSES!r}", name="status_known"),
    CheckConstraint("points >= 0 AND points_value >= 0", name="points_not_negative"),
    CheckConstraint("reward_id IS NOT NULL OR points > 0", name="something_reserved"),
    # The release sweep reads only open reservations, by deadline.
    Index("ix_redemption_open_deadline", "deadline", postgresql_where=text("status = 'reserved'")),
)
