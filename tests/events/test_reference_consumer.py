"""A reference consumer applies single and batch events alike: an imported bill cancelled live reads the same
whether the consumer followed along or replayed the whole stream later, and a redelivered batch changes nothing."""

import asyncio
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from patron.importing import summary
from services.customer.outbox import outbox
from services.kit.consumer import Consumer, Outcome
from services.kit.db import create_engine
from services.kit.outbox import envelope_of
from services.kit.relay import OutboxRelay
from tests.events.conftest import NatsServer
from tests.events.test_event_writers import GE_FILES, MINIMAL
from tests.imports.conftest import customer_service, run_import
from tests.support.builders import buy
from tests.support.read_model import open_read_model, reference_consumer, snapshot

pytestmark = pytest.mark.timeout(180)


async def _publish_everything(database_url: str, nats_url: str) -> int:
    engine = create_engine(database_url, pool_size=2)
    relay = OutboxRelay(engine, outbox.tables, nats_url=nats_url)
    published = 0
    try:
        while sent := await relay.publish_batch():
            published += sent
    finally:
        await relay.stop()
        await engine.dispose()
    return published


async def _follow(consumer: Consumer, events: int) -> None:
    """Run ``consumer`` until it has taken every event of the stream in hand (applied, ignored or held)."""
    await consumer.start()
    try:
        deadline = time.monotonic() + 60
        while sum(consumer.counts.values()) < events or await consumer.pending():
            assert time.monotonic() < deadline, consumer.counts
            await asyncio.sleep(0.1)
    finally:
        await consumer.stop()


async def db_count(engine: AsyncEngine, query: str) -> int:
    async with engine.connect() as connection:
        return int((await connection.execute(text(query))).scalar_one())


async def _ledger(engine: AsyncEngine) -> list[tuple[Any, ...]]:
    """The bills as the customer service keeps them, in the read model's terms."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("""
                SELECT p.id, p.customer_id, p.source, p.status, count(l.id), p.base_total, p.base_returned,
                       CASE WHEN p.status = 'cancelled' THEN p.base_total - p.base_returned ELSE 0 END
                FROM customer.purchase p JOIN customer.purchase_line l ON l.purchase_id = p.id
                GROUP BY p.id ORDER BY p.id
            """)
        )
        return [tuple(row) for row in rows]


async def test_an_imported_bill_cancelled_live_replays_to_the_same_read_model(database_url, tmp_path: Path) -> None:
    broker = NatsServer(tmp_path / "nats")
    broker.start()
    engine = await open_read_model(database_url)
    try:
        async with customer_service(database_url, import_dir=tmp_path / "imports") as api:
            files = GE_FILES
            job = await run_import(api, "global-electronics", files)
            assert job["state"] == "done", job
            bills = await run_import(api, "minimal", [("bills.csv", MINIMAL)])
            assert bills["state"] == "done", bills
            imported = (await api.get("/api/v1/purchases", params={"limit": 50})).json()["items"]
            by_number = {bill["number"]: bill for bill in imported}
            first, second = by_number["10"], by_number["11"]
            # Live changes of imported bills: their events are the bills' seq 2 and 3.
            line = first["lines"][1]
            returned = await api.post(
                f"/api/v1/purchases/{first['id']}/returns", json={"lines": [{"line_id": line["id"], "quantity": 2}]}
            )
            assert returned.status_code == 200, returned.text
            cancelled = await api.post(f"/api/v1/purchases/{first['id']}/cancel", json={"reason": "changed mind"})
            assert cancelled.status_code == 200, cancelled.text
            assert (await api.post(f"/api/v1/purchases/{second['id']}/cancel", json={})).status_code == 200
            shopper = first["customer_id"]
            lamp = first["lines"][0]["product_id"]
            live = await buy(api, [(lamp, 1)], customer_id=shopper)  # a live bill of an imported customer
            assert live.status_code == 201, live.text

            # The report says what the import announced (its chunks, the stores' and rates' single events)
            # and whether it has all reached the broker.
            before = (await api.get(f"/api/v1/imports/{job['id']}")).json()
            written = await db_count(
                engine,
                f"""SELECT count(*) FROM customer.event_outbox WHERE aggregate_id = 'import:{job["id"]}'
                    OR type IN ('store.created', 'store.updated', 'exchange_rate.upserted')""",
            )
            assert (
                before["report"]["events"]["announced"] == written and before["report"]["events"]["published"] is False
            )
            assert any(
                line.startswith(f"  events announced: {written}, not all published yet") for line in summary(before)
            )
            events = await _publish_everything(database_url, broker.url)
            published = (await api.get(f"/api/v1/imports/{job['id']}")).json()
            assert published["report"]["events"] == {"announced": written, "published": True, "unsent": 0}
            assert f"  events announced: {written}, all published" in summary(published)

        # Followed along with small fetches (a batch event and its aggregates' next events in different batches).
        following = reference_consumer(engine, "following", broker.url, batch_size=3, fetch_timeout=0.3)
        await _follow(following, events)
        assert following.counts[Outcome.PARKED] == 0
        ledger = await _ledger(engine)
        model = await snapshot(engine, "following")
        assert [row[:8] for row in model["purchase"]] == [
            (pid, customer, source, status, lines, total, returned, cancelled)
            for pid, customer, source, status, lines, total, returned, cancelled in ledger
        ]
        assert len(model["customer"]) == 3 and len(model["product"]) >= 3  # imported ones, the service product

        # Replayed from the start of the stream by a fresh consumer, in big batches: the same rows.
        replaying = reference_consumer(engine, "replaying", broker.url, batch_size=1000, fetch_timeout=0.3)
        await _follow(replaying, events)
        assert await snapshot(engine, "replaying") == model

        # A redelivered batch event changes nothing: already applied, so a duplicate.
        async with engine.connect() as connection:
            rows = await connection.execute(
                text("SELECT * FROM customer.event_outbox WHERE type LIKE '%.imported' ORDER BY id")
            )
            chunks = [envelope_of(row) for row in rows]
        assert {chunk.type for chunk in chunks} == {"customers.imported", "products.imported", "purchases.imported"}
        outcomes = await following.apply_batch(chunks)
        assert outcomes == [Outcome.DUPLICATE] * len(chunks)
        assert await snapshot(engine, "following") == model
    finally:
        await engine.dispose()
        broker.stop()
