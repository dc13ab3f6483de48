"""Rewards: one per qualifying live bill at most, and one per achieved target at most (its gift), each a
token for a percent off one product.

A reward names either the bill that earned it or the target that gave it. ``purchase_id`` is unique,
so however many times a bill is offered for a reward (the purchase call,
its event, a redelivery), it earns at most one. ``reward_refusal`` remembers the bills that must
never earn one (cancelled whole before a reward was made), so a late allocation collides with it.
"""

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    Table,
    Text,
    text,
)

from services.loyalty.base import Table as Base

REWARD_STATUSES = ("usable", "reserved", "redeemed", "expired", "voided")

reward = Table(
    "reward",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("token", Text, nullable=False, unique=True),
    Column("customer_id", BigInteger, nullable=False),
    Column("product_id", BigInteger, nullable=False),
    Column("purchase_id", BigInteger, unique=True),  # the bill that earned it; none for a target's gift
    Column("target_id", BigInteger, unique=True),  # the target whose achievement gave it, for a gift
    Column("category", Integer, nullable=False),
    Column("percent", Integer, nullable=False),
    Column("program_version", Integer, nullable=False),
    Column("status", Text, nullable=False, server_default=text("'usable'")),
    Column("allocated_by", Text, nullable=False),
    Column("allocated_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("reserved_purchase_id", BigInteger),  # the bill holding it while ``reserved``
    Column("redeemed_purchase_id", BigInteger),
    Column("redeemed_at", DateTime(timezone=True)),
    Column("voided_at", DateTime(timezone=True)),
    Column("expired_at", DateTime(timezone=True)),
    CheckConstraint(f"status in {REWARD_STATUSES!r}", name="status_known"),
    CheckConstraint("allocated_by in ('call', 'event', 'target')", name="allocated_by_known"),
    CheckConstraint("num_nonnulls(purchase_id, target_id) = 1", name="earned_by_one"),
    CheckConstraint("percent between 1 and 100", name="percent_range"),
    Index("ix_reward_customer", "customer_id", "id"),
    # The expiry job reads only usable rewards by expiry.
    Index("ix_reward_usable_expiry", "expires_at", postgresql_where=text("status = 'usable'")),
)

reward_refusal = Table(
    "reward_refusal",
    Base.metadata,
    Column("purchase_id", BigInteger, primary_key=True, autoincrement=False),
    Column("reason", Text, nullable=False),
    Column("refused_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)
