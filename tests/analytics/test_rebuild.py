"""The analytics feed on the real broker: run by the analytics service it follows the stream in small batches
and times each bill event from its occurrence to the reports; `patron analytics rebuild` replays the stream
(the customer service's events and the loyalty service's reward and wallet events) into an emptied star schema
and gives the same rows and the same reports."""

import asyncio
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import nats
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from patron.cli import app as cli
from services.analytics.app import create_app
from services.analytics.feed.consumer import CONSUMER_NAME
from services.contracts.loyalty import RewardAllocated, RewardRedeemed, RewardVoided, WalletEntryWritten
from services.kit.consumer import Consumer, Outcome
from services.kit.db import create_engine
from services.kit.events import MSG_ID_HEADER, subject
from tests.analytics.conftest import ANALYST, analytics_settings
from tests.analytics.test_program_reports import Loyalty, at, facts
from tests.conftest import TEST_SECRET, ServiceClient
from tests.events.conftest import NatsServer
from tests.events.test_event_writers import GE_FILES
from tests.events.test_reference_consumer import _publish_everything
from tests.imports.conftest import customer_service, run_import
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_customer, make_product

pytestmark = pytest.mark.timeout(240)

ZONE = "Australia/Sydney"
STAR = (
    "sale_line",
    "sales_daily",
    "orders_daily",
    "customer_month",
    "customer_summary",
    "cohort_cell",
    "customer",
    "product",
    "store",
    "stock_level",
    "calendar",
    "exchange_rate",
    "reward_fact",
    "wallet_entry",
)
REPORTS = (
    ("/api/v1/analytics/sales/summary", {}),
    ("/api/v1/analytics/sales/over-time", {"grain": "month"}),
    ("/api/v1/analytics/sales/by/currency", {}),
    ("/api/v1/analytics/sales/by/country", {}),
    ("/api/v1/analytics/products/ranking", {"by": "revenue", "limit": 500}),
    ("/api/v1/analytics/loyalty/rewards/by/product", {}),
    ("/api/v1/analytics/loyalty/products/boost", {}),
    ("/api/v1/analytics/loyalty/points", {}),
)


def _rewards(
    ann: dict[str, Any], bob: dict[str, Any], lamp: dict[str, Any], mug: dict[str, Any], *bills: dict[str, Any]
) -> Loyalty:
    """The loyalty service's events: Ann's lamp reward redeemed on her January bill, Bob's mug reward voided,
    points Ann earned and spent."""
    january, march = bills
    loyalty = Loyalty()
    r1 = facts(1, ann, lamp, at("2026-01-02"))
    loyalty.emit(RewardAllocated(**r1, allocated_by="target"), at("2026-01-02"))
    redeemed = RewardRedeemed(**r1, redeemed_purchase_id=january["id"], redeemed_at=at("2026-01-10"))
    loyalty.emit(redeemed, at("2026-01-10"))
    r2 = facts(2, bob, mug, at("2026-03-05"), purchase_id=march["id"])
    loyalty.emit(RewardAllocated(**r2, allocated_by="call"), at("2026-03-05"))
    loyalty.emit(RewardVoided(**r2, voided_at=at("2026-03-06")), at("2026-03-06"))
    for n, (kind, points, balance) in enumerate((("earn", 400, 400), ("spend", -150, 250)), start=1):
        entry = WalletEntryWritten(
            entry_id=n, customer_id=ann["id"], kind=kind, points=points, balance_after=balance, source="test",
            created_at=at("2026-01-1" + str(n)),
        )  # fmt: skip
        loyalty.emit(entry, entry.created_at)
    return loyalty


async def _publish_loyalty(nats_url: str, loyalty: Loyalty) -> int:
    """Publish the events on the loyalty service's subjects, as its relay would."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        for envelope in loyalty.events:
            subject_of = subject("loyalty", envelope.type)
            await js.publish(subject_of, envelope.to_bytes(), headers={MSG_ID_HEADER: str(envelope.id)})
    finally:
        await nc.close()
    return len(loyalty.events)


async def _caught_up(consumer: Consumer, events: int) -> None:
    deadline = time.monotonic() + 60
    while sum(consumer.counts.values()) < events or await consumer.pending():
        assert time.monotonic() < deadline, consumer.counts
        await asyncio.sleep(0.1)


async def star_rows(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the star schema's tables, each table in the order of its rows."""
    async with engine.connect() as connection:
        return {
            name: [
                tuple(row) for row in await connection.execute(text(f"SELECT * FROM analytics.{name} AS t ORDER BY t"))
            ]
            for name in STAR
        }


async def reports(client: ServiceClient) -> list[dict[str, Any]]:
    replies = []
    for path, params in REPORTS:
        response = await client.get(path, params=params)
        assert response.status_code == 200, response.text
        replies.append(response.json())
    return replies


