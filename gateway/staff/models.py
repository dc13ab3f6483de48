"""One-use account links: an invitation to set a first password, or a password reset.

The link's token is random, shown once in the admin's reply and kept only as its SHA-256, like a
refresh token; ``used_at`` is set when it is redeemed, and a link past ``expires_at`` is refused.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Index, LargeBinary, Text
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class LinkPurpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


class AccountLink(Table, table=True):
    __tablename__ = "account_link"
    __table_args__ = (
        CheckConstraint("purpose IN ('invite', 'reset')", name="purpose_known"),
        Index("ix_account_link_user_id", "user_id"),
    )

    token_hash: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    user_id: int = Field(sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=False))
    purpose: str = Field(sa_column=Column(Text, nullable=False))
    created_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=True)
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime = timestamp_field()
    used_at: datetime | None = timestamp_field(nullable=True)
