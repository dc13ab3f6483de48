"""The product table. ``stock_quantity`` changes only through the stock ledger."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import BigInteger, CheckConstraint, Column, Identity, Index, Numeric, String
from sqlmodel import Field

from services.customer.base import RecordStatus, Table, created_at_field, updated_at_field


class Product(Table, table=True):
    __tablename__ = "product"
    __table_args__ = (
        CheckConstraint("status in ('active', 'inactive')", name="status_known"),
        Index("uq_product_sku", "sku", unique=True),
        Index("uq_product_external_ref", "external_ref", unique=True),
        CheckConstraint("unit_cost >= 0", name="unit_cost_not_negative"),
        CheckConstraint("unit_price >= 0", name="unit_price_not_negative"),
        CheckConstraint("stock_quantity >= 0", name="stock_not_negative"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    external_ref: str | None = None
    sku: str
    name: str
    brand: str | None = None
    own_brand: bool = False
    colour: str | None = None
    category: str | None = None
    subcategory: str | None = None
    unit_cost: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    unit_price: Decimal = Field(sa_column=Column(Numeric(14, 2), nullable=False))
    track_stock: bool = True
    stock_quantity: int = Field(default=0, sa_type=BigInteger)
    status: str = Field(default=RecordStatus.ACTIVE.value, sa_type=String(16))
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
