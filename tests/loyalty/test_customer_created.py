"""The ledger keeps when each customer was created, from the time of their creation event, and never moves it."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kit.db import create_engine
from services.loyalty.ledger.consumer import ledger_consumer
from tests.imports.conftest import customer_service
from tests.loyalty.conftest import OutboxFeed, loyalty_settings
from tests.support.builders import make_customer


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


async def test_a_customer_is_created_at_the_time_of_its_creation_event(database_url, engine, db):
    async with customer_service(database_url) as api:
        feed = OutboxFeed(engine, ledger_consumer(engine, loyalty_settings(database_url)))
        ann = await make_customer(api)
        await feed.deliver()
        (created,) = [e for e in feed.delivered if e.type == "customer.created"]
        stored = await db.fetchval("SELECT created_at FROM loyalty.customer WHERE id = $1", ann["id"])
        assert stored == created.occurred_at

        changed = await api.patch(f"/api/v1/customers/{ann['id']}", json={"city": "Perth"})
        assert changed.status_code == 200, changed.text
        await feed.deliver()
        row = await db.fetchrow("SELECT city, created_at FROM loyalty.customer WHERE id = $1", ann["id"])
        assert (row["city"], row["created_at"]) == ("Perth", created.occurred_at)
