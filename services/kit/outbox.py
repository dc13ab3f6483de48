"""The transactional outbox: an event is written in the same transaction as the change it announces."""

import functools
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from types import UnionType
from typing import Any, Union, get_args, get_origin

from pydantic import BaseModel
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
from services.kit.events import BatchPayload, Envelope, EventCatalog, EventPayload

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


@dataclass(frozen=True)
class BoundEvents:
    """Events bound as arrays by ``Outbox.parameters``: payloads serialised from their models in Python."""

    occurred_at: str = "CAST(:occurred_at AS timestamptz)"
    """Their time, for events of the same statement selected by SQL that should share it."""


BOUND = BoundEvents()


@dataclass(frozen=True)
class SelectedEvents:
    """Events selected by SQL: one per row of ``relation`` (a CTE's name, or a SELECT in parentheses).

    Its rows have a ``payload`` (jsonb, built with ``payload_sql``), a ``key`` (the id of the event's
    aggregate, the value of the payload's aggregate field, e.g. ``p.id`` for ``purchase_id``), an
    ``ord`` (an integer fixing their order) and, when more than one event type may appear, a
    ``type``. Type, version, subject and the aggregate id's prefix come from the contract classes.
    (The key is a column of its own because reading it back out of the payload would make
    PostgreSQL build the payload twice.)
    """

    relation: str
    types: tuple[type[EventPayload], ...]
    occurred_at: str = "now()"


def selected(relation: str, *types: type[EventPayload], occurred_at: str = "now()") -> SelectedEvents:
    """The events of ``types`` that ``relation`` selects (see ``SelectedEvents``)."""
    if not types:
        raise ValueError("name the event type(s) the relation selects")
    return SelectedEvents(relation, types, occurred_at)


EventSource = BoundEvents | SelectedEvents


