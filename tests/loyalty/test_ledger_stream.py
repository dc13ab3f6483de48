"""The ledger consumer on the real broker: run by the loyalty service it follows the stream in small batches
and times each bill from its event to its figures; `patron loyalty rebuild` replays the stream into an
emptied ledger and gives the same rows."""

import asyncio
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi import FastAPI
from typer.testing import CliRunner

from patron.cli import app as cli
from services.kit.consumer import Consumer, Outcome
from services.kit.db import create_engine
from services.loyalty.app import create_app
from tests.conftest import TEST_SECRET
from tests.events.conftest import NatsServer
from tests.events.test_event_writers import GE_FILES
from tests.events.test_reference_consumer import _publish_everything
from tests.imports.conftest import customer_service, run_import
from tests.loyalty.conftest import ledger_rows, loyalty_settings
from tests.loyalty.test_monthly_figures import bill, give_back, shopper
from tests.support.builders import make_customer, make_product

pytestmark = pytest.mark.timeout(240)


async def _caught_up(consumer: Consumer, events: int) -> None:
    deadline = time.monotonic() + 60
    while sum(consumer.counts.values()) < events or await consumer.pending():
        assert time.monotonic() < deadline, consumer.counts
        await asyncio.sleep(0.1)


async def test_rebuilding_the_ledger_from_the_stream_gives_the_figures_the_live_consumer_kept(
    database_url: str, tmp_path: Path
) -> None:
    broker = NatsServer(tmp_path / "nats")
    broker.start()
    try:
        async with customer_service(database_url, import_dir=tmp_path / "imports") as api:
            files = GE_FILES
            assert (await run_import(api, "global-electronics", files))["state"] == "done"
            ann, bob = await make_customer(api), await make_customer(api)
            lamp = await make_product(api, price="120.00", stock=None, brand="Contoso")
            mug = await make_product(api, price="8.50", stock=None, brand="Patron Home", own_brand=True)
            january = await bill(api, [(lamp, 2), (mug, 4)], "2026-01-10T10:00:00Z", ann)
            await bill(api.as_principal(shopper(ann)), [(mug, 1)], "2026-01-31T20:00:00Z", ann)
            march = await bill(api.as_principal(shopper(bob)), [(lamp, 1), (mug, 2)], "2026-03-05T01:00:00Z", bob)
            await bill(api, [(lamp, 1)], "2026-03-06T01:00:00Z")
            await give_back(api, january, 1, 4)
            await give_back(api, march, 0, 1)
            imported = (await api.get("/api/v1/purchases", params={"limit": 50})).json()["items"]
            order = next(b for b in imported if b["number"] == "10")
            assert (await api.post(f"/api/v1/purchases/{order['id']}/cancel", json={})).status_code == 200
            assert (await api.post(f"/api/v1/purchases/{january['id']}/cancel", json={})).status_code == 200
            events = await _publish_everything(database_url, broker.url)

        # Live: the loyalty service runs the consumer, three events a batch.
        app: FastAPI = create_app(loyalty_settings(database_url, broker.url, events_batch_size=3))
        async with app.router.lifespan_context(app):
            consumer = next(c for c in app.state.consumers if c.name == "loyalty-ledger")
            await _caught_up(consumer, events)
            assert consumer.counts[Outcome.PARKED] == 0
            registry = app.state.metrics.registry
            # Every bill event is timed: the live bills, the import's one batch, the returns and cancellations.
            timed = {
                kind: registry.get_sample_value("patron_loyalty_figures_lag_seconds_count", {"type": kind})
                for kind in ("purchase.recorded", "purchases.imported", "purchase.line_returned", "purchase.cancelled")
            }
            assert timed == {
                "purchase.recorded": 4,
                "purchases.imported": 1,
                "purchase.line_returned": 2,
                "purchase.cancelled": 2,
            }
        engine = create_engine(database_url, pool_size=2)
        try:
            live = await ledger_rows(engine)
            # January and the imported order cancelled; Ann's own bill counts in February (Sydney), and
            # Bob's March bill keeps its mugs only (his lamp returned whole).
            assert [row[1:] for row in live["monthly_figures"]] == [
                (date(2026, 2, 1), Decimal("8.50"), 1, 1, Decimal("8.50"), 1, 0),
                (date(2026, 3, 1), Decimal("17.00"), 1, 1, Decimal("17.00"), 1, 0),
            ]
            assert len(live["purchase"]) == 6

            # Rebuilt by the command line, from the first event, in batches of a thousand.
            env = {
                "PATRON_DATABASE_URL": database_url,
                "PATRON_NATS_URL": broker.url,
                "PATRON_ENVIRONMENT": "test",
                "PATRON_INTERNAL_SECRET": TEST_SECRET,
                "PATRON_BUSINESS_TIMEZONE": "Australia/Sydney",
            }
            result = await asyncio.to_thread(CliRunner().invoke, cli, ["loyalty", "rebuild"], env=env)
            assert result.exit_code == 0, result.output
            assert "deleted the durable consumer loyalty-ledger" in result.output
            assert "2 monthly figures" in result.output
            assert await ledger_rows(engine) == live
        finally:
            await engine.dispose()
    finally:
        broker.stop()
