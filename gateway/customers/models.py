"""Customers' credentials and their invitations, in the ``gateway`` schema.

An account is ``pending`` while its registration is under way (the username is reserved, the customer
not yet created in the customer service) and ``active`` once it is linked to its customer. A
pending row older than a few minutes was left by a registration that never finished (a crashed
gateway) and is replaced by the next registration of the same username.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Text,
    UniqueConstraint,
    text,
)
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class AccountState(StrEnum):
    PENDING = "pending"
    ACTIVE = "active"


class CustomerAccount(Table, table=True):
    __tablename__ = "customer_account"
    __table_args__ = (
        Index("uq_customer_account_username", text("lower(username)"), unique=True),
        UniqueConstraint("customer_id", name="uq_customer_account_customer_id"),
        CheckConstraint("state IN ('pending', 'active')", name="state_known"),
        CheckConstraint("state = 'pending' OR customer_id IS NOT NULL", name="active_has_customer"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    customer_id: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    username: str = Field(sa_column=Column(Text, nullable=False))
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    state: str = Field(
        default=AccountState.PENDING.value, sa_column=Column(Text, nullable=False, server_default=text("'pending'"))
    )
    tokens_valid_after: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class CustomerInvitation(Table, table=True):
    """A staff member's one-use link for an existing customer to set a password; kept as its SHA-256."""

    __tablename__ = "customer_invitation"
    __table_args__ = (Index("ix_customer_invitation_customer_id", "customer_id"),)

    token_hash: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    customer_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    created_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=True)
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)


class ErasedCustomer(Table, table=True):
    """A customer erased everywhere, by id alone: every access token of theirs issued before ``erased_at``
    is refused by every gateway process (the revocation store), though their account is gone."""

    __tablename__ = "erased_customer"

    customer_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    erased_at: datetime = timestamp_field()
