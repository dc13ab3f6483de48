"""The outbox relay: a background task that publishes committed outbox rows to JetStream and marks them sent."""

import asyncio
import contextlib
import logging

import nats.js.errors
from nats.aio.client import Client as NATS
from nats.js import JetStreamContext
from nats.js.api import StreamConfig
from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit import outbox as outbox_queries
from services.kit.events import BROKER_ERRORS, MSG_ID_HEADER, connect, ensure_stream, finish_loop, stream_config
from services.kit.outbox import OutboxTables, envelope_bytes

log = logging.getLogger("patron.relay")

RELAY_ERRORS: tuple[type[BaseException], ...] = (*BROKER_ERRORS, nats.js.errors.Error)


class OutboxRelay:
    """Publishes a service's outbox in id order; a row is marked sent only after the broker acked it.

    Several replicas may run: ``FOR UPDATE SKIP LOCKED`` gives each its own rows, and should two
    ever publish the same event, the broker drops the second by its ``Nats-Msg-Id``.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        tables: OutboxTables,
        *,
        nats_url: str,
        name: str = "patron-relay",
        stream: StreamConfig | None = None,
        batch_size: int = 200,
        idle_interval: float = 0.2,
        publish_timeout: float = 5.0,
        max_backoff: float = 5.0,
    ) -> None:
        self.engine = engine
        self.tables = tables
        self.nats_url = nats_url
        self.name = name
        self.stream = stream or stream_config()
        self.batch_size = batch_size
        self.idle_interval = idle_interval
        self.publish_timeout = publish_timeout
        self.max_backoff = max_backoff
        self.published_total = 0
        self.failures = 0
        self._nc: NATS | None = None
        self._js: JetStreamContext | None = None
        self._stream_ready = False
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()

    async def start(self) -> None:
        """Run in the background (from the app lifespan); returns at once, even if the broker is down."""
        if self._task is not None:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._run(), name=f"{self.name}-loop")

    async def stop(self, grace: float = 5.0) -> None:
        """Finish the batch in flight (up to ``grace`` seconds), then disconnect.

        Cancelling mid-batch is safe: the transaction rolls back, so published-but-unmarked rows are
        published again later and dropped by the broker as duplicates.
        """
        self._stopping.set()
        self._wake.set()
        await finish_loop(self._task, grace)
        self._task = None
        await self._disconnect()

    def wake(self) -> None:
        """Publish now instead of at the next poll (e.g. right after a commit that added events)."""
        self._wake.set()

    async def backlog(self) -> int:
        async with AsyncSession(self.engine) as session:
            return await outbox_queries.backlog(session, self.tables)

    async def lag_seconds(self) -> float:
        """Age of the oldest unpublished event: 0 when the relay keeps up, growing while the broker is down."""
        async with AsyncSession(self.engine) as session:
            return await outbox_queries.oldest_unsent_age(session, self.tables)

    async def last_publish_lag(self) -> float | None:
        async with AsyncSession(self.engine) as session:
            return await outbox_queries.last_publish_lag(session, self.tables)

    async def publish_batch(self) -> int:
        """Publish up to ``batch_size`` unsent rows; return how many the broker acknowledged.

        A broker error stops the batch: the rows acked before it are still marked sent, then the
        error propagates so the loop backs off.
        """
        js = await self._jetstream()
        outbox = self.tables.outbox
        acked: list[int] = []
        failure: BaseException | None = None
        async with AsyncSession(self.engine) as session, session.begin():
            rows = (
                await session.execute(
                    select(
                        outbox.c.id,
                        outbox.c.event_id,
                        outbox.c.type,
                        outbox.c.version,
                        outbox.c.subject,
                        outbox.c.aggregate_id,
                        outbox.c.seq,
                        outbox.c.occurred_at,
                        cast(outbox.c.payload, Text).label("payload_text"),
                    )
                    .where(outbox.c.sent_at.is_(None))
                    .order_by(outbox.c.id)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            # All of the batch in flight at once, acknowledged together: one round trip per batch rather
            # than per event, so the relay keeps up with a busy service. The rows acknowledged before the
            # first failure are marked sent; the rest are published again later (the broker drops repeats).
            results = await asyncio.gather(
                *(
                    js.publish(
                        row.subject,
                        envelope_bytes(row),
                        timeout=self.publish_timeout,
                        headers={MSG_ID_HEADER: str(row.event_id)},
                    )
                    for row in rows
                ),
                return_exceptions=True,
            )
            for row, result in zip(rows, results, strict=True):
                if isinstance(result, RELAY_ERRORS):
                    failure = result
                    break
                if isinstance(result, BaseException):
                    raise result
                acked.append(row.id)
            if acked:
                # clock_timestamp, not now(): now() is the start of this transaction, before the publish.
                await session.execute(
                    update(outbox).where(outbox.c.id.in_(acked)).values(sent_at=func.clock_timestamp())
                )
        self.published_total += len(acked)
        if failure is not None:
            self._stream_ready = False
            raise failure
        return len(acked)

    async def _jetstream(self) -> JetStreamContext:
        if self._nc is None or self._js is None:
            self._nc = await connect(self.nats_url, name=self.name)
            self._js = self._nc.jetstream(timeout=self.publish_timeout)
        if not self._stream_ready:
            # Also after an error: a broker that lost its store needs the stream again.
            await ensure_stream(self._js, self.stream)
            self._stream_ready = True
        return self._js

    async def _run(self) -> None:
        backoff = 0.1
        while not self._stopping.is_set():
            try:
                published = await self.publish_batch()
                backoff = 0.1
                if published < self.batch_size:
                    await self._pause(self.idle_interval)
            except RELAY_ERRORS as exc:
                self.failures += 1
                log.warning("relay %s: broker unavailable (%r); retrying in %.1fs", self.name, exc, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, self.max_backoff)
            except Exception:
                # Most likely the database; the rows stay unsent and are retried.
                self.failures += 1
                log.exception("relay %s: batch failed; retrying in %.1fs", self.name, backoff)
                await self._pause(backoff)
                backoff = min(backoff * 2, self.max_backoff)

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=seconds)
        self._wake.clear()

    async def _disconnect(self) -> None:
        nc, self._nc, self._js, self._stream_ready = self._nc, None, None, False
        if nc is not None and not nc.is_closed:
            with contextlib.suppress(*RELAY_ERRORS):
                await asyncio.wait_for(nc.close(), timeout=2)
