"""Rebuilding the star schema: empty it, forget the feed's place in the stream, and replay the stream from
its first event until the feed has caught up. The analytics service must not run meanwhile."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import text

from services.analytics.feed import repository
from services.analytics.feed.consumer import CONSUMER_NAME, feed_consumer
from services.analytics.settings import AnalyticsSettings
from services.kit.db import create_engine
from services.kit.replay import replay


@dataclass(frozen=True)
class RebuildReport:
    applied: int
    ignored: int
    held: int
    customers: int
    lines: int
    seconds: float


async def rebuild_star(
    settings: AnalyticsSettings,
    *,
    progress: Callable[[str], None] = lambda line: None,
    give_up_after: float = 3600.0,
) -> RebuildReport:
    """Empty the star schema and the feed's inbox, positions and held events; replay the stream."""
    engine = create_engine(settings.database_url, pool_size=2, application_name=f"patron-{CONSUMER_NAME}-rebuild")
    try:
        replayed = await replay(
            settings,
            engine,
            feed_consumer(engine, settings),
            repository.clear_statements(CONSUMER_NAME),
            progress=progress,
            give_up_after=give_up_after,
        )
        async with engine.connect() as connection:
            customers, lines = (
                await connection.execute(
                    text("SELECT (SELECT count(*) FROM analytics.customer), (SELECT count(*) FROM analytics.sale_line)")
                )
            ).one()
        return RebuildReport(
            applied=replayed.applied,
            ignored=replayed.ignored,
            held=replayed.held,
            customers=int(customers),
            lines=int(lines),
            seconds=replayed.seconds,
        )
    finally:
        await engine.dispose()
