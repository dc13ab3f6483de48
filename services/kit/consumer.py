"""Event consumers: a durable JetStream pull consumer that applies events in batches, exactly once and in
per-aggregate order, keeping its inbox, positions and held events in the consumer's own schema.

A fetched batch is applied in one transaction: the positions of its aggregates are locked (in
aggregate order, so replicas never deadlock), events already applied are dropped, each aggregate's
next events run through typed handlers (one call per event type and version, with every such event
of the round), the inbox and positions move on, and what cannot be applied yet is *held* in a table
and acknowledged. An event is held when an earlier event of its aggregate has not arrived (a gap) or
when it, or an earlier event of its aggregate, has a version the consumer does not know (*parked*).
Held events are applied by the transaction that applies the event before them, or, for parked ones,
by a consumer that knows their version when it starts. Nothing waits on a timer and nothing is dropped.
"""

import asyncio
import contextlib
import json
import logging
import time
from collections import Counter, defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Generic, TypeVar
from uuid import UUID

import nats.errors
import nats.js.errors
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from prometheus_client import CollectorRegistry, Gauge, Histogram
from prometheus_client import Counter as Metric
from pydantic import TypeAdapter, ValidationError
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    Uuid,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.events import (
    BROKER_ERRORS,
    Envelope,
    EventPayload,
    batch_members,
    connect,
    ensure_stream,
    finish_loop,
    service_subjects,
    stream_config,
)

log = logging.getLogger("patron.consumer")

INBOX_TABLE = "event_inbox"
POSITION_TABLE = "aggregate_position"
HELD_TABLE = "event_held"
CONSUMER_ERRORS: tuple[type[BaseException], ...] = (*BROKER_ERRORS, nats.js.errors.Error)

P = TypeVar("P", bound=EventPayload)


@dataclass(frozen=True)
class InboxTables:
    inbox: Table
    position: Table
    held: Table


