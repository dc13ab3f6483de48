"""Partner API keys in the ``gateway`` schema: the SHA-256 of each key's secret, never the secret."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, LargeBinary, Text, text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class ApiKey(Table, table=True):
    __tablename__ = "api_key"
    __table_args__ = (
        CheckConstraint("length(name) BETWEEN 1 AND 200", name="name_length"),
        CheckConstraint("cardinality(scopes) > 0", name="has_scopes"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    name: str = Field(sa_column=Column(Text, nullable=False))
    prefix: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    secret_hash: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    scopes: list[str] = Field(
        default_factory=list, sa_column=Column(ARRAY(Text), nullable=False, server_default=text("'{}'::text[]"))
    )
    created_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=True)
    )
    created_at: datetime = timestamp_field()
    expires_at: datetime | None = timestamp_field(nullable=True)
    revoked_at: datetime | None = timestamp_field(nullable=True)
    last_used_at: datetime | None = timestamp_field(nullable=True)
