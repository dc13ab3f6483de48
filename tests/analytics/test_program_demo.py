"""Loyalty effectiveness on the generated demo retailer with loyalty running: the customer and loyalty services
as processes on a real broker, the demo's files imported, then live bills that earn rewards, bills that redeem
them, a cancelled redemption, a voided reward, points earned, spent and adjusted. The analytics service follows
the stream; every report is non-empty and consistent with itself and with the services' own records, and
`patron analytics rebuild` gives the same reward and wallet rows and the same reports."""

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx2
import pytest
from fastapi import FastAPI
from sqlalchemy import text
from typer.testing import CliRunner

from patron.cli import app as cli
from patron.demo.generate import generate
from services.analytics.app import create_app
from services.analytics.feed.consumer import CONSUMER_NAME
from services.kit.db import create_engine
from tests.analytics.conftest import ANALYST, analytics_settings
from tests.conftest import TEST_SECRET, ServiceClient, signed
from tests.events.conftest import NatsServer
from tests.imports.conftest import upload
from tests.imports.conftest import wait_for as import_done
from tests.loyalty.conftest import SERVICE
from tests.loyalty.test_purchase_rewards import _env, wait_for
from tests.support.processes import RunningService, free_port, serve

pytestmark = pytest.mark.timeout(480)

REPORTS = "/api/v1/analytics/loyalty"
PATHS = (
    "customers",
    "rewards/by/category",
    "rewards/by/product",
    "rewards/over-time",
    "rewards/highlights",
    "products/boost",
    "sales-lift",
    "products/around-claims",
    "points",
)


@contextmanager
def services(database_url: str, broker: NatsServer, tmp_path: Path) -> Iterator[tuple[RunningService, RunningService]]:
    customer_port = free_port()
    loyalty_env = _env(database_url, broker, PATRON_LOYALTY_CUSTOMER_URL=f"http://127.0.0.1:{customer_port}")
    with serve("loyalty", loyalty_env, tmp_path) as loyalty:
        customer_env = _env(
            database_url,
            broker,
            PATRON_CUSTOMER_LOYALTY_URL=loyalty.url,
            PATRON_CUSTOMER_IMPORT_DIR=str(tmp_path / "uploads"),
        )
        with serve("customer", customer_env, tmp_path, port=customer_port) as customer:
            yield customer, loyalty


