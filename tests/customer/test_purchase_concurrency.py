"""Concurrent bills, cancellations and returns over real HTTP against the running customer service."""

import asyncio
import json
import random

import asyncpg
import httpx2
import pytest

from tests.conftest import signed

pytestmark = pytest.mark.timeout(180)


@pytest.fixture
async def http(customer_process):
    limits = httpx2.Limits(max_connections=100, max_keepalive_connections=100)
    async with httpx2.AsyncClient(base_url=customer_process, headers=signed(), timeout=60, limits=limits) as client:
        yield client


async def _product(http, stock):
    n = random.randrange(10**9)
    product = (
        await http.post(
            "/api/v1/products", json={"sku": f"C-{n}", "name": f"P{n}", "unit_cost": "1.00", "unit_price": "9.99"}
        )
    ).json()
    if stock:
        assert (
            await http.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": stock})
        ).status_code == 201
    return product


async def _assert_ledger_matches(db):
    mismatches = await db.fetch(
        """
        SELECT p.id, p.stock_quantity, coalesce(sum(m.quantity), 0) AS ledger
        FROM customer.product p LEFT JOIN customer.stock_movement m ON m.product_id = p.id
        WHERE p.track_stock GROUP BY p.id HAVING p.stock_quantity <> coalesce(sum(m.quantity), 0)
        """
    )
    assert mismatches == []


async def test_sixty_buyers_race_for_the_last_seven_units(http, db):
    product = await _product(http, stock=7)
    bill = {"lines": [{"product_id": product["id"], "quantity": 1}]}
    responses = await asyncio.gather(*(http.post("/api/v1/purchases", json=bill) for _ in range(60)))
    statuses = sorted(response.status_code for response in responses)
    assert statuses.count(201) == 7
    assert statuses.count(409) == 53
    assert all(r.json()["short_lines"][0]["available"] == 0 for r in responses if r.status_code == 409)
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 0
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 7
    await _assert_ledger_matches(db)


async def test_bills_over_overlapping_products_in_any_order_neither_deadlock_nor_lose_updates(http, db):
    """90 bills of 3 products each, in every order, over 6 products stocked with exactly what they ask for.

    Every bill fits, so every bill must be recorded and the shelves end empty: a deadlock, a lost
    update or a wrongly refused bill each changes a count below.
    """
    rng = random.Random(7)
    picks = []
    for _ in range(90):
        chosen = rng.sample(range(6), 3)  # a different order of the same products on different bills
        picks.append([(index, rng.randint(1, 9)) for index in chosen])
    demand = [sum(quantity for pick in picks for index, quantity in pick if index == each) for each in range(6)]
    products = [await _product(http, stock=demand[index]) for index in range(6)]
    ids = [product["id"] for product in products]
    bills = [
        {"lines": [{"product_id": ids[index], "quantity": quantity} for index, quantity in pick]} for pick in picks
    ]

    responses = await asyncio.gather(*(http.post("/api/v1/purchases", json=bill) for bill in bills))

    statuses = [response.status_code for response in responses]
    assert (statuses.count(201), statuses.count(409), len(statuses)) == (90, 0, 90), [
        response.text for response in responses if response.status_code != 201
    ]
    recorded = [response.json() for response in responses]
    assert len({bill["id"] for bill in recorded}) == 90
    sold = {ids[index]: 0 for index in range(6)}
    for bill in recorded:
        assert len(bill["lines"]) == 3
        for line in bill["lines"]:
            sold[line["product_id"]] += line["quantity"]
    assert sold == dict(zip(ids, demand, strict=True))
    assert sum(sold.values()) == sum(demand) == 1357
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 90
    assert await db.fetchval("SELECT count(*) FROM customer.purchase_line") == 270
    in_ledger = await db.fetch(
        "SELECT product_id, sum(quantity) AS sold FROM customer.purchase_line GROUP BY product_id ORDER BY product_id"
    )
    assert {row["product_id"]: row["sold"] for row in in_ledger} == sold
    stock_left = await db.fetch(
        "SELECT id, stock_quantity FROM customer.product WHERE id = ANY($1::bigint[]) ORDER BY id", ids
    )
    assert [row["stock_quantity"] for row in stock_left] == [0] * 6
    await _assert_ledger_matches(db)

    # The shelves are empty, not merely low: one more unit of any of them is refused and records nothing.
    one_more = await http.post("/api/v1/purchases", json={"lines": [{"product_id": ids[0], "quantity": 1}]})
    assert one_more.status_code == 409
    assert one_more.json()["short_lines"][0]["available"] == 0
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 90


async def test_a_product_changed_while_a_bill_is_written_is_billed_as_it_is_then(http, db, database_url):
    """A bill for a product whose price and stock another transaction is changing waits for it.

    The bill must come out priced, and its stock event counted, from the product as it is once that
    transaction commits, never from what it was before.
    """
    product = await _product(http, stock=10)  # priced 9.99
    other = await asyncpg.connect(database_url)
    try:
        async with other.transaction():
            await other.execute(
                "UPDATE customer.product SET unit_price = 12.50, stock_quantity = stock_quantity + 5 WHERE id = $1",
                product["id"],
            )
            await other.execute(
                "INSERT INTO customer.stock_movement (product_id, kind, quantity) VALUES ($1, 'restock', 5)",
                product["id"],
            )
            posting = asyncio.create_task(
                http.post("/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": 2}]})
            )
            async with asyncio.timeout(30):  # until the service waits for the product's row lock
                while not await db.fetchval(
                    "SELECT count(*) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                ):
                    await asyncio.sleep(0.02)
            assert not posting.done()
    finally:
        await other.close()
    response = await posting
    assert response.status_code == 201, response.text
    bill = response.json()
    assert bill["lines"][0]["base_unit_price"] == "12.50" and bill["base_total"] == "25.00"
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 13
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 1
    assert await db.fetchval("SELECT count(*) FROM customer.purchase_line") == 1
    events = {
        row["type"]: json.loads(row["payload"])
        for row in await db.fetch("SELECT type, payload::text FROM customer.event_outbox WHERE aggregate_id <> $1", "")
        if json.loads(row["payload"]).get("purchase_id") == bill["id"]
    }
    assert events["stock.changed"]["stock_quantity"] == 13
    assert events["purchase.recorded"]["base_total"] == "25.00"
    await _assert_ledger_matches(db)


async def test_two_cancellations_of_one_bill_race_and_only_one_wins(http, db):
    product = await _product(http, stock=10)
    for _ in range(5):
        bill = (
            await http.post("/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": 2}]})
        ).json()
        responses = await asyncio.gather(
            *(http.post(f"/api/v1/purchases/{bill['id']}/cancel", json={}) for _ in range(4))
        )
        assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 10
    await _assert_ledger_matches(db)


async def test_racing_returns_never_return_more_than_was_bought(http, db):
    product = await _product(http, stock=10)
    bill = (await http.post("/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": 5}]})).json()
    line_id = bill["lines"][0]["id"]
    ret = {"lines": [{"line_id": line_id, "quantity": 2}]}
    responses = await asyncio.gather(
        *(http.post(f"/api/v1/purchases/{bill['id']}/returns", json=ret) for _ in range(6))
    )
    assert sorted(r.status_code for r in responses) == [200, 200, 409, 409, 409, 409]
    assert await db.fetchval("SELECT returned_quantity FROM customer.purchase_line WHERE id=$1", line_id) == 4
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 9
    final = (await http.get(f"/api/v1/purchases/{bill['id']}")).json()
    assert final["base_returned"] == "39.96" and final["base_net"] == "9.99"
    await _assert_ledger_matches(db)
