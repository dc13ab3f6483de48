"""The transactional outbox: an event is written in the same transaction as the change it announces."""

import functools
import json
import uuid
from collections.abc import Sequence
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
    column,
    delete,
    func,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import TextualSelect

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
        (envelope,) = await self.add_many(
            session, [payload], aggregate_ids=None if aggregate_id is None else [aggregate_id], occurred_at=occurred_at
        )
        return envelope

    async def add_many(
        self,
        session: AsyncSession,
        payloads: Sequence[EventPayload],
        *,
        aggregate_ids: Sequence[str] | None = None,
        occurred_at: datetime | None = None,
    ) -> list[Envelope]:
        """Record several events at once, in this order, as ``add`` would one by one.

        One statement, one round trip: it counts the events of each aggregate, moves each
        aggregate's sequence on by that many (upserts in aggregate order, so concurrent writers
        lock sequence rows in one global order), and inserts the outbox rows in the order given,
        each aggregate's events numbered consecutively.
        """
        if not payloads:
            return []
        parameters, ids, aggregates, when = self.parameters(
            payloads, aggregate_ids=aggregate_ids, occurred_at=occurred_at
        )
        dumped = [json.loads(payload) for payload in parameters["payloads"]]
        rows = await session.execute(self._add_statement, parameters)
        seqs = {row.event_id: int(row.seq) for row in rows}
        return [
            Envelope(
                id=event_id,
                type=payload.event_type,
                version=payload.version,
                occurred_at=when,
                aggregate_id=aggregate,
                seq=seqs[event_id],
                payload=data,
            )
            for event_id, payload, aggregate, data in zip(ids, payloads, aggregates, dumped, strict=True)
        ]

    def parameters(
        self,
        payloads: Sequence[EventPayload],
        *,
        aggregate_ids: Sequence[str] | None = None,
        occurred_at: datetime | None = None,
    ) -> tuple[dict[str, Any], list[uuid.UUID], list[str], datetime]:
        """The bound values of ``statement_with`` for these events, and their ids, aggregates and time."""
        for payload in payloads:
            if type(payload) not in self.catalog:
                raise ValueError(f"{type(payload).__name__} is not listed in the {self.service!r} event catalog")
        aggregates = list(aggregate_ids) if aggregate_ids is not None else [p.aggregate_id() for p in payloads]
        if len(aggregates) != len(payloads):
            raise ValueError("one aggregate id per payload")
        when = occurred_at or utcnow()
        ids = [uuid.uuid4() for _ in payloads]
        parameters = {
            "event_ids": ids,
            "types": [p.event_type for p in payloads],
            "versions": [p.version for p in payloads],
            "subjects": [self.catalog.subject(p.event_type) for p in payloads],
            "aggregates": aggregates,
            "occurred": [when] * len(payloads),
            "payloads": [p.model_dump_json() for p in payloads],  # as model_dump(mode="json") would give
        }
        return parameters, ids, aggregates, when

    @functools.cached_property
    def _add_statement(self) -> TextualSelect:
        """The one statement of ``add_many``: arrays in, so its text (and prepared plan) never varies."""
        return text(self.statement_with(result="SELECT event_id, seq FROM announced")).columns(
            column("event_id", Uuid), column("seq", BigInteger)
        )

    def statement_with(self, *, ctes: str = "", result: str) -> str:
        """SQL that records the events bound by ``parameters`` after the writes in ``ctes`` (``name AS (...),``).

        A caller whose own writes fit in one statement puts them in ``ctes`` and its events land in
        the same round trip; ``result`` is the statement's final ``SELECT`` (the outbox rows are in
        ``announced``). Events are numbered per aggregate as ``add_many`` describes.
        """
        outbox, sequence = self.tables.outbox.fullname, self.tables.sequence.fullname
        return f"""
            WITH {ctes}
            event AS (
                SELECT e.*, count(*) OVER (PARTITION BY e.aggregate_id) AS n,
                       row_number() OVER (PARTITION BY e.aggregate_id ORDER BY e.ord) AS k
                FROM unnest(
                    CAST(:event_ids AS uuid[]), CAST(:types AS text[]), CAST(:versions AS integer[]),
                    CAST(:subjects AS text[]), CAST(:aggregates AS text[]), CAST(:occurred AS timestamptz[]),
                    CAST(:payloads AS text[])
                ) WITH ORDINALITY AS e (event_id, type, version, subject, aggregate_id, occurred_at, payload, ord)
            ),
            counted AS (
                SELECT aggregate_id, count(*) AS n FROM event GROUP BY aggregate_id
            ),
            moved AS (
                INSERT INTO {sequence} AS s (aggregate_id, last_seq)
                SELECT aggregate_id, n FROM counted ORDER BY aggregate_id
                ON CONFLICT (aggregate_id) DO UPDATE SET last_seq = s.last_seq + excluded.last_seq
                RETURNING s.aggregate_id, s.last_seq
            ),
            announced AS (
                INSERT INTO {outbox} (event_id, type, version, subject, aggregate_id, seq, occurred_at, payload)
                SELECT e.event_id, e.type, e.version, e.subject, e.aggregate_id, m.last_seq - e.n + e.k,
                       e.occurred_at, CAST(e.payload AS jsonb)
                FROM event AS e JOIN moved AS m ON m.aggregate_id = e.aggregate_id
                ORDER BY e.ord
                RETURNING event_id, seq
            )
            {result}
            """


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