async def _live_program(customer: httpx2.AsyncClient, loyalty: httpx2.AsyncClient, db: asyncpg.Connection) -> None:
    """Bills of 300.00 or more that earn rewards, half of the rewards redeemed, one redemption cancelled, one
    earning bill cancelled (its reward voided), and points earned, spent on a bill and adjusted."""
    shoppers = [r["id"] for r in await db.fetch("SELECT id FROM customer.customer ORDER BY id LIMIT 16")]
    dear = await db.fetchrow(
        "SELECT id, unit_price FROM customer.product WHERE status = 'active' AND unit_price >= 300 ORDER BY id LIMIT 1"
    )
    earned: list[tuple[int, dict[str, Any]]] = []
    for customer_id in shoppers:
        bill = await customer.post(
            "/api/v1/purchases",
            json={"customer_id": customer_id, "lines": [{"product_id": dear["id"], "quantity": 1}]},
        )
        assert bill.status_code == 201, bill.text
        earned.append((customer_id, bill.json()))
    redeemed = []
    for customer_id, bill in earned[::2]:
        # Allocated by the purchase call, or from the purchase event when loyalty did not answer in time.
        await wait_for(db, "SELECT count(*) FROM loyalty.reward WHERE purchase_id = $1", 1, bill["id"])
        reward = await db.fetchrow("SELECT token, product_id FROM loyalty.reward WHERE purchase_id = $1", bill["id"])
        used = await customer.post(
            "/api/v1/purchases",
            json={
                "customer_id": customer_id,
                "reward_token": reward["token"],
                "lines": [{"product_id": reward["product_id"], "quantity": 2}],
            },
        )
        assert used.status_code == 201, used.text
        redeemed.append(used.json())
    await wait_for(db, "SELECT count(*) FROM loyalty.reward WHERE status = 'redeemed'", len(redeemed))
    # A redeeming bill cancelled (its reward is usable again), and an earning bill cancelled (its reward voided).
    assert (await customer.post(f"/api/v1/purchases/{redeemed[0]['id']}/cancel", json={})).status_code == 200
    assert (await customer.post(f"/api/v1/purchases/{earned[1][1]['id']}/cancel", json={})).status_code == 200
    for n, customer_id in enumerate(shoppers[:4]):
        body = {"customer_id": customer_id, "points": 1000 + 100 * n, "reason": "target", "source": f"demo:{n}"}
        earning = await loyalty.post("/api/v1/loyalty/wallet/earnings", json=body, headers=signed(SERVICE))
        assert earning.status_code == 201, earning.text
    spend = {"customer_id": shoppers[0], "points": 500, "lines": [{"product_id": dear["id"], "quantity": 1}]}
    assert (await customer.post("/api/v1/purchases", json=spend)).status_code == 201
    taken = await loyalty.post(
        f"/api/v1/loyalty/customers/{shoppers[1]}/wallet/adjustments", json={"points": -200, "reason": "correction"}
    )
    assert taken.status_code == 201, taken.text
    # Every live bill over 250.00 has its reward (a redeeming bill or the bill paid with points may earn one too).
    unrewarded = """SELECT count(*) FROM customer.purchase AS p WHERE p.source = 'live' AND p.base_total > 250
                    AND NOT EXISTS (SELECT 1 FROM loyalty.reward AS r WHERE r.purchase_id = p.id)"""
    await wait_for(db, unrewarded, 0)
    await wait_for(db, "SELECT count(*) FROM loyalty.reward WHERE status = 'voided' AND purchase_id = $1", 1,
                   earned[1][1]["id"])  # fmt: skip
    await wait_for(db, "SELECT count(*) FROM loyalty.event_outbox WHERE sent_at IS NULL", 0)
    await wait_for(db, "SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL", 0)


async def _caught_up(db: asyncpg.Connection) -> None:
    """The analytics feed holds every reward, wallet entry and purchase line the services hold."""
    query = """SELECT (SELECT count(*) FROM loyalty.reward) - (SELECT count(*) FROM analytics.reward_fact)
                    + (SELECT count(*) FROM loyalty.wallet_entry) - (SELECT count(*) FROM analytics.wallet_entry)
                    + (SELECT count(*) FROM customer.purchase_line) - (SELECT count(*) FROM analytics.sale_line)
                    + (SELECT count(*) FROM loyalty.reward WHERE status = 'redeemed')
                    - (SELECT count(*) FROM analytics.reward_fact WHERE status = 'redeemed')"""
    deadline = time.monotonic() + 120
    while await db.fetchval(query) != 0:
        assert time.monotonic() < deadline, await db.fetchval(query)
        await asyncio.sleep(0.2)


async def _reports(app: FastAPI) -> dict[str, dict[str, Any]]:
    replies = {}
    async with ServiceClient(app, ANALYST) as client:
        for path in PATHS:
            response = await client.get(
                f"{REPORTS}/{path}", params={"limit": 10_000} if path == "products/boost" else {}
            )
            assert response.status_code == 200, response.text
            replies[path] = response.json()
    return replies


async def _rows(engine: Any) -> dict[str, list[tuple[Any, ...]]]:
    async with engine.connect() as connection:
        return {
            name: [tuple(r) for r in await connection.execute(text(f"SELECT * FROM analytics.{name} AS t ORDER BY t"))]
            for name in ("reward_fact", "wallet_entry", "sale_line", "sales_daily")
        }


