"""The store table. Store 0, the online shop, is created by the first migration."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Identity, Index, String
from sqlmodel import Field

from services.customer.base import RecordStatus, Table, created_at_field, updated_at_field

ONLINE_STORE_ID = 0


class Store(Table, table=True):
    __tablename__ = "store"
    __table_args__ = (
        Index("uq_store_external_ref", "external_ref", unique=True),
        CheckConstraint("status in ('active', 'inactive')", name="status_known"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger, Identity(always=False, start=1), primary_key=True)
    )
    external_ref: str | None = None
    name: str
    online: bool = False
    country: str | None = None
    state: str | None = None
    square_metres: int | None = None
    opened_on: date | None = None
    status: str = Field(default=RecordStatus.ACTIVE.value, sa_type=String(16))
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
