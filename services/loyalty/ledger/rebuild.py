"""Rebuilding the ledger: empty it, forget the consumer's place in the stream, and replay the stream from
its first event until the consumer has caught up. The loyalty service must not run meanwhile."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from services.kit.db import create_engine
from services.kit.replay import replay
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


async def rebuild_ledger(
    settings: LoyaltySettings,
    *,
    progress: Callable[[str], None] = lambda line: None,
    every: float = 2.0,
    give_up_after: float = 3600.0,
) -> RebuildReport:
    """Empty the ledger, the figures and the consumer's inbox, positions and held events; replay the stream."""
    engine = create_engine(settings.database_url, pool_size=2, application_name=f"patron-{CONSUMER_NAME}-rebuild")
    consumer = ledger_consumer(engine, settings, check_targets=False)  # achievements are made live, once
    try:
        replayed = await replay(
            settings,
            engine,
            consumer,
            repository.clear_statements(CONSUMER_NAME),
            progress=progress,
            every=every,
            give_up_after=give_up_after,
        )
        async with engine.connect() as connection:
            customers, bills, figures = (
                await connection.execute(
                    text("""SELECT (SELECT count(*) FROM loyalty.customer), (SELECT count(*) FROM loyalty.purchase),
                                   (SELECT count(*) FROM loyalty.monthly_figures)""")
                )
            ).one()
        return RebuildReport(
            applied=replayed.applied,
            ignored=replayed.ignored,
            held=replayed.held,
            customers=int(customers),
            bills=int(bills),
            figures=int(figures),
            seconds=replayed.seconds,
        )
    finally:
        await engine.dispose()