def inbox_tables(metadata: MetaData) -> InboxTables:
    """Define ``event_inbox``, ``aggregate_position`` and ``event_held`` in a service's metadata (its schema)."""
    inbox = Table(
        INBOX_TABLE,
        metadata,
        Column("consumer", Text, nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("applied_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "event_id"),
    )
    position = Table(
        POSITION_TABLE,
        metadata,
        Column("consumer", Text, nullable=False),
        Column("aggregate_id", Text, nullable=False),
        Column("last_seq", BigInteger, nullable=False),
        PrimaryKeyConstraint("consumer", "aggregate_id"),
    )
    held = Table(
        HELD_TABLE,
        metadata,
        Column("consumer", Text, nullable=False),
        Column("aggregate_id", Text, nullable=False),
        Column("seq", BigInteger, nullable=False),
        Column("event_id", Uuid, nullable=False),
        Column("type", Text, nullable=False),
        Column("version", Integer, nullable=False),
        Column("reason", Text, nullable=False),
        Column("envelope", JSONB, nullable=False),
        Column("held_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        PrimaryKeyConstraint("consumer", "aggregate_id", "seq"),
    )
    return InboxTables(inbox=inbox, position=position, held=held)


LAG_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21_600, 86_400)


def lag_histogram(name: str, description: str) -> Histogram:
    """Seconds from an event's ``occurred_at`` to its effect, per event type (unregistered: the app registers it)."""
    return Histogram(name, description, ["type"], buckets=LAG_BUCKETS, registry=None)


@dataclass(frozen=True)
class Event(Generic[P]):
    """One event as a handler sees it: its envelope's identity and its payload, typed."""

    id: UUID
    aggregate_id: str
    seq: int
    occurred_at: datetime
    payload: P


BatchHandler = Callable[[AsyncSession, Sequence[Event[P]]], Awaitable[None]]
"""A consumer's effect for one event type and version: runs in the transaction that records the events."""
AfterHandlers = Callable[[AsyncSession], Awaitable[None]]
"""A consumer's step after all of a batch's handlers, in the same transaction (``Consumer.after_handlers``)."""


class Outcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"  # the consumer handles no version of this type; its aggregate's position moves on
    DUPLICATE = "duplicate"  # already applied, or already held: a redelivery or a republish
    HELD = "held"  # an earlier event of its aggregate is missing or parked; applied after it
    PARKED = "parked"  # a version this consumer does not know; kept until a consumer that knows it runs


class Interest(StrEnum):
    HANDLED = "handled"
    IGNORED = "ignored"
    UNKNOWN_VERSION = "unknown_version"


class HoldReason(StrEnum):
    WAITING = "waiting"  # for an earlier event of its aggregate
    UNKNOWN_VERSION = "unknown_version"  # parked


@dataclass
class Plan:
    """What one batch does, decided from the positions and held events before anything is written."""

    apply: list[Envelope] = field(default_factory=list)  # each aggregate's events in seq order
    positions: dict[str, int] = field(default_factory=dict)  # aggregates whose position moves, to this seq
    hold: list[tuple[Envelope, HoldReason]] = field(default_factory=list)
    release: list[Envelope] = field(default_factory=list)  # held events applied now
    outcomes: list[Outcome] = field(default_factory=list)  # of the batch's own events, in their order


def plan_batch(
    events: Iterable[Envelope],
    positions: Mapping[str, int],
    held: Iterable[Envelope],
    interest: Callable[[str, int], Interest],
) -> Plan:
    """Apply each aggregate's next events in seq order, hold the rest; a pure function of its inputs.

    An aggregate's events are applied from ``positions[aggregate] + 1`` on, taking held and new
    events alike, until a seq is missing or an event's version is unknown. A new event at or below
    the position, or at a seq already held, is a duplicate. A batch event, once applied, puts each
    aggregate it announces at seq 1 (unless it is past it already), so that aggregate's events from
    seq 2 on apply right after it, in the same plan.
    """
    events = list(events)
    plan = Plan(outcomes=[Outcome.DUPLICATE] * len(events))
    kinds: dict[tuple[str, int], Interest] = {}

    def kind_of(envelope: Envelope) -> Interest:
        key = (envelope.type, envelope.version)
        kind = kinds.get(key)
        if kind is None:
            kind = kinds[key] = interest(*key)
        return kind

    # seq -> (envelope, index among ``events``, or None when it was held before this batch)
    candidates: dict[str, dict[int, tuple[Envelope, int | None]]] = defaultdict(dict)
    for envelope in held:
        candidates[envelope.aggregate_id][envelope.seq] = (envelope, None)
    for index, envelope in enumerate(events):
        known = candidates[envelope.aggregate_id]
        if envelope.seq > positions.get(envelope.aggregate_id, 0) and envelope.seq not in known:
            known[envelope.seq] = (envelope, index)
    reached = dict(positions)  # each aggregate's seq as this plan leaves it
    waiting = deque(candidates)
    while waiting:
        aggregate = waiting.popleft()
        known = candidates[aggregate]
        seq = reached.get(aggregate, 0) + 1
        while seq in known:
            envelope, slot = known[seq]
            kind = kind_of(envelope)
            if kind is Interest.UNKNOWN_VERSION:
                break
            del known[seq]
            plan.apply.append(envelope)
            if slot is None:
                plan.release.append(envelope)
            else:
                plan.outcomes[slot] = Outcome.APPLIED if kind is Interest.HANDLED else Outcome.IGNORED
            reached[aggregate] = seq
            for member in batch_members(envelope.payload):
                if reached.get(member, 0) == 0:
                    reached[member] = 1
                    waiting.append(member)
            seq += 1
    for aggregate, seq in reached.items():
        if seq > positions.get(aggregate, 0):
            plan.positions[aggregate] = seq
    for known in candidates.values():
        for envelope, slot in known.values():
            if slot is None:
                continue
            if kind_of(envelope) is Interest.UNKNOWN_VERSION:
                plan.hold.append((envelope, HoldReason.UNKNOWN_VERSION))
                plan.outcomes[slot] = Outcome.PARKED
            else:
                plan.hold.append((envelope, HoldReason.WAITING))
                plan.outcomes[slot] = Outcome.HELD
    return plan


def rounds(applied: Sequence[Envelope]) -> list[list[list[Envelope]]]:
    """Split applied events into rounds of same-type runs, so handlers never reorder an aggregate.

    An aggregate's consecutive events of one type and version fall in one round; its next run falls
    in the next round. The aggregates a batch event announces start in the round after it, so their
    next events are handled after their items. Within a round the events are grouped by type and
    version (one handler call each), every aggregate's events still in seq order.
    """
    announced = ("", -1)  # the run of an aggregate's batch item: never the key of a real event
    run_of: dict[str, tuple[int, tuple[str, int]]] = {}
    by_round: dict[int, dict[tuple[str, int], list[Envelope]]] = defaultdict(dict)
    for envelope in applied:
        key = (envelope.type, envelope.version)
        index, last_key = run_of.get(envelope.aggregate_id, (-1, ("", 0)))
        if key != last_key:
            index += 1
        run_of[envelope.aggregate_id] = (index, key)
        by_round[index].setdefault(key, []).append(envelope)
        for member in batch_members(envelope.payload):
            run_of.setdefault(member, (index, announced))
    return [list(by_round[index].values()) for index in sorted(by_round)]


class ConsumerMetrics:
    """Counters of every consumer of one process, in the app's registry."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else CollectorRegistry()
        self.events = Metric(
            "patron_consumer_events_total",
            "Events a consumer has handled, by outcome (applied, ignored, duplicate, held, parked).",
            ["consumer", "outcome"],
            registry=registry,
        )
        self.parked = Metric(
            "patron_consumer_parked_events_total",
            "Events parked because the consumer does not know their version, by type and version.",
            ["consumer", "type", "version"],
            registry=registry,
        )
        self.held = Gauge(
            "patron_consumer_held_events",
            "Events held by a consumer, by reason: waiting for an earlier event, or an unknown version.",
            ["consumer", "reason"],
            registry=registry,
        )
        self.batches = Metric(
            "patron_consumer_batches_total",
            "Batches applied, each in one transaction.",
            ["consumer"],
            registry=registry,
        )
        self.failures = Metric(
            "patron_consumer_failures_total",
            "Transactions that failed and were retried.",
            ["consumer"],
            registry=registry,
        )


@dataclass(frozen=True)
class _Registration:
    model: type[EventPayload]
    handler: BatchHandler[Any]
    payloads: TypeAdapter[list[Any]]  # validates a group's payloads in one call


class Consumer:
    """A named, durable consumer of the events of some services, applying each event exactly once.

    It filters whole services (``patron.<service>.>``), not single types: ``seq`` counts every event
    of an aggregate, so a consumer must see them all to know none is missing. Types it has no
    handler for are acknowledged and only move the aggregate's position.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        tables: InboxTables,
        *,
        name: str,
        nats_url: str,
        services: Sequence[str],
        stream: StreamConfig | None = None,
        batch_size: int = 1000,
        ack_wait: float = 30.0,
        fetch_timeout: float = 1.0,
        max_retry_delay: float = 30.0,
        release_interval: float = 30.0,
        concurrency: int = 2,
        metrics: ConsumerMetrics | None = None,
    ) -> None:
        if not services:
            raise ValueError("a consumer listens to at least one service")
        self.engine = engine
        self.tables = tables
        self.name = name
        self.nats_url = nats_url
        self.subjects = [service_subjects(service) for service in services]
        self.stream = stream or stream_config()
        self.batch_size = batch_size
        self.ack_wait = ack_wait
        self.fetch_timeout = fetch_timeout
        self.max_retry_delay = max_retry_delay
        self.release_interval = release_interval
        self.concurrency = concurrency
        self.metrics = metrics or ConsumerMetrics()
        self.counts: dict[Outcome, int] = dict.fromkeys(Outcome, 0)
        self.failures = 0
        self._handlers: dict[tuple[str, int], _Registration] = {}
        self._handled_types: set[str] = set()
        self._after_handlers: list[AfterHandlers] = []
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None
        self._sub: JetStreamContext.PullSubscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._statements = _Statements(tables)

    def handles(self, model: type[P]) -> Callable[[BatchHandler[P]], BatchHandler[P]]:
        """Register the handler of one event type and version: ``@consumer.handles(PurchaseRecorded)``.

        The handler gets the session of the batch's transaction and the batch's events of that
        type and version, in order (several events of one aggregate in seq order), payloads typed.
        """
        key = (model.event_type, model.version)

        def register(handler: BatchHandler[P]) -> BatchHandler[P]:
            if key in self._handlers:
                raise ValueError(f"consumer {self.name!r} already handles {key[0]!r} version {key[1]}")
            self._handlers[key] = _Registration(model, handler, TypeAdapter(list[model]))  # type: ignore[valid-type]
            self._handled_types.add(model.event_type)
            return handler

        return register

    def after_handlers(self, hook: AfterHandlers) -> AfterHandlers:
        """Register a step run once per batch transaction, after every handler of the batch has run.

        It gets the batch's session, so what it does commits or rolls back with the batch; it runs only
        when some handler ran (not for a batch of duplicates). Handlers leave it their work in
        ``session.info``.
        """
        self._after_handlers.append(hook)
        return hook

    def interest(self, event_type: str, version: int) -> Interest:
        if (event_type, version) in self._handlers:
            return Interest.HANDLED
        if event_type in self._handled_types:
            return Interest.UNKNOWN_VERSION
        return Interest.IGNORED

    async def apply(self, event: Envelope) -> Outcome:
        """Apply one event in its own transaction (a batch of one)."""
        return (await self.apply_batch([event]))[0]

    async def apply_batch(self, events: Sequence[Envelope], *, aggregates: Iterable[str] = ()) -> list[Outcome]:
        """Apply ``events`` in one transaction; also what is held for them or for ``aggregates``.

        Returns each given event's outcome, in their order. Raises if the transaction fails, leaving nothing done.
        """
        touched = {e.aggregate_id for e in events} | set(aggregates)
        announced = {member for envelope in events for member in batch_members(envelope.payload)} - touched
        if not touched:
            return []
        s = self._statements
        async with AsyncSession(self.engine, expire_on_commit=False) as session, session.begin():
            if announced:
                # An aggregate a batch event announces is planned like the others only if something of it
                # waits (held); the rest, nearly all, just move to seq 1 after the plan, without a read.
                waiting = await session.execute(s.waiting_among, {"consumer": self.name, "aggregates": list(announced)})
                touched |= set(waiting.scalars())
            positions: dict[str, int] = {}
            held: list[Envelope] = []
            # The aggregates announced by a held batch event are only known once it is read: a second step.
            while touched:
                ordered = sorted(touched)
                locked = await session.execute(s.lock_positions, {"consumer": self.name, "aggregates": ordered})
                positions.update((row.aggregate_id, int(row.last_seq)) for row in locked)
                found = [
                    Envelope.model_validate(row.envelope)
                    for row in await session.execute(s.held_of, {"consumer": self.name, "aggregates": ordered})
                ]
                held.extend(found)
                touched = {member for e in found for member in batch_members(e.payload)} - positions.keys()
            plan = plan_batch(events, positions, held, self.interest)
            await self._run_handlers(session, plan.apply)
            moved = [a for a in plan.positions if a in positions]
            if moved:
                await session.execute(
                    s.move_positions,
                    {"consumer": self.name, "aggregates": moved, "seqs": [plan.positions[a] for a in moved]},
                )
            # Announced aggregates with nothing waiting: seq 1 (an event of one held meanwhile by another
            # transaction is applied by ``release_held``, which finds it next in line).
            fresh = sorted(a for a in plan.positions if a not in positions)
            if fresh:
                await session.execute(s.announce_positions, {"consumer": self.name, "aggregates": fresh})
            if plan.release:
                await session.execute(
                    s.release,
                    {
                        "consumer": self.name,
                        "aggregates": [e.aggregate_id for e in plan.release],
                        "seqs": [e.seq for e in plan.release],
                    },
                )
            if plan.hold:
                await session.execute(s.hold, _hold_parameters(self.name, plan.hold))
        self._count(plan)
        return plan.outcomes

    async def release_held(self, *, chunk: int = 500) -> int:
        """Apply held events that have become applicable (a parked version this consumer now knows).

        Runs when the consumer starts and every ``release_interval`` seconds while idle; returns how
        many aggregates it looked at.
        """
        async with AsyncSession(self.engine) as session:
            rows = (await session.execute(self._statements.next_held, {"consumer": self.name})).all()
        ready = [
            row.aggregate_id for row in rows if self.interest(row.type, row.version) is not Interest.UNKNOWN_VERSION
        ]
        for start in range(0, len(ready), chunk):
            await self.apply_batch([], aggregates=ready[start : start + chunk])
        return len(ready)

    async def held(self) -> dict[HoldReason, int]:
        """How many events are held, by reason (a gauge at scrape time)."""
        async with AsyncSession(self.engine) as session:
            rows = (await session.execute(self._statements.held_counts, {"consumer": self.name})).all()
        counts = dict.fromkeys(HoldReason, 0)
        counts.update({HoldReason(row.reason): int(row.n) for row in rows})
        return counts

    async def handle_messages(self, messages: Sequence[Msg]) -> None:
        """Apply delivered messages in one transaction, then ack them; on failure, one by one.

        A message that fails alone is NAKed with a growing delay; the later events of its aggregate
        are held (and acked) meanwhile, and applied right after it.
        """
        envelopes: list[tuple[Msg, Envelope]] = []
        for msg in messages:
            try:
                envelopes.append((msg, Envelope.from_bytes(msg.data)))
            except ValidationError:
                # Redelivering bytes that are not an envelope can never succeed: drop it, loudly.
                log.error(
                    "consumer %s: dropping a message that is not an event envelope: %r", self.name, msg.data[:200]
                )
                await msg.term()
        if not envelopes:
            return
        try:
            await self.apply_batch([envelope for _, envelope in envelopes])
        except Exception:
            self._failed()
            if len(envelopes) > 1:
                log.warning(
                    "consumer %s: a batch of %d failed; applying its events one by one", self.name, len(envelopes)
                )
                for msg, envelope in envelopes:
                    await self._handle_one(msg, envelope)
                return
            msg, envelope = envelopes[0]
            await self._retry_later(msg, envelope)
            return
        # After the commit: a lost ack means a redelivery, which the positions turn into a no-op.
        await self._acknowledge([msg for msg, _ in envelopes])

    async def _handle_one(self, msg: Msg, envelope: Envelope) -> None:
        try:
            await self.apply_batch([envelope])
        except Exception:
            self._failed()
            await self._retry_later(msg, envelope)
            return
        await self._acknowledge([msg])

    async def _retry_later(self, msg: Msg, envelope: Envelope) -> None:
        delay = self._retry_delay(msg)
        log.exception(
            "consumer %s: %s %s (%s #%d) failed; retrying in %.1fs",
            self.name,
            envelope.type,
            envelope.id,
            envelope.aggregate_id,
            envelope.seq,
            delay,
        )
        await msg.nak(delay=delay)

    async def _acknowledge(self, messages: Sequence[Msg]) -> None:
        for msg in messages:
            await msg.ack()

    async def _run_handlers(self, session: AsyncSession, applied: Sequence[Envelope]) -> None:
        handled = [e for e in applied if (e.type, e.version) in self._handlers]
        if not handled:
            return
        inserted = await session.execute(
            self._statements.record_inbox, {"consumer": self.name, "event_ids": [e.id for e in handled]}
        )
        fresh = inserted.scalars().all()
        if len(fresh) < len(handled):  # some were applied before (a lost position): not again
            recorded = set(fresh)
            handled = [e for e in handled if e.id in recorded]
        for round_ in rounds(handled):
            for group in round_:
                registration = self._handlers[(group[0].type, group[0].version)]
                payloads = registration.payloads.validate_python([e.payload for e in group])
                batch = [
                    Event(e.id, e.aggregate_id, e.seq, e.occurred_at, payload)
                    for e, payload in zip(group, payloads, strict=True)
                ]
                await registration.handler(session, batch)
        for hook in self._after_handlers:
            await hook(session)

    def _count(self, plan: Plan) -> None:
        released = [
            Outcome.APPLIED if self.interest(e.type, e.version) is Interest.HANDLED else Outcome.IGNORED
            for e in plan.release
        ]
        for outcome, n in Counter(plan.outcomes + released).items():
            self.counts[outcome] += n
            self.metrics.events.labels(self.name, outcome.value).inc(n)
        self.metrics.batches.labels(self.name).inc()
        for envelope, reason in plan.hold:
            if reason is HoldReason.UNKNOWN_VERSION:
                self.metrics.parked.labels(self.name, envelope.type, str(envelope.version)).inc()
                log.warning(
                    "consumer %s: parked %s version %d (%s, %s #%d): no handler knows this version; "
                    "later events of %s wait behind it",
                    self.name,
                    envelope.type,
                    envelope.version,
                    envelope.id,
                    envelope.aggregate_id,
                    envelope.seq,
                    envelope.aggregate_id,
                )

    def _failed(self) -> None:
        self.failures += 1
        self.metrics.failures.labels(self.name).inc()

    async def start(self) -> None:
        """Run in the background (from the app lifespan); returns at once, even if the broker is down."""
        if self._task is not None:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.name}")

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the batch in hand (up to ``grace`` seconds), then disconnect; unacked ones are redelivered."""
        self._stopping.set()
        await finish_loop(self._task, grace)
        self._task = None
        await self._disconnect()

    async def pending(self) -> int:
        """Events in the stream this consumer has not finished: not yet delivered plus delivered but unacked."""
        js = await self._jetstream()
        info = await js.consumer_info(self.stream.name or "", self.name)
        return (info.num_pending or 0) + (info.num_ack_pending or 0)

    def consumer_config(self) -> ConsumerConfig:
        many = len(self.subjects) > 1
        return ConsumerConfig(
            durable_name=self.name,
            deliver_policy=DeliverPolicy.ALL,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self.ack_wait,
            # Never give up on an event: a poison event stalls its aggregate (and is logged) rather
            # than being skipped, which would silently diverge the projection.
            max_deliver=-1,
            max_ack_pending=max(1000, 2 * (self.concurrency + 1) * self.batch_size),
            filter_subject=None if many else self.subjects[0],
            filter_subjects=self.subjects if many else None,
        )

    def _retry_delay(self, msg: Msg) -> float:
        try:
            attempt = msg.metadata.num_delivered
        except (nats.errors.Error, AttributeError, ValueError, IndexError):
            attempt = 1
        return float(min(self.max_retry_delay, 0.5 * 2 ** max(attempt - 1, 0)))

    async def _jetstream(self) -> JetStreamContext:
        if self._nc is None or self._js is None:
            self._nc = await connect(self.nats_url, name=f"consumer-{self.name}")
            self._js = self._nc.jetstream()
        return self._js

    async def _subscription(self) -> JetStreamContext.PullSubscription:
        if self._sub is None:
            js = await self._jetstream()
            # The consumer may start before any relay ever ran: the stream must exist to bind to it.
            await ensure_stream(js, self.stream)
            self._sub = await js.pull_subscribe(
                self.subjects[0],
                durable=self.name,
                stream=self.stream.name,
                config=self.consumer_config(),
            )
        return self._sub

    async def _run(self) -> None:
        backoff = 0.1
        released_at = -float("inf")
        # The next batch is fetched while this one is applied: the broker and the database work at once.
        # Up to ``concurrency`` batches are applied at once, each in its own transaction: their events'
        # positions are locked in aggregate order, so two batches touching one aggregate take turns.
        fetching: asyncio.Task[list[Msg]] | None = None
        applying: set[asyncio.Task[None]] = set()
        try:
            while not self._stopping.is_set():
                try:
                    if time.monotonic() - released_at >= self.release_interval:
                        await self.release_held()
                        released_at = time.monotonic()
                    sub = await self._subscription()
                    current, fetching = fetching or self._fetch(sub), None
                    try:
                        messages = await current
                    except TimeoutError:  # nats-py raises its own or, when its deadline passes first, asyncio's
                        continue  # nothing new (or the broker is away: the client reconnects on its own)
                    if not self._stopping.is_set():
                        fetching = self._fetch(sub)
                    applying.add(asyncio.create_task(self.handle_messages(messages)))
                    if len(applying) >= self.concurrency:
                        _, applying = await asyncio.wait(applying, return_when=asyncio.FIRST_COMPLETED)
                    backoff = 0.1
                except CONSUMER_ERRORS as exc:
                    log.warning("consumer %s: broker unavailable (%r); retrying in %.1fs", self.name, exc, backoff)
                    await self._settle(fetching)
                    fetching = None
                    # Bind again: a broker that lost its store has lost the durable consumer too.
                    await self._drop_subscription()
                    await self._pause(backoff)
                    backoff = min(backoff * 2, 5.0)
                except Exception:
                    log.exception("consumer %s: fetch loop failed; retrying in %.1fs", self.name, backoff)
                    await self._settle(fetching)
                    fetching = None
                    await self._pause(backoff)
                    backoff = min(backoff * 2, 5.0)
        finally:
            if applying:
                await asyncio.wait(applying)
            await self._settle(fetching)

    def _fetch(self, sub: JetStreamContext.PullSubscription) -> "asyncio.Task[list[Msg]]":
        return asyncio.create_task(sub.fetch(self.batch_size, timeout=self.fetch_timeout))

    async def _settle(self, fetching: "asyncio.Task[list[Msg]] | None") -> None:
        """Let a fetch in flight finish and hand its messages back now, rather than after ``ack_wait``."""
        if fetching is None:
            return
        try:
            messages = await asyncio.shield(fetching)
        except asyncio.CancelledError:
            fetching.cancel()
            raise
        except Exception:  # a timeout (nothing came) or the broker went away: nothing to hand back
            return
        for msg in messages:
            with contextlib.suppress(*CONSUMER_ERRORS):
                await msg.nak()

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)

    async def _drop_subscription(self) -> None:
        sub, self._sub = self._sub, None
        if sub is not None:
            with contextlib.suppress(*CONSUMER_ERRORS):
                await sub.unsubscribe()

    async def _disconnect(self) -> None:
        await self._drop_subscription()
        nc, self._nc, self._js = self._nc, None, None
        if nc is not None and not nc.is_closed:
            with contextlib.suppress(*CONSUMER_ERRORS):
                await asyncio.wait_for(nc.close(), timeout=2)


def _hold_parameters(consumer: str, hold: Sequence[tuple[Envelope, HoldReason]]) -> dict[str, Any]:
    return {
        "consumer": consumer,
        "aggregates": [e.aggregate_id for e, _ in hold],
        "seqs": [e.seq for e, _ in hold],
        "event_ids": [e.id for e, _ in hold],
        "types": [e.type for e, _ in hold],
        "versions": [e.version for e, _ in hold],
        "reasons": [reason.value for _, reason in hold],
        "envelopes": [json.dumps(e.model_dump(mode="json")) for e, _ in hold],
    }


class _Statements:
    """The consumer's SQL, built once per table set: arrays in, so each text (and plan) never varies."""

    def __init__(self, tables: InboxTables) -> None:
        inbox, position, held = tables.inbox.fullname, tables.position.fullname, tables.held.fullname
        # The no-op update locks existing rows and returns them with the new ones, in aggregate order.
        self.lock_positions = text(f"""
            INSERT INTO {position} AS p (consumer, aggregate_id, last_seq)
            SELECT :consumer, a, 0 FROM unnest(CAST(:aggregates AS text[])) AS a ORDER BY a
            ON CONFLICT (consumer, aggregate_id) DO UPDATE SET last_seq = p.last_seq
            RETURNING p.aggregate_id, p.last_seq
        """)
        self.waiting_among = text(f"""
            SELECT DISTINCT aggregate_id FROM {held}
            WHERE consumer = :consumer AND aggregate_id = ANY(CAST(:aggregates AS text[]))
        """)
        self.announce_positions = text(f"""
            INSERT INTO {position} AS p (consumer, aggregate_id, last_seq)
            SELECT :consumer, a, 1 FROM unnest(CAST(:aggregates AS text[])) AS a ORDER BY a
            ON CONFLICT (consumer, aggregate_id) DO UPDATE SET last_seq = greatest(p.last_seq, 1)
        """)
        self.held_of = text(f"""
            SELECT envelope FROM {held}
            WHERE consumer = :consumer AND aggregate_id = ANY(CAST(:aggregates AS text[]))
        """)
        self.record_inbox = text(f"""
            INSERT INTO {inbox} (consumer, event_id)
            SELECT :consumer, e FROM unnest(CAST(:event_ids AS uuid[])) AS e
            ON CONFLICT DO NOTHING
            RETURNING event_id
        """)
        self.move_positions = text(f"""
            UPDATE {position} AS p SET last_seq = v.last_seq
            FROM unnest(CAST(:aggregates AS text[]), CAST(:seqs AS bigint[])) AS v (aggregate_id, last_seq)
            WHERE p.consumer = :consumer AND p.aggregate_id = v.aggregate_id
        """)
        self.release = text(f"""
            DELETE FROM {held} AS h
            USING unnest(CAST(:aggregates AS text[]), CAST(:seqs AS bigint[])) AS v (aggregate_id, seq)
            WHERE h.consumer = :consumer AND h.aggregate_id = v.aggregate_id AND h.seq = v.seq
        """)
        self.hold = text(f"""
            INSERT INTO {held} (consumer, aggregate_id, seq, event_id, type, version, reason, envelope)
            SELECT :consumer, v.aggregate_id, v.seq, v.event_id, v.type, v.version, v.reason, CAST(v.envelope AS jsonb)
            FROM unnest(
                CAST(:aggregates AS text[]), CAST(:seqs AS bigint[]), CAST(:event_ids AS uuid[]),
                CAST(:types AS text[]), CAST(:versions AS integer[]), CAST(:reasons AS text[]),
                CAST(:envelopes AS text[])
            ) AS v (aggregate_id, seq, event_id, type, version, reason, envelope)
            ON CONFLICT DO NOTHING
        """)
        # Aggregates whose next event is held: applicable once its version is known.
        self.next_held = text(f"""
            SELECT h.aggregate_id, h.type, h.version FROM {held} AS h
            JOIN {position} AS p ON p.consumer = h.consumer AND p.aggregate_id = h.aggregate_id
            WHERE h.consumer = :consumer AND h.seq = p.last_seq + 1
        """)
        self.held_counts = text(f"SELECT reason, count(*) AS n FROM {held} WHERE consumer = :consumer GROUP BY reason")
