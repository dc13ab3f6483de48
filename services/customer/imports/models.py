"""Import jobs, and the custom attributes of imported records whose table has no column for them."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Identity, Index, String, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field

from services.customer.base import Table, created_at_field


class ImportJob(Table, table=True):
    __tablename__ = "import_job"
    __table_args__ = (
        CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name="state_known"),
        Index("ix_import_job_state_id", "state", "id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    preset: str = Field(sa_column=Column(String(64), nullable=False))
    state: str = Field(default="queued", sa_column=Column(String(16), nullable=False, server_default="queued"))
    files: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONB, nullable=False, server_default=text("'[]'::jsonb"))
    )
    options: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    rows_total: int | None = Field(default=None, sa_type=BigInteger)
    rows_done: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))
    report: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSONB, nullable=False, server_default=text("'{}'::jsonb"))
    )
    error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: str | None = None
    created_at: datetime = created_at_field()
    started_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))
    finished_at: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=True))


class ImportAttribute(Table, table=True):
    """Unmapped columns of an imported product, store or purchase (customers keep theirs in their row)."""

    __tablename__ = "import_attribute"
    __table_args__ = (CheckConstraint("entity in ('product', 'store', 'purchase')", name="entity_known"),)

    entity: str = Field(sa_column=Column(String(16), primary_key=True))
    entity_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    attributes: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    created_at: datetime = created_at_field()


class ImportOccurrence(Table, table=True):
    """How many rows of a running minimal-layout import said the same bill so far, kept while it runs.

    Counting here rather than in the loader keeps its memory flat however long the file: a few
    bytes of PostgreSQL per distinct bill instead. A job's rows are deleted when it starts and ends.
    """

    __tablename__ = "import_occurrence"

    import_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    number: str = Field(sa_column=Column(Text, primary_key=True))
    seen: int = Field(sa_column=Column(BigInteger, nullable=False))
