"""The exchange-rate table, keyed by currency then date so "the latest rate on or before" is one index probe."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, Numeric, String
from sqlmodel import Field

from services.customer.base import Table, updated_at_field


class ExchangeRate(Table, table=True):
    __tablename__ = "exchange_rate"
    __table_args__ = (CheckConstraint("rate > 0", name="rate_positive"),)

    currency: str = Field(sa_column=Column(String(3), primary_key=True))
    rate_date: date = Field(primary_key=True)
    rate: Decimal = Field(sa_column=Column(Numeric(18, 8), nullable=False))
    updated_at: datetime = updated_at_field()
