"""Idempotent, per-aggregate ordered event consumers: a durable JetStream pull consumer plus an inbox table."""

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, TypeVar

import nats.errors
import nats.js.errors
from nats.aio.client import Client as NATS
from nats.aio.msg import Msg
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from pydantic import ValidationError
from sqlalchemy import BigInteger, Column, DateTime, MetaData, PrimaryKeyConstraint, Table, Text, Uuid, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.events import (
    BROKER_ERRORS,
    Envelope,
    EventPayload,
    connect,
    ensure_stream,
    finish_loop,
    service_subjects,
    stream_config,
)

log = logging.getLogger("patron.consumer")

INBOX_TABLE = "event_inbox"
POSITION_TABLE = "aggregate_position"
CONSUMER_ERRORS: tuple[type[BaseException], ...] = (*BROKER_ERRORS, nats.js.errors.Error)


@dataclass(frozen=True)
class InboxTables:
    inbox: Table
    position: Table


def inbox_tables(metadata: MetaData) -> InboxTables:
    """Define ``event_inbox`` and ``aggregate_position`` in a service's metadata, hence in its schema."""
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
    return InboxTables(inbox=inbox, position=position)


class Handler(Protocol):
    """A consumer's business effect: runs inside the transaction that also records the event as applied."""

    def __call__(self, *, session: AsyncSession, event: Envelope) -> Awaitable[None]: ...


H = TypeVar("H", bound=Handler)


class Outcome(StrEnum):
    APPLIED = "applied"
    IGNORED = "ignored"  # no handler for this type; the aggregate's position still moves on
    DUPLICATE = "duplicate"  # already applied: a redelivery or a republish
    OUT_OF_ORDER = "out_of_order"  # an earlier event of the aggregate is still missing


class _OutOfOrder(Exception):
    """Raised inside the transaction so that it rolls back."""


class Consumer:
    """A named, durable consumer of the events of some services, applying each event exactly once.

    It filters whole services (``patron.<service>.>``), not single types: ``seq`` counts every event
    of an aggregate, so a consumer must see them all to know none is missing. Types without a
    handler are acknowledged and only move the aggregate's position.
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
        batch_size: int = 50,
        ack_wait: float = 30.0,
        fetch_timeout: float = 1.0,
        reorder_delay: float = 0.2,
        max_retry_delay: float = 30.0,
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
        self.reorder_delay = reorder_delay
        self.max_retry_delay = max_retry_delay
        self.counts: dict[Outcome, int] = dict.fromkeys(Outcome, 0)
        self.failures = 0
        self._handlers: dict[str, Handler] = {}
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None
        self._sub: JetStreamContext.PullSubscription | None = None
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def on(self, event_type: str | type[EventPayload]) -> Callable[[H], H]:
        """Register the handler of one event type: ``@consumer.on("purchase.recorded")``."""
        name = event_type if isinstance(event_type, str) else event_type.event_type

        def register(handler: H) -> H:
            if name in self._handlers:
                raise ValueError(f"consumer {self.name!r} already handles {name!r}")
            self._handlers[name] = handler
            return handler

        return register

    async def apply(self, event: Envelope) -> Outcome:
        """Apply one event in one transaction: inbox check, order check, handler, position.

        The position row is locked first, so two replicas of this consumer never apply events of
        one aggregate concurrently.
        """
        inbox, position = self.tables.inbox, self.tables.position
        mine = (position.c.consumer == self.name) & (position.c.aggregate_id == event.aggregate_id)
        try:
            async with AsyncSession(self.engine, expire_on_commit=False) as session, session.begin():
                await session.execute(
                    insert(position)
                    .values(consumer=self.name, aggregate_id=event.aggregate_id, last_seq=0)
                    .on_conflict_do_nothing()
                )
                locked = select(position.c.last_seq).where(mine).with_for_update()
                last_seq = (await session.execute(locked)).scalar_one()
                if event.seq <= last_seq:
                    return Outcome.DUPLICATE
                if event.seq > last_seq + 1:
                    raise _OutOfOrder
                handler = self._handlers.get(event.type)
                if handler is not None:
                    recorded = (
                        await session.execute(
                            insert(inbox)
                            .values(consumer=self.name, event_id=event.id)
                            .on_conflict_do_nothing()
                            .returning(inbox.c.event_id)
                        )
                    ).scalar_one_or_none()
                    if recorded is None:
                        return Outcome.DUPLICATE
                    await handler(session=session, event=event)
                await session.execute(position.update().where(mine).values(last_seq=event.seq))
                return Outcome.APPLIED if handler is not None else Outcome.IGNORED
        except _OutOfOrder:
            return Outcome.OUT_OF_ORDER

    async def handle_message(self, msg: Msg) -> Outcome | None:
        """Apply a delivered message, then ack; NAK (redeliver later) when it cannot be applied yet."""
        try:
            event = Envelope.from_bytes(msg.data)
        except ValidationError:
            # Redelivering bytes that are not an envelope can never succeed: drop it, loudly.
            log.error("consumer %s: dropping a message that is not an event envelope: %r", self.name, msg.data[:200])
            await msg.term()
            return None
        try:
            outcome = await self.apply(event)
        except Exception:
            self.failures += 1
            delay = self._retry_delay(msg)
            log.exception(
                "consumer %s: %s %s (%s #%d) failed; retrying in %.1fs",
                self.name,
                event.type,
                event.id,
                event.aggregate_id,
                event.seq,
                delay,
            )
            await msg.nak(delay=delay)
            return None
        self.counts[outcome] += 1
        if outcome is Outcome.OUT_OF_ORDER:
            await msg.nak(delay=self.reorder_delay)
        else:
            # After the commit: a lost ack means a redelivery, which the position turns into a no-op.
            await msg.ack()
        return outcome

    async def start(self) -> None:
        """Run in the background (from the app lifespan); returns at once, even if the broker is down."""
        if self._task is not None:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"consumer-{self.name}")

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the message in hand (up to ``grace`` seconds), then disconnect; unacked ones are redelivered."""
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
        while not self._stopping.is_set():
            try:
                sub = await self._subscription()
                try:
                    messages = await sub.fetch(self.batch_size, timeout=self.fetch_timeout)
                except TimeoutError:  # nats-py raises its own or, when its deadline passes first, asyncio's
                    continue  # nothing new (or the broker is away: the client reconnects on its own)
                for index, msg in enumerate(messages):
                    if self._stopping.is_set():
                        # Hand the rest back now rather than letting them wait out ack_wait.
                        for unhandled in messages[index:]:
                            await unhandled.nak()
                        break
                    await self.handle_message(msg)
                backoff = 0.1
            except CONSUMER_ERRORS as exc:
                log.warning("consumer %s: broker unavailable (%r); retrying in %.1fs", self.name, exc, backoff)
                # Bind again: a broker that lost its store has lost the durable consumer too.
                await self._drop_subscription()
                await self._pause(backoff)
                backoff = min(backoff * 2, 5.0)
            except Exception:
                log.exception("consumer %s: fetch loop failed; retrying in %.1fs", self.name, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, 5.0)

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
