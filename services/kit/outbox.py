"""The transactional outbox: an event is written in the same transaction as the change it announces."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Identity,
    Index,
    Integer,
    MetaData,
    Table,
    Text,
    Uuid,
    delete,
    func,
    select,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.clock import utcnow
from services.kit.events import Envelope, EventCatalog, EventPayload

OUTBOX_TABLE = "event_outbox"
SEQUENCE_TABLE = "event_sequence"


@dataclass(frozen=True)
class OutboxTables:
    outbox: Table
    sequence: Table


def outbox_tables(metadata: MetaData) -> OutboxTables:
    """Define ``event_outbox`` and ``event_sequence`` in a service's metadata, hence in its schema."""
    outbox = Table(
        OUTBOX_TABLE,
        metadata,
        # Identity order is publish order; within one aggregate it is also seq order (see ``add``).
        Column("id", BigInteger, Identity(), primary_key=True),
        Column("event_id", Uuid, nullable=False, unique=True),
        Column("type", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("subject", Text, nullable=False),
        Column("aggregate_id", Text, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("payload", JSONB, nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("sent_at", DateTime(timezone=True), nullable=True),
    )
    # The relay only ever scans unsent rows: keep that index tiny however long the history gets.
    Index(f"ix_{OUTBOX_TABLE}_unsent", outbox.c.id, postgresql_where=outbox.c.sent_at.is_(None))
    sequence = Table(
        SEQUENCE_TABLE,
        metadata,
        Column("aggregate_id", Text, primary_key=True),
        Column("last_seq", BigInteger, nullable=False),
    )
    return OutboxTables(outbox=outbox, sequence=sequence)


class Outbox:
    """A service's outbox: ``await outbox.add(session, PurchaseRecorded(...))`` inside its transaction."""

    def __init__(self, catalog: EventCatalog, tables: OutboxTables) -> None:
        self.catalog = catalog
        self.tables = tables

    @property
    def service(self) -> str:
        return self.catalog.service

    async def add(
        self,
        session: AsyncSession,
        payload: EventPayload,
        *,
        aggregate_id: str | None = None,
        occurred_at: datetime | None = None,
    ) -> Envelope:
        """Record ``payload`` as the next event of its aggregate, in the caller's transaction.

        Never publishes: the relay does, after the caller commits. The sequence upsert takes a row
        lock held until commit, so two writers of one aggregate are serialised and the one that
        commits first also has the lower seq and the lower outbox id.
        """
        if type(payload) not in self.catalog:
            raise ValueError(f"{type(payload).__name__} is not listed in the {self.service!r} event catalog")
        aggregate = aggregate_id if aggregate_id is not None else payload.aggregate_id()
        seq = await next_seq(session, self.tables, aggregate)
        envelope = Envelope(
            id=uuid.uuid4(),
            type=payload.event_type,
            version=payload.version,
            occurred_at=occurred_at or utcnow(),
            aggregate_id=aggregate,
            seq=seq,
            payload=payload.model_dump(mode="json"),
        )
        await session.execute(
            self.tables.outbox.insert().values(
                event_id=envelope.id,
                type=envelope.type,
                version=envelope.version,
                subject=self.catalog.subject(envelope.type),
                aggregate_id=envelope.aggregate_id,
                seq=envelope.seq,
                occurred_at=envelope.occurred_at,
                payload=envelope.payload,
            )
        )
        return envelope


async def next_seq(session: AsyncSession, tables: OutboxTables, aggregate_id: str) -> int:
    """1 for an aggregate's first event, then one more each time (the row stays locked until commit)."""
    seq_table = tables.sequence
    statement = (
        insert(seq_table)
        .values(aggregate_id=aggregate_id, last_seq=1)
        .on_conflict_do_update(
            index_elements=[seq_table.c.aggregate_id],
            set_={"last_seq": seq_table.c.last_seq + 1},
        )
        .returning(seq_table.c.last_seq)
    )
    return int((await session.execute(statement)).scalar_one())


def envelope_of(row: Any) -> Envelope:
    """The envelope of an outbox row, byte-for-byte the same each time it is (re)published."""
    return Envelope(
        id=row.event_id,
        type=row.type,
        version=row.version,
        occurred_at=row.occurred_at,
        aggregate_id=row.aggregate_id,
        seq=row.seq,
        payload=row.payload,
    )


async def backlog(session: AsyncSession, tables: OutboxTables) -> int:
    """How many events are committed but not yet acknowledged by the broker."""
    outbox = tables.outbox
    statement = select(func.count()).select_from(outbox).where(outbox.c.sent_at.is_(None))
    return int((await session.execute(statement)).scalar_one())


async def oldest_unsent_age(session: AsyncSession, tables: OutboxTables) -> float:
    """Seconds since the oldest unsent event occurred; 0 when the outbox is drained."""
    outbox = tables.outbox
    oldest = (
        select(outbox.c.occurred_at).where(outbox.c.sent_at.is_(None)).order_by(outbox.c.id).limit(1).scalar_subquery()
    )
    statement = select(func.coalesce(func.extract("epoch", func.clock_timestamp() - oldest), 0))
    return float((await session.execute(statement)).scalar_one())


async def last_publish_lag(session: AsyncSession, tables: OutboxTables) -> float | None:
    """Seconds between occurring and being acknowledged, for the newest sent event (None if none)."""
    outbox = tables.outbox
    statement = (
        select(func.extract("epoch", outbox.c.sent_at - outbox.c.occurred_at))
        .where(outbox.c.sent_at.is_not(None))
        # Walking the primary key backwards skips only the few unsent rows; sent_at has no index.
        .order_by(outbox.c.id.desc())
        .limit(1)
    )
    value = (await session.execute(statement)).scalar_one_or_none()
    return None if value is None else float(value)


async def purge_sent(session: AsyncSession, tables: OutboxTables, *, older_than: timedelta) -> int:
    """Delete sent rows older than ``older_than``: the stream, not the outbox, is the event history."""
    outbox = tables.outbox
    statement = delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < utcnow() - older_than)
    result = await session.execute(statement)
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