class Outbox:
    """A service's outbox: ``await outbox.add(session, PurchaseRecorded(...))`` inside its transaction.

    Every writer of outbox rows goes through ``statement``: ``add``/``add_many`` (bound events,
    standalone), a hot route's own statement (bound events after its CTEs) and set-based loaders
    (SQL-selected events, payloads built by ``payload_sql``).
    """

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
        """Record several events at once, in this order, as ``add`` would one by one (see ``statement``)."""
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
        """The bound values of ``BOUND`` for these events, and their ids, aggregates and time."""
        for payload in payloads:
            self._check_listed(type(payload))
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
            "occurred_at": when,
            "payloads": [p.model_dump_json() for p in payloads],  # as model_dump(mode="json") would give
        }
        return parameters, ids, aggregates, when

    @functools.cached_property
    def _add_statement(self) -> TextualSelect:
        """The one statement of ``add_many``: arrays in, so its text (and prepared plan) never varies."""
        return text(self.statement(BOUND, result="SELECT event_id, seq FROM announced")).columns(
            column("event_id", Uuid), column("seq", BigInteger)
        )

    def statement(
        self,
        *sources: EventSource,
        ctes: Sequence[str] = (),
        result: str | None = None,
        created: bool = False,
    ) -> str:
        """SQL writing the events of ``sources`` to the outbox, after the caller's own ``ctes`` (``name AS (...)``).

        Events are written in the order of ``sources``, then of their ``ord``. Each aggregate's
        events get the next seqs of its ``event_sequence`` row, consecutive: the rows are upserted
        in aggregate order (so concurrent writers lock them in one global order) and the outbox
        ids follow seq order. With ``created``, every aggregate is new and has one event here: its
        sequence row is inserted plainly at 1 (a second event would be an error, never a silent
        second seq 1). Without ``result`` the statement ends with the outbox insert (its row count
        is the events written); with one, the outbox rows are in ``announced`` (``event_id``,
        ``seq``) and ``result`` is the statement's final ``SELECT``.
        """
        if not sources:
            raise ValueError("no events to write")
        if sum(isinstance(source, BoundEvents) for source in sources) > 1:
            raise ValueError("one statement binds one set of events")
        events = "\n            UNION ALL\n".join(self._source(part, source) for part, source in enumerate(sources, 1))
        outbox, sequence = self.tables.outbox.fullname, self.tables.sequence.fullname
        columns = "event_id, type, version, subject, aggregate_id, seq, occurred_at, payload"
        if created:
            steps = [
                f"outbox_event AS ({events})",
                f"""outbox_sequence AS (
                INSERT INTO {sequence} (aggregate_id, last_seq) SELECT aggregate_id, 1 FROM outbox_event
            )""",
            ]
            insert = f"""INSERT INTO {outbox} ({columns})
            SELECT event_id, type, version, subject, aggregate_id, 1, occurred_at, payload
            FROM outbox_event ORDER BY part, ord"""
        else:
            steps = [
                f"""outbox_event AS (
                SELECT e.*, count(*) OVER (PARTITION BY e.aggregate_id) AS n,
                       row_number() OVER (PARTITION BY e.aggregate_id ORDER BY e.part, e.ord) AS k
                FROM ({events}) AS e
            )""",
                "outbox_count AS (SELECT aggregate_id, count(*) AS n FROM outbox_event GROUP BY aggregate_id)",
                f"""outbox_sequence AS (
                INSERT INTO {sequence} AS s (aggregate_id, last_seq)
                SELECT aggregate_id, n FROM outbox_count ORDER BY aggregate_id
                ON CONFLICT (aggregate_id) DO UPDATE SET last_seq = s.last_seq + excluded.last_seq
                RETURNING s.aggregate_id, s.last_seq
            )""",
            ]
            insert = f"""INSERT INTO {outbox} ({columns})
            SELECT e.event_id, e.type, e.version, e.subject, e.aggregate_id, m.last_seq - e.n + e.k,
                   e.occurred_at, e.payload
            FROM outbox_event AS e JOIN outbox_sequence AS m ON m.aggregate_id = e.aggregate_id
            ORDER BY e.part, e.ord"""
        if result is None:
            final = insert
        else:
            steps.append(f"announced AS (\n            {insert}\n            RETURNING event_id, seq\n        )")
            final = result
        separator = ",\n        "
        return f"WITH {separator.join([*ctes, *steps])}\n        {final}\n"

    def batch(
        self,
        model: type[BatchPayload],
        items: str,
        *,
        import_id: str,
        ctes: Sequence[str] = (),
        chunk_items: int = 1000,
        chunk_weight: int | None = None,
    ) -> str:
        """SQL announcing the new aggregates ``items`` selects in ``model`` events, after the caller's ``ctes``.

        ``items`` (a CTE's name or a SELECT in parentheses) has a row per new aggregate: ``key`` (its
        id), ``ord`` (an integer fixing the order), ``item`` (built by ``item_sql``) and, with
        ``chunk_weight``, a ``weight`` (a bill's lines, say). The rows are cut, in ``ord`` order, into
        chunks of at most ``chunk_items`` items and, roughly, ``chunk_weight`` weight (a chunk is
        closed once it holds that much; a single heavier item is a chunk of its own), one event each,
        the next seqs of the import's aggregate ``import:<import_id>``. Every item's aggregate gets
        its ``event_sequence`` row at 1, as if its own creation event had been written. The
        statement's row count is the events written.
        """
        sequence = self.tables.sequence.fullname
        member = _literal(f"{model.item.aggregate}:")
        window = "OVER (ORDER BY s.ord, s.key ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)"
        by_weight = f"(CAST(sum(s.weight) {window} AS bigint) - 1) / {int(chunk_weight)}" if chunk_weight else "0"
        steps = [
            f"""batch_item AS (
            SELECT s.key, s.ord, s.item, (row_number() {window} - 1) / {int(chunk_items)} AS by_count,
                   {by_weight} AS by_weight
            FROM {items} AS s
        )""",
            f"""batch_member AS (
            INSERT INTO {sequence} (aggregate_id, last_seq) SELECT {member} || key, 1 FROM batch_item
        )""",
            f"""batch_chunk AS (
            SELECT row_number() OVER (ORDER BY by_count, by_weight) AS ord,
                   CAST({_literal(json.dumps(model.layout()))} AS jsonb)
                   || jsonb_build_object('import_id', CAST({import_id} AS bigint),
                                         'items', jsonb_agg(item ORDER BY ord, key)) AS payload
            FROM batch_item GROUP BY by_count, by_weight
        )""",
        ]
        relation = f"(SELECT CAST(CAST({import_id} AS bigint) AS text) AS key, ord, payload FROM batch_chunk)"
        return self.statement(selected(relation, model), ctes=[*ctes, *steps])

    def _source(self, part: int, source: EventSource) -> str:
        """One source's events as rows of ``outbox_event``: part, ord, and the outbox columns but seq."""
        if isinstance(source, BoundEvents):
            return f"""SELECT {part} AS part, e.ord, e.event_id, e.type, e.version, e.subject, e.aggregate_id,
                   {source.occurred_at} AS occurred_at, CAST(e.payload AS jsonb) AS payload
            FROM unnest(
                CAST(:event_ids AS uuid[]), CAST(:types AS text[]), CAST(:versions AS integer[]),
                CAST(:subjects AS text[]), CAST(:aggregates AS text[]), CAST(:payloads AS text[])
            ) WITH ORDINALITY AS e (event_id, type, version, subject, aggregate_id, payload, ord)"""
        for event_type in source.types:
            self._check_listed(event_type)
        head = f"SELECT {part} AS part, CAST(s.ord AS bigint) AS ord, gen_random_uuid() AS event_id"
        tail = f"{source.occurred_at} AS occurred_at, s.payload"
        if len(source.types) == 1:
            (event_type,) = source.types
            return f"""{head}, {_literal(event_type.event_type)} AS type, {event_type.version} AS version,
                   {_literal(self.catalog.subject(event_type.event_type))} AS subject,
                   {_literal(_aggregate_prefix(event_type))} || s.key AS aggregate_id, {tail}
            FROM {source.relation} AS s"""
        # A type the list lacks finds no subject and is refused by the outbox's NOT NULL, never dropped.
        kinds = ", ".join(
            f"({_literal(t.event_type)}, {t.version}, {_literal(self.catalog.subject(t.event_type))}, "
            f"{_literal(_aggregate_prefix(t))})"
            for t in source.types
        )
        return f"""{head}, s.type, k.version, k.subject, k.prefix || s.key AS aggregate_id, {tail}
            FROM {source.relation} AS s
            LEFT JOIN (VALUES {kinds}) AS k (type, version, subject, prefix) ON k.type = s.type"""

    def _check_listed(self, event_type: type[EventPayload]) -> None:
        if event_type not in self.catalog:
            raise ValueError(f"{event_type.__name__} is not listed in the {self.service!r} event catalog")


