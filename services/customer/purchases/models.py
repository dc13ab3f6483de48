"""Bills and their lines. Each line keeps its base and its local amounts, gross, discount and net."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    text,
)
from sqlmodel import Field

from services.customer.base import Table, created_at_field


def _money(nullable: bool = False) -> Column[Decimal]:
    return Column(Numeric(14, 2), nullable=nullable)


def _zero_money() -> Column[Decimal]:
    return Column(Numeric(14, 2), nullable=False, server_default=text("0"))


class Purchase(Table, table=True):
    __tablename__ = "purchase"
    __table_args__ = (
        Index("ix_purchase_customer_time", "customer_id", "purchased_at", "id"),
        Index("uq_purchase_source_number", "source", "number", unique=True),
        CheckConstraint("channel in ('self', 'assisted')", name="channel_known"),
        CheckConstraint("source in ('live', 'import')", name="source_known"),
        CheckConstraint("status in ('recorded', 'cancelled')", name="status_known"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    number: str | None = Field(default=None, description="The bill's number in its source (an invoice number).")
    customer_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("customer.customer.id"), nullable=True)
    )
    store_id: int = Field(sa_column=Column(BigInteger, ForeignKey("customer.store.id"), nullable=False))
    channel: str = Field(max_length=16)
    source: str = Field(max_length=16)
    status: str = Field(default="recorded", max_length=16)
    currency: str = Field(sa_column=Column(String(3), nullable=False))
    rate: Decimal = Field(sa_column=Column(Numeric(18, 8), nullable=False))
    rate_date: date | None = None
    purchased_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    reward_token: str | None = None
    base_gross: Decimal = Field(sa_column=_money())
    base_discount: Decimal = Field(sa_column=_money())
    base_total: Decimal = Field(sa_column=_money())
    local_gross: Decimal = Field(sa_column=_money())
    local_discount: Decimal = Field(sa_column=_money())
    local_total: Decimal = Field(sa_column=_money())
    base_returned: Decimal = Field(default=Decimal(0), sa_column=_money())
    local_returned: Decimal = Field(default=Decimal(0), sa_column=_money())
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    cancel_reason: str | None = None
    # What the bill redeemed: a reward's percent off one product's line, wallet points off the whole bill.
    reward_product_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    reward_percent: int | None = None
    local_reward_discount: Decimal = Field(default=Decimal(0), sa_column=_zero_money())
    points_spent: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default=text("0")))
    points_value: Decimal = Field(default=Decimal(0), sa_column=_zero_money())  # in the base currency
    local_points_discount: Decimal = Field(default=Decimal(0), sa_column=_zero_money())
    created_at: datetime = created_at_field()


class PurchaseFence(Table, table=True):
    """A purchase id a bill with a reservation claims as it is written (``recorded``), or the loyalty
    service's marker that it never may (``abandoned``): whichever commits first, the other collides."""

    __tablename__ = "purchase_fence"
    __table_args__ = (CheckConstraint("outcome in ('recorded', 'abandoned')", name="outcome_known"),)

    purchase_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    outcome: str = Field(max_length=16)
    at: datetime = created_at_field()


class PurchaseLine(Table, table=True):
    __tablename__ = "purchase_line"
    __table_args__ = (
        Index("uq_purchase_line_purchase_id", "purchase_id", "line_no", unique=True),
        Index("ix_purchase_line_product_id", "product_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("returned_quantity between 0 and quantity", name="returned_within_quantity"),
        CheckConstraint("local_discount between 0 and local_gross", name="discount_within_gross"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    purchase_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("customer.purchase.id", ondelete="CASCADE"), nullable=False)
    )
    line_no: int
    product_id: int = Field(sa_column=Column(BigInteger, ForeignKey("customer.product.id"), nullable=False))
    quantity: int
    returned_quantity: int = 0
    base_unit_price: Decimal = Field(sa_column=_money())
    local_unit_price: Decimal = Field(sa_column=_money())
    base_gross: Decimal = Field(sa_column=_money())
    base_discount: Decimal = Field(sa_column=_money())
    base_total: Decimal = Field(sa_column=_money())
    local_gross: Decimal = Field(sa_column=_money())
    local_discount: Decimal = Field(sa_column=_money())
    local_total: Decimal = Field(sa_column=_money())
