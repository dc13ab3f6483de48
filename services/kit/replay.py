"""Rebuilding a consumer's read model: empty it, forget the consumer's place in the stream, and replay the
stream from its first event until the consumer has caught up. The service must not run meanwhile."""

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import nats.js.errors
from sqlalchemy import TextClause
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.consumer import CONSUMER_ERRORS, Consumer, Outcome
from services.kit.events import configured_stream, connect
from services.kit.settings import ServiceSettings


@dataclass(frozen=True)
class Replayed:
    applied: int
    ignored: int
    held: int
    seconds: float


async def forget_consumer(settings: ServiceSettings, name: str) -> bool:
    """Delete the durable consumer on the broker, so the next one starts from the stream's first event."""
    nc = await connect(settings.nats_url, name=f"{name}-rebuild")
    try:
        js = nc.jetstream()
        stream = configured_stream(settings).name or ""
        with contextlib.suppress(nats.js.errors.NotFoundError):
            return bool(await js.delete_consumer(stream, name))
        return False
    finally:
        await nc.close()


async def _caught_up(consumer: Consumer) -> bool:
    try:
        return await consumer.pending() == 0
    except nats.js.errors.NotFoundError:  # not bound yet
        return False


async def replay(
    settings: ServiceSettings,
    engine: AsyncEngine,
    consumer: Consumer,
    clear: Sequence[tuple[TextClause, dict[str, Any]]],
    *,
    progress: Callable[[str], None] = lambda line: None,
    every: float = 2.0,
    give_up_after: float = 3600.0,
) -> Replayed:
    """Run the ``clear`` statements in one transaction, then replay the whole stream into ``consumer``."""
    started = time.monotonic()
    try:
        if await forget_consumer(settings, consumer.name):
            progress(f"deleted the durable consumer {consumer.name}")
        async with AsyncSession(engine) as session, session.begin():
            for statement, parameters in clear:
                await session.execute(statement, parameters)
        progress("emptied the read model and the consumer's inbox, positions and held events")
        await consumer.start()
        reported = time.monotonic()
        while not await _caught_up(consumer):
            if time.monotonic() - started > give_up_after:
                raise TimeoutError(f"the rebuild had not caught up after {give_up_after:.0f}s")
            if time.monotonic() - reported >= every:
                reported = time.monotonic()
                with contextlib.suppress(*CONSUMER_ERRORS):
                    pending = await consumer.pending()
                    progress(f"applied {consumer.counts[Outcome.APPLIED]:,} events, {pending:,} to go")
            await asyncio.sleep(0.1)
        await consumer.stop()
        return Replayed(
            applied=consumer.counts[Outcome.APPLIED],
            ignored=consumer.counts[Outcome.IGNORED],
            held=sum((await consumer.held()).values()),
            seconds=time.monotonic() - started,
        )
    finally:
        await consumer.stop()
