"""Rebuilding the ledger: empty it, forget the consumer's place in the stream, and replay the stream from
its first event until the consumer has caught up. The loyalty service must not run meanwhile."""

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass

import nats.js.errors
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.consumer import CONSUMER_ERRORS, Consumer, Outcome
from services.kit.db import create_engine
from services.kit.events import configured_stream, connect
from services.loyalty.ledger import repository
from services.loyalty.ledger.consumer import CONSUMER_NAME, ledger_consumer
from services.loyalty.settings import LoyaltySettings


@dataclass(frozen=True)
class RebuildReport:
    applied: int
    ignored: int
    held: int
    customers: int
    bills: int
    figures: int
    seconds: float


async def forget_consumer(settings: LoyaltySettings) -> bool:
    """Delete the durable consumer on the broker, so the next one starts from the stream's first event."""
    nc = await connect(settings.nats_url, name=f"{CONSUMER_NAME}-rebuild")
    try:
        js = nc.jetstream()
        stream = configured_stream(settings).name or ""
        with contextlib.suppress(nats.js.errors.NotFoundError):
            return bool(await js.delete_consumer(stream, CONSUMER_NAME))
        return False
    finally:
        await nc.close()


async def _caught_up(consumer: Consumer) -> bool:
    try:
        return await consumer.pending() == 0
    except nats.js.errors.NotFoundError:  # not bound yet
        return False


async def rebuild_ledger(
    settings: LoyaltySettings,
    *,
    progress: Callable[[str], None] = lambda line: None,
    every: float = 2.0,
    give_up_after: float = 3600.0,
) -> RebuildReport:
    """Empty the ledger, the figures and the consumer's inbox, positions and held events; replay the stream."""
    started = time.monotonic()
    engine = create_engine(settings.database_url, pool_size=2, application_name=f"patron-{CONSUMER_NAME}-rebuild")
    consumer = ledger_consumer(engine, settings, check_targets=False)  # achievements are made live, once
    try:
        if await forget_consumer(settings):
            progress(f"deleted the durable consumer {CONSUMER_NAME}")
        async with AsyncSession(engine) as session, session.begin():
            for statement, parameters in repository.clear_statements(CONSUMER_NAME):
                await session.execute(statement, parameters)
        progress("emptied the ledger, the monthly figures and the consumer's inbox, positions and held events")
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
        held = sum((await consumer.held()).values())
        async with engine.connect() as connection:
            customers, bills, figures = (
                await connection.execute(
                    text("""SELECT (SELECT count(*) FROM loyalty.customer), (SELECT count(*) FROM loyalty.purchase),
                                   (SELECT count(*) FROM loyalty.monthly_figures)""")
                )
            ).one()
        return RebuildReport(
            applied=consumer.counts[Outcome.APPLIED],
            ignored=consumer.counts[Outcome.IGNORED],
            held=held,
            customers=int(customers),
            bills=int(bills),
            figures=int(figures),
            seconds=time.monotonic() - started,
        )
    finally:
        await consumer.stop()
        await engine.dispose()
