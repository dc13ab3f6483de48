"""Privacy requests: each export and erasure, kept as its audit record (no personal data in it)."""

from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Identity, Index, String, Text, Uuid, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from services.customer.base import Table, created_at_field


class PrivacyRequest(Table, table=True):
    """One export or erasure of one customer: who asked, when, the outcome.

    An erasure row is also the customer's tombstone: the customer service refuses to give an erased
    customer personal data again (an update, a re-import), and ``event_id`` is the ``customer.erased``
    event the other services apply. An export keeps its ``document`` until the retention ends.
    """

    __tablename__ = "privacy_request"
    __table_args__ = (
        CheckConstraint("kind in ('export', 'erasure')", name="kind_known"),
        CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name="state_known"),
        Index("uq_privacy_request_erasure", "customer_id", unique=True, postgresql_where=text("kind = 'erasure'")),
        Index("ix_privacy_request_customer_id", "customer_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    kind: str = Field(sa_column=Column(String(16), nullable=False))
    customer_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    requested_by: str = Field(sa_column=Column(String(200), nullable=False))
    state: str = Field(default="queued", sa_column=Column(String(16), nullable=False, server_default="queued"))
    outcome: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    event_id: UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    document: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONB, nullable=True))
    requested_at: datetime = created_at_field()
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