async def test_rebuilding_the_star_schema_from_the_stream_gives_the_rows_and_reports_the_live_feed_kept(
    database_url: str, tmp_path: Path
) -> None:
    broker = NatsServer(tmp_path / "nats")
    broker.start()
    try:
        async with customer_service(database_url, import_dir=tmp_path / "imports") as api:
            assert (await run_import(api, "global-electronics", GE_FILES))["state"] == "done"
            lamp = await make_product(api, price="120.00", unit_cost="70.00", stock=10, category="Lighting")
            mug = await make_product(api, price="8.50", unit_cost="2.25", stock=None, category="Kitchen")
            # A guest's bill first: replayed in one batch, the bills' handler runs before the customers' (the
            # consumer keeps each aggregate's order, not the stream's), and finds none of the customers below.
            guest = await bill(api, [(lamp, 1)], "2026-03-06T01:00:00Z")
            berlin = (await api.post("/api/v1/stores", json={"name": "Berlin", "country": "Germany"})).json()
            ann = await make_customer(api, country="Germany", gender="female")
            bob = await make_customer(api, country="France", home_store_id=berlin["id"])
            january = await bill(api, [(lamp, 2), (mug, 4)], "2026-01-10T10:00:00Z", ann)
            # 20:00 UTC on 31 January is 1 February in Sydney.
            await bill(api, [(mug, 1)], "2026-01-31T20:00:00Z", ann)
            march = await bill(api, [(lamp, 1), (mug, 2)], "2026-03-05T01:00:00Z", bob)
            await give_back(api, march, 0, 1)
            assert (await api.post(f"/api/v1/purchases/{guest['id']}/cancel", json={})).status_code == 200
            adjusted = await api.post(
                f"/api/v1/products/{lamp['id']}/stock/adjustments", json={"quantity": -1, "reason": "broken"}
            )
            assert adjusted.status_code == 201, adjusted.text
            assert (await api.patch(f"/api/v1/customers/{bob['id']}", json={"city": "Lyon"})).status_code == 200
            # A bill, then a new customer who buys at once: in a batch of three the same may happen.
            await bill(api, [(mug, 1)], "2026-03-07T01:00:00Z", bob)
            carl = await make_customer(api, country="Spain")
            await bill(api, [(mug, 3)], "2026-03-07T02:00:00Z", carl)
            events = await _publish_everything(database_url, broker.url)
            events += await _publish_loyalty(broker.url, _rewards(ann, bob, lamp, mug, january, march))

        # Live: the analytics service runs the feed, three events a batch.
        app: FastAPI = create_app(
            analytics_settings(database_url, broker.url, events_batch_size=3, business_timezone=ZONE)
        )
        async with app.router.lifespan_context(app):
            consumer = next(c for c in app.state.consumers if c.name == CONSUMER_NAME)
            await _caught_up(consumer, events)
            assert consumer.counts[Outcome.PARKED] == 0 and consumer.counts[Outcome.HELD] == 0
            registry = app.state.metrics.registry
            timed = {
                kind: registry.get_sample_value("patron_analytics_lag_seconds_count", {"type": kind})
                for kind in ("purchase.recorded", "purchases.imported", "purchase.line_returned", "purchase.cancelled")
            }
            # The live bills, the import's one batch of bills, the return and the cancellation.
            assert timed == {
                "purchase.recorded": 6,
                "purchases.imported": 1,
                "purchase.line_returned": 1,
                "purchase.cancelled": 1,
            }
            async with ServiceClient(app, ANALYST) as client:
                live_reports = await reports(client)
                status = (await client.get("/api/v1/analytics/status")).json()

        engine = create_engine(database_url, pool_size=2)
        try:
            live = await star_rows(engine)
            assert all(live[name] for name in STAR if name != "cohort_cell"), {n: len(r) for n, r in live.items()}
            assert live["cohort_cell"]
            assert status["sale_lines"] == len(live["sale_line"]) and status["events"] > 0
            lamp_stock = next(row for row in live["stock_level"] if row[0] == lamp["id"])
            assert lamp_stock[1] == 10 - 2 - 1 + 1 - 1  # sold 2 and 1, the return, the cancellation, broken
            # The figures count the lamps kept: January's two, none of Bob's (returned) nor the guest's (cancelled).
            assert sum(row[5] for row in live["sales_daily"] if row[1] == lamp["id"]) == 2
            assert {(row[2], row[7]) for row in live["sale_line"] if row[2] in (ann["id"], carl["id"])} == {
                (ann["id"], "Germany"),
                (carl["id"], "Spain"),
            }
            spain = [row for row in live["orders_daily"] if row[3] == "Spain"]
            assert [(row[4], row[5], row[6]) for row in spain] == [(1, 3, Decimal("25.50"))]
            feb = [row for row in live["customer_month"] if row[0] == ann["id"]]
            assert [(row[1].isoformat(), row[4]) for row in feb] == [("2026-01-01", 1), ("2026-02-01", 1)]

            # Rebuilt by the command line, from the first event, in batches of a thousand.
            env = {
                "PATRON_DATABASE_URL": database_url,
                "PATRON_NATS_URL": broker.url,
                "PATRON_ENVIRONMENT": "test",
                "PATRON_INTERNAL_SECRET": TEST_SECRET,
                "PATRON_BUSINESS_TIMEZONE": ZONE,
            }
            result = await asyncio.to_thread(CliRunner().invoke, cli, ["analytics", "rebuild"], env=env)
            assert result.exit_code == 0, result.output
            assert f"{len(live['sale_line']):,} purchase lines" in result.output
            assert await star_rows(engine) == live
        finally:
            await engine.dispose()

        reader = create_app(analytics_settings(database_url, events_relay=False, business_timezone=ZONE))
        async with reader.router.lifespan_context(reader), ServiceClient(reader, ANALYST) as client:
            assert await reports(client) == live_reports
    finally:
        broker.stop()