async def test_the_demo_retailer_with_loyalty_running_gives_every_report_consistent_figures(
    database_url: str, db: asyncpg.Connection, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    generate(folder, customers=60, seed=3)
    broker = NatsServer(tmp_path / "nats")
    broker.start()
    try:
        with services(database_url, broker, tmp_path) as (customer_process, loyalty_process):
            async with (
                httpx2.AsyncClient(base_url=customer_process.url, headers=signed(), timeout=60) as customer,
                httpx2.AsyncClient(base_url=loyalty_process.url, headers=signed(), timeout=60) as loyalty,
            ):
                files = [(path.name, path.read_bytes()) for path in sorted(folder.glob("*.csv"))]
                response = await upload(customer, "patron", files)
                assert response.status_code == 202, response.text
                assert (await import_done(customer, response.json()["id"], timeout=240))["state"] == "done"
                products = await db.fetchval("SELECT count(*) FROM customer.product")
                await wait_for(db, "SELECT count(*) FROM loyalty.product", products)
                await _live_program(customer, loyalty, db)

        app = create_app(analytics_settings(database_url, broker.url))
        async with app.router.lifespan_context(app):
            await _caught_up(db)
            live = await _reports(app)

        rows = {path: reply["rows"] for path, reply in live.items()}
        assert all(rows.values()), {path: len(r) for path, r in rows.items()}
        for row in rows["customers"]:
            assert row["new"] + row["repeating"] + row["loyal"] == row["buyers"], row
        # November's buyers are the demo's plus the live shoppers; those who redeemed are loyal.
        assert rows["customers"][-1]["loyal"] >= 1
        for name in ("rewards/by/category", "rewards/by/product", "rewards/over-time"):
            for row in rows[name]:
                assert row["allocated"] >= row["redeemed"], row
                assert row["allocated"] == row["redeemed"] + row["voided"] + row["expired"] + row["open"], row
        services_rewards = await db.fetchrow(
            "SELECT count(*) AS allocated, count(*) FILTER (WHERE status = 'redeemed') AS redeemed, "
            "count(*) FILTER (WHERE status = 'voided') AS voided FROM loyalty.reward"
        )
        by_category = rows["rewards/by/category"]
        assert sum(r["allocated"] for r in by_category) == services_rewards["allocated"] >= 16
        assert sum(r["redeemed"] for r in by_category) == services_rewards["redeemed"] == 7  # 8, one taken back
        assert sum(r["voided"] for r in by_category) == services_rewards["voided"] >= 1
        assert sum(r["allocated"] for r in rows["rewards/by/product"]) == services_rewards["allocated"]
        assert {r["highlight"] for r in rows["rewards/highlights"]} == {"most_appealing", "most_redeemed"}
        boost = rows["products/boost"]
        assert sum(r["units_with_reward"] for r in boost) == 2 * 7  # two units on each redeeming bill kept
        assert all(r["units"] == r["units_with_reward"] + r["units_without_reward"] for r in boost)
        assert boost[0]["units_with_reward"] > 0  # rewarded products first
        assert sum(r["claims"] for r in rows["products/around-claims"]) == 7
        assert sum(r["redeemers"] for r in rows["sales-lift"]) == 7
        points = rows["points"]
        wallet = await db.fetchrow(
            "SELECT coalesce(sum(points) FILTER (WHERE kind = 'earn'), 0) AS earned, "
            "-coalesce(sum(points) FILTER (WHERE kind IN ('spend', 'refund')), 0) AS spent, "
            "coalesce(sum(points), 0) AS outstanding FROM loyalty.wallet_entry"
        )
        assert sum(r["earned"] for r in points) == wallet["earned"] == 1000 + 1100 + 1200 + 1300
        assert sum(r["spent"] for r in points) == wallet["spent"] == 500
        assert points[-1]["outstanding"] == wallet["outstanding"] == 4600 - 500 - 200
        assert Decimal(points[-1]["spent_within_validity_share"]) == 1

        engine = create_engine(database_url, pool_size=2)
        try:
            before = await _rows(engine)
            env = {
                "PATRON_DATABASE_URL": database_url,
                "PATRON_NATS_URL": broker.url,
                "PATRON_ENVIRONMENT": "test",
                "PATRON_INTERNAL_SECRET": TEST_SECRET,
            }
            result = await asyncio.to_thread(CliRunner().invoke, cli, ["analytics", "rebuild"], env=env)
            assert result.exit_code == 0, result.output
            assert await _rows(engine) == before
        finally:
            await engine.dispose()
        reader = create_app(analytics_settings(database_url, events_relay=False))
        async with reader.router.lifespan_context(reader):
            again = await _reports(reader)
        assert {p: r["rows"] for p, r in again.items()} == rows
        assert CONSUMER_NAME == "analytics-feed"
    finally:
        broker.stop()
