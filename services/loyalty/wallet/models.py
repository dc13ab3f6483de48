"""The wallet: an append-only ledger of points per customer, and one row per customer that every write locks.

``wallet_entry`` is never updated nor deleted. ``wallet.balance`` is the sum of the customer's
entries, written in the transaction that writes them; its CHECK is the last guard against a
negative balance. ``wallet_refusal`` remembers the bills whose points were given back before they
were spent (the bill was abandoned first), so a late spend collides with it.
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
from services.loyalty.wallet.rules import KINDS

wallet_entry = Table(
    "wallet_entry",
    Base.metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("customer_id", BigInteger, nullable=False),
    Column("kind", Text, nullable=False),
    Column("points", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("source", Text, nullable=False),
    Column("purchase_id", BigInteger),
    Column("lot_id", BigInteger),
    Column("expires_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    CheckConstraint(f"kind in {KINDS!r}", name="kind_known"),
    CheckConstraint(
        "points <> 0 AND (kind = 'adjust' OR (points > 0) = (kind in ('earn', 'refund')))", name="points_signed"
    ),
    # A positive entry is a lot and expires; a negative one takes from lots and has no expiry of its own.
    CheckConstraint("(points > 0) = (expires_at IS NOT NULL)", name="lot_expires"),
    CheckConstraint("kind not in ('spend', 'refund') OR purchase_id IS NOT NULL", name="purchase_named"),
    CheckConstraint("kind not in ('expire', 'refund') OR lot_id IS NOT NULL", name="lot_named"),
    Index("ix_wallet_entry_customer", "customer_id", "id"),
    # Idempotency: one spend per bill, one refund per bill and lot, one earning per source.
    Index("uq_wallet_entry_spend", "purchase_id", unique=True, postgresql_where=text("kind = 'spend'")),
    Index("uq_wallet_entry_refund", "purchase_id", "lot_id", unique=True, postgresql_where=text("kind = 'refund'")),
    Index("uq_wallet_entry_earn", "source", unique=True, postgresql_where=text("kind = 'earn'")),
)

wallet = Table(
    "wallet",
    Base.metadata,
    Column("customer_id", BigInteger, primary_key=True, autoincrement=False),
    Column("balance", Integer, nullable=False, server_default=text("0")),
    Column("next_expiry", DateTime(timezone=True)),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    CheckConstraint("balance >= 0", name="balance_not_negative"),
    # The expiry job reads the wallets with points due.
    Index("ix_wallet_next_expiry", "next_expiry", postgresql_where=text("next_expiry IS NOT NULL")),
)

wallet_refusal = Table(
    "wallet_refusal",
    Base.metadata,
    Column("purchase_id", BigInteger, primary_key=True, autoincrement=False),
    Column("reason", Text, nullable=False),
    Column("refused_at", DateTime(timezone=True), nullable=False, server_default=text("now()")),
)