def _aggregate_prefix(event_type: type[EventPayload]) -> str:
    """What an event's aggregate id starts with, before its key (as ``EventPayload.aggregate_id`` writes it)."""
    return f"{event_type.aggregate}:"


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _field_values(
    model: type[BaseModel], fields: dict[str, str], order: Sequence[str] | None = None
) -> list[tuple[str, str]]:
    """Each field's SQL encoded as pydantic's JSON mode would, in ``order`` (default: the model's)."""
    declared = model.model_fields
    missing = [name for name in declared if name not in fields]
    unknown = [name for name in fields if name not in declared]
    if missing or unknown:
        raise ValueError(
            f"the SQL of {model.__name__} must give exactly its fields: "
            f"missing {missing or 'none'}, unknown {unknown or 'none'}"
        )
    return [(name, _json_value(declared[name].annotation, fields[name])) for name in order or declared]


def payload_sql(model: type[BaseModel], **fields: str) -> str:
    """SQL building ``model``'s JSON (``jsonb_build_object``) from one SQL expression per field.

    Refuses a mapping that misses a field of the model or names one it lacks, when it is built (at
    import, for a module's statements), so a field added to a contract breaks every SQL writer of
    it until it gives the field. Values are encoded as pydantic's JSON mode does: decimals as
    strings, dates and UTC datetimes in ISO 8601; a nested model or list must be given as jsonb.
    """
    pairs = [f"{_literal(name)}, {value}" for name, value in _field_values(model, fields)]
    # jsonb_build_object takes at most 100 arguments: a bigger model is built in parts and merged.
    parts = [f"jsonb_build_object({', '.join(pairs[i : i + 50])})" for i in range(0, len(pairs), 50)]
    return parts[0] if len(parts) == 1 else "(" + " || ".join(parts) + ")"


def row_sql(model: type[BaseModel], order: Sequence[str] | None = None, **fields: str) -> str:
    """SQL building ``model`` as a compact JSON array, its values in ``order`` (default: the model's fields).

    The same checks and encoding as ``payload_sql``: a batch event's item, or one of its parts.
    """
    values = [value for _, value in _field_values(model, fields, order)]
    return f"jsonb_build_array({', '.join(values)})"


def item_sql(batch: type[BatchPayload], **fields: str) -> str:
    """SQL building one item of a ``batch`` event: the single event's fields, in the batch's ``fields`` order."""
    return row_sql(batch.item, batch.item_fields(), **fields)


_ISO_UTC = (
    "to_char({0} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS')"
    " || CASE WHEN CAST(extract(microseconds FROM {0}) AS bigint) % 1000000 = 0 THEN ''"
    " ELSE to_char({0} AT TIME ZONE 'UTC', '.US') END || 'Z'"
)


def _json_value(annotation: Any, expression: str) -> str:
    """``expression`` encoded for a field of this annotation as pydantic's JSON mode encodes it."""
    kinds = set(get_args(annotation)) - {type(None)} if get_origin(annotation) in (Union, UnionType) else {annotation}
    value = f"({expression})"
    if kinds == {Decimal}:
        return f"CAST({value} AS text)"
    if kinds == {datetime}:
        return f"({_ISO_UTC.format(value)})"
    if kinds == {date}:
        return f"to_char({value}, 'YYYY-MM-DD')"
    return value


def envelope_of(row: Any, payload: dict[str, Any] | None = None) -> Envelope:
    """The envelope of an outbox row (with ``payload`` instead of the row's when given)."""
    return Envelope(
        id=row.event_id,
        type=row.type,
        version=row.version,
        occurred_at=row.occurred_at,
        aggregate_id=row.aggregate_id,
        seq=row.seq,
        payload=row.payload if payload is None else payload,
    )


_EMPTY_PAYLOAD = b'"payload":{}}'


def envelope_bytes(row: Any) -> bytes:
    """The envelope of an outbox row whose ``payload`` was read as text, as the relay publishes it.

    The payload's text goes in as PostgreSQL keeps it, never decoded: a batch event of 1,000 bills
    is one string here rather than some hundred thousand Python objects. The same bytes each time.
    """
    head = envelope_of(row, payload={}).model_dump_json()
    payload: str = row.payload_text
    return head.encode().removesuffix(_EMPTY_PAYLOAD) + b'"payload":' + payload.encode() + b"}"


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
