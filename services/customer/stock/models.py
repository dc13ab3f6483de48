"""The stock ledger: every change of a product's quantity, so the quantity equals the ledger's sum."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, Index
from sqlmodel import Field

from services.customer.base import Table, created_at_field


class StockMovement(Table, table=True):
    __tablename__ = "stock_movement"
    __table_args__ = (
        Index("ix_stock_movement_product_time", "product_id", "created_at"),
        CheckConstraint("kind in ('restock', 'adjustment', 'sale', 'cancellation', 'return')", name="kind_known"),
        CheckConstraint("quantity <> 0", name="quantity_not_zero"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    product_id: int = Field(sa_column=Column(BigInteger, ForeignKey("customer.product.id"), nullable=False))
    kind: str = Field(max_length=16)
    quantity: int = Field(sa_type=BigInteger, description="Signed change: positive in, negative out.")
    reason: str | None = None
    purchase_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("customer.purchase.id"), nullable=True)
    )
    created_at: datetime = created_at_field()
