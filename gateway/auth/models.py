"""Staff users and their refresh-token families, in the ``gateway`` schema.

A family is one sign-in (of a staff user, or of a customer's account): each refresh replaces its
token with a new one, and the family's ``revoked_at`` (sign-out, a reused refresh token) ends it and
every access token it issued. A user's ``tokens_valid_after`` ends every token issued before it (a
new password, changed roles).
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Identity,
    Index,
    LargeBinary,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class StaffRole(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    CLERK = "clerk"
    ANALYST = "analyst"


_ROLES_SQL = ", ".join(f"'{role.value}'" for role in StaffRole)


class StaffUser(Table, table=True):
    __tablename__ = "staff_user"
    __table_args__ = (
        Index("uq_staff_user_email", text("lower(email)"), unique=True),
        CheckConstraint(f"roles <@ ARRAY[{_ROLES_SQL}]::text[]", name="roles_known"),
        CheckConstraint("length(email) BETWEEN 3 AND 320", name="email_length"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    email: str = Field(sa_column=Column(Text, nullable=False))
    display_name: str = Field(sa_column=Column(Text, nullable=False))
    roles: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default=text("'{}'::text[]"))
    )
    active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False, server_default=text("true")))
    password_hash: str = Field(sa_column=Column(Text, nullable=False))
    tokens_valid_after: datetime | None = timestamp_field(nullable=True)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()


class RefreshFamily(Table, table=True):
    __tablename__ = "refresh_family"
    __table_args__ = (
        Index("ix_refresh_family_revoked_at", "revoked_at"),
        Index("ix_refresh_family_customer_account_id", "customer_account_id"),
        CheckConstraint("(user_id IS NULL) <> (customer_account_id IS NULL)", name="one_holder"),
    )

    id: uuid.UUID = Field(sa_column=Column(UUID(as_uuid=True), primary_key=True))
    # A staff user's sign-in, or a customer's (``gateway.customers``): exactly one is set.
    user_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=True)
    )
    customer_account_id: int | None = Field(
        default=None,
        sa_column=Column(BigInteger, ForeignKey("gateway.customer_account.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    revoked_at: datetime | None = timestamp_field(nullable=True)


class RefreshToken(Table, table=True):
    """One refresh token of a family, kept as the SHA-256 of its value; ``used_at`` once it was exchanged."""

    __tablename__ = "refresh_token"
    __table_args__ = (Index("ix_refresh_token_family_id", "family_id"),)

    token_hash: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    family_id: uuid.UUID = Field(
        sa_column=Column(UUID(as_uuid=True), ForeignKey("gateway.refresh_family.id"), nullable=False)
    )
    created_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)
