"""Analytics fixtures: the analytics app in process, its feed consumer fed from the customer service's
outbox (as the broker would deliver it), and a client signed as an analyst."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.analytics.feed.consumer import feed_consumer
from services.analytics.settings import AnalyticsSettings
from services.kit.db import create_engine
from services.kit.principal import Principal, PrincipalKind
from tests.conftest import TEST_SECRET, ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.support.processes import free_port

ANALYST = Principal(kind=PrincipalKind.STAFF, subject="staff:analyst", roles=["analyst"])


def analytics_settings(database_url: str, nats_url: str | None = None, **fields: Any) -> AnalyticsSettings:
    return AnalyticsSettings(
        database_url=database_url,
        # No broker answers unless a test runs one: the app's consumer waits, and never reads another test's events.
        nats_url=nats_url or f"nats://127.0.0.1:{free_port()}",
        environment="test",
        internal_secret=TEST_SECRET,
        **fields,
    )


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    try:
        yield engine
    finally:
        await engine.dispose()


@pytest.fixture
def feed(database_url: str, engine: AsyncEngine) -> OutboxFeed:
    """Delivers the customer service's outbox to the analytics feed consumer, one batch a call."""
    return OutboxFeed(engine, feed_consumer(engine, analytics_settings(database_url)))


@pytest.fixture
async def analytics(database_url: str) -> AsyncIterator[ServiceClient]:
    """A client of the analytics service, signed as an analyst."""
    from services.analytics.app import create_app

    app = create_app(analytics_settings(database_url, events_relay=False))
    async with app.router.lifespan_context(app), ServiceClient(app, ANALYST) as client:
        yield client
