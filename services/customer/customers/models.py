"""The customer table."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import BigInteger, Boolean, CheckConstraint, Column, ForeignKey, Identity, Index, String, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from services.customer.base import RecordStatus, Table, created_at_field, updated_at_field


class Customer(Table, table=True):
    __tablename__ = "customer"
    __table_args__ = (
        CheckConstraint("status in ('active', 'inactive')", name="status_known"),
        Index("uq_customer_username", "username", unique=True),
        Index("uq_customer_external_ref", "external_ref", unique=True),
        Index("ix_customer_name_id", text("coalesce(name, '')"), "id"),
        Index("ix_customer_created_at_id", "created_at", "id"),
        Index("ix_customer_email", "email"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    external_ref: str | None = None
    username: str | None = None
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    gender: str | None = None
    birth_date: date | None = None
    city: str | None = None
    state: str | None = None
    postcode: str | None = None
    country: str | None = None
    continent: str | None = None
    city_id: int | None = Field(default=None, sa_type=BigInteger)
    home_store_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("customer.store.id"), nullable=True)
    )
    marketing_consent: bool = False
    # Set by the gateway while the customer has credentials there: their username is then their sign-in.
    has_sign_in: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=text("false")))
    status: str = Field(default=RecordStatus.ACTIVE.value, sa_type=String(16))
    custom_attributes: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    created_at: datetime = created_at_field()
    updated_at: datetime = updated_at_field()
