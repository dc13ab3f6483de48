"""A bill's reward across services, as real processes on loopback with a real broker.

Recording a bill asks the loyalty service for its reward and shows it when loyalty answers in time;
when loyalty is stopped or too slow the bill is recorded all the same, and loyalty allocates the
reward from the purchase event once it runs, exactly once however often it starts.
"""

import asyncio
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx2

from tests.conftest import TEST_SECRET, signed
from tests.events.conftest import NatsServer
from tests.loyalty.conftest import put_products
from tests.support.builders import buy, make_customer, make_product
from tests.support.processes import RunningService, free_port, serve

WAIT_SECONDS = 30.0


def _env(database_url: str, nats: NatsServer, **more: str) -> dict[str, str]:
    return {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_NATS_URL": nats.url,
        "PATRON_EVENTS_RELAY": "true",
        **more,
    }


@contextmanager
def customer_service(
    database_url: str, nats: NatsServer, tmp_path: Path, loyalty_url: str, **more: str
) -> Iterator[RunningService]:
    with serve("customer", _env(database_url, nats, PATRON_CUSTOMER_LOYALTY_URL=loyalty_url, **more), tmp_path) as s:
        yield s


@contextmanager
def loyalty_service(database_url: str, nats: NatsServer, tmp_path: Path) -> Iterator[RunningService]:
    with serve("loyalty", _env(database_url, nats), tmp_path) as service:
        yield service


def client_of(service: RunningService) -> httpx2.AsyncClient:
    return httpx2.AsyncClient(base_url=service.url, headers=signed(), timeout=10.0)


async def shop(customer: httpx2.AsyncClient, db: asyncpg.Connection) -> tuple[dict[str, Any], dict[str, Any]]:
    """A product at 300.00 the loyalty ledger knows as the only one on sale, and a shopper."""
    product = await make_product(customer, price="300.00", stock=100)
    await put_products(db, [(product["id"], product["sku"], "active", 0, 0)])
    return product, await make_customer(customer)


async def wait_for(db: asyncpg.Connection, sql: str, expected: Any, *args: Any) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while (found := await db.fetchval(sql, *args)) != expected:
        assert time.monotonic() < deadline, f"{sql}: {found!r}, not {expected!r}"
        await asyncio.sleep(0.2)


async def rewards(db: asyncpg.Connection) -> dict[int, tuple[str, str]]:
    rows = await db.fetch("SELECT purchase_id, status, allocated_by FROM loyalty.reward")
    return {row["purchase_id"]: (row["status"], row["allocated_by"]) for row in rows}


async def test_the_purchase_response_shows_the_reward_loyalty_allocated_and_the_event_adds_none(
    database_url, db, broker, tmp_path
):
    with (
        loyalty_service(database_url, broker, tmp_path) as loyalty,
        customer_service(database_url, broker, tmp_path, loyalty.url) as customer_process,
    ):
        async with client_of(customer_process) as customer:
            product, shopper = await shop(customer, db)
            body = {"lines": [{"product_id": product["id"], "quantity": 2}], "customer_id": shopper["id"]}
            bill = await customer.post("/api/v1/purchases", json=body, headers={"Idempotency-Key": "bill-1"})
            assert bill.status_code == 201, bill.text
            reward = bill.json()["reward"]
            assert (reward["product_id"], reward["sku"], reward["category"], reward["percent"]) == (
                product["id"],
                product["sku"],
                2,
                20,
            )
            assert len(reward["token"]) == 32
            retried = await customer.post("/api/v1/purchases", json=body, headers={"Idempotency-Key": "bill-1"})
            assert retried.json() == bill.json()
            guest = await buy(customer, [(product["id"], 2)])
            assert guest.status_code == 201 and guest.json()["reward"] is None

            # Loyalty then reads both bills' events: the first has its reward already, the guest earns none.
            for purchase_id in (bill.json()["id"], guest.json()["id"]):
                await wait_for(
                    db,
                    "SELECT last_seq FROM loyalty.aggregate_position "
                    "WHERE consumer = 'loyalty-rewards' AND aggregate_id = $1",
                    1,
                    f"purchase:{purchase_id}",
                )
            assert await rewards(db) == {bill.json()["id"]: ("usable", "call")}
            assert await db.fetchval("SELECT count(*) FROM loyalty.event_outbox WHERE type = 'reward.allocated'") == 1


async def test_with_loyalty_stopped_bills_are_recorded_and_rewarded_once_from_their_events_when_it_starts(
    database_url, db, broker, tmp_path
):
    nowhere = f"http://127.0.0.1:{free_port()}"
    with customer_service(database_url, broker, tmp_path, nowhere) as customer_process:
        async with client_of(customer_process) as customer:
            product, shopper = await shop(customer, db)
            bills = []
            for quantity in (2, 5, 1):  # 600.00, 1,500.00 and 300.00: categories 2, 5 and 1
                started = time.monotonic()
                bill = await buy(customer, [(product["id"], quantity)], customer_id=shopper["id"])
                assert bill.status_code == 201 and bill.json()["reward"] is None, bill.text
                assert time.monotonic() - started < 2.0
                bills.append(bill.json()["id"])
            cancelled = await customer.post(f"/api/v1/purchases/{bills[1]}/cancel", json={})
            assert cancelled.status_code == 200, cancelled.text
            await wait_for(db, "SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL", 0)

            with loyalty_service(database_url, broker, tmp_path):
                await wait_for(db, "SELECT count(*) FROM loyalty.reward", 3)
                await wait_for(db, "SELECT status FROM loyalty.reward WHERE purchase_id = $1", "voided", bills[1])
                # Loyalty's relay publishes its own events: three allocations and a voiding.
                await wait_for(db, "SELECT count(*) FROM loyalty.event_outbox WHERE sent_at IS NOT NULL", 4)
            assert await rewards(db) == {
                bills[0]: ("usable", "event"),
                bills[1]: ("voided", "event"),
                bills[2]: ("usable", "event"),
            }
            categories = dict(await db.fetch("SELECT purchase_id, category FROM loyalty.reward"))
            assert categories == {bills[0]: 2, bills[1]: 5, bills[2]: 1}

            # Started again, loyalty reads on from where it stopped: nothing is allocated twice.
            with loyalty_service(database_url, broker, tmp_path) as loyalty:
                async with httpx2.AsyncClient(base_url=loyalty.url, timeout=5.0) as probe:
                    assert (await probe.get("/health/ready")).status_code == 200
                await asyncio.sleep(2.0)
            assert await db.fetchval("SELECT count(*) FROM loyalty.reward") == 3
            assert await db.fetchval("SELECT count(*) FROM loyalty.event_outbox WHERE type = 'reward.allocated'") == 3


async def test_a_loyalty_service_too_slow_to_answer_never_holds_up_or_fails_the_purchase(
    database_url, db, broker, tmp_path
):
    # A listener that takes connections and never answers: the call times out.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    try:
        slow = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with customer_service(
            database_url, broker, tmp_path, slow, PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS="200"
        ) as customer_process:
            async with client_of(customer_process) as customer:
                product, shopper = await shop(customer, db)
                started = time.monotonic()
                bill = await buy(customer, [(product["id"], 2)], customer_id=shopper["id"])
                elapsed = time.monotonic() - started
                assert bill.status_code == 201 and bill.json()["reward"] is None, bill.text
                assert 0.2 <= elapsed < 1.5, elapsed
                assert (await customer.get(f"/api/v1/purchases/{bill.json()['id']}")).status_code == 200
    finally:
        silent.close()
