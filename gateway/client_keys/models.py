"""The mobile apps' payload keys (each secret wrapped by the key-encryption key), in the ``gateway`` schema."""

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, ForeignKey, Identity, Index, LargeBinary, Text, text
from sqlmodel import Field

from gateway.base import Table, timestamp_field


class ClientKey(Table, table=True):
    __tablename__ = "client_key"
    __table_args__ = (
        CheckConstraint("length(client) BETWEEN 1 AND 200", name="client_length"),
        CheckConstraint("scheme IN ('gcm', 'legacy')", name="known_scheme"),
        Index("ix_client_key_active_client", "client", postgresql_where=text("retired_at IS NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    kid: str = Field(sa_column=Column(Text, nullable=False, unique=True))
    client: str = Field(sa_column=Column(Text, nullable=False))
    scheme: str = Field(sa_column=Column(Text, nullable=False))
    wrapped_secret: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_by: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("gateway.staff_user.id"), nullable=True)
    )
    created_at: datetime = timestamp_field()
    retired_at: datetime | None = timestamp_field(nullable=True)


class PayloadNonce(Table, table=True):
    """A sealed payload's nonce, kept while its timestamp is inside the replay window."""

    __tablename__ = "payload_nonce"
    __table_args__ = (Index("ix_payload_nonce_ts", "ts"),)

    kid: str = Field(sa_column=Column(Text, primary_key=True))
    nonce: bytes = Field(sa_column=Column(LargeBinary, primary_key=True))
    ts: int = Field(sa_column=Column(BigInteger, nullable=False))
