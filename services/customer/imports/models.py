"""Import jobs, the custom attributes of imported records whose table has no column for them, the customers
each import named and the rows it merged into one customer."""

from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
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


class ImportCustomer(Table, table=True):
    """A customer a batch of an import named, per file role: how many of its rows did, and the first.

    What a privacy export lists as the imports that named the customer; it holds ids and row numbers only,
    so it outlives the job's report (which quotes rows and is purged after the retention period). A row
    per batch, inserted and never updated, so batches loading at once never wait on each other here.
    """

    __tablename__ = "import_customer"
    __table_args__ = (Index("ix_import_customer_customer_id", "customer_id"),)

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    import_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("customer.import_job.id", ondelete="CASCADE"), nullable=False)
    )
    customer_id: int = Field(sa_column=Column(BigInteger, ForeignKey("customer.customer.id"), nullable=False))
    role: str = Field(sa_column=Column(String(32), nullable=False))
    rows: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_row: int = Field(sa_column=Column(BigInteger, nullable=False))


class CustomerMerge(Table, table=True):
    """Rows of a customers file a batch of an import merged into one customer because they carry its key.

    ``kept`` says which record stayed: ``created`` when this import created it from its first row
    naming the key (the later rows merged into it), ``existing`` when the customer was there before
    (every row merged into it). A row merged changes nothing in the record: the first one loaded wins.
    """

    __tablename__ = "customer_merge"
    __table_args__ = (
        CheckConstraint("kept in ('created', 'existing')", name="kept_known"),
        Index("ix_customer_merge_customer_id", "customer_id"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, Identity(), primary_key=True))
    import_id: int = Field(
        sa_column=Column(BigInteger, ForeignKey("customer.import_job.id", ondelete="CASCADE"), nullable=False)
    )
    customer_id: int = Field(sa_column=Column(BigInteger, ForeignKey("customer.customer.id"), nullable=False))
    matched_on: str = Field(sa_column=Column(String(32), nullable=False))
    kept: str = Field(sa_column=Column(String(16), nullable=False))
    merged_rows: list[int] = Field(sa_column=Column(ARRAY(BigInteger), nullable=False))
    merged_at: datetime = created_at_field()
