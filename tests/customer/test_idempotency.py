"""Idempotency-Key on every write: once per caller and key, the same answer to a retry, a 422 to a reuse."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from services.kit.principal import Principal, PrincipalKind
from tests.conftest import ServiceClient
from tests.support.builders import make_customer, make_product

OTHER = Principal(kind=PrincipalKind.STAFF, subject="staff:2", roles=["admin"])
NEW_CUSTOMER = {"name": "Ada Lovelace", "username": "ada", "email": "ada@example.org", "country": "United Kingdom"}


async def test_a_retry_with_the_same_key_and_body_replays_the_first_answer_and_acts_once(
    customer: ServiceClient, db
) -> None:
    first = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers={"Idempotency-Key": "signup-1"})
    again = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers={"Idempotency-Key": "signup-1"})
    assert first.status_code == 201
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true" and "idempotent-replayed" not in first.headers
    assert again.headers["content-type"] == first.headers["content-type"]
    assert await db.fetchval("SELECT count(*) FROM customer.customer WHERE username = 'ada'") == 1
    assert await db.fetchval("SELECT count(*) FROM customer.event_outbox WHERE type = 'customer.created'") == 1


async def test_the_same_key_with_another_body_is_refused_and_changes_nothing(customer: ServiceClient, db) -> None:
    headers = {"Idempotency-Key": "signup-2"}
    first = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers)
    assert first.status_code == 201
    other = {**NEW_CUSTOMER, "username": "ada2", "email": "ada2@example.org"}
    reused = await customer.post("/api/v1/customers", json=other, headers=headers)
    assert reused.status_code == 422
    assert reused.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in reused.json()["errors"]] == ["header.Idempotency-Key"]
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 1
    # Another path with the key is another request too.
    product = await customer.post(
        "/api/v1/products", json={"sku": "X-1", "name": "X", "unit_cost": "0.50", "unit_price": "1.00"}, headers=headers
    )
    assert product.status_code == 422, product.text
    assert [e["field"] for e in product.json()["errors"]] == ["header.Idempotency-Key"]
    assert await db.fetchval("SELECT count(*) FROM customer.product") == 0


async def test_a_key_belongs_to_its_caller(customer: ServiceClient, db) -> None:
    headers = {"Idempotency-Key": "shared-key"}
    mine = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers)
    other = {**NEW_CUSTOMER, "username": "grace", "email": "grace@example.org", "name": "Grace Hopper"}
    theirs = await customer.as_principal(OTHER).post("/api/v1/customers", json=other, headers=headers)
    assert mine.status_code == 201 and theirs.status_code == 201
    assert theirs.json()["id"] != mine.json()["id"] and theirs.json()["name"] == "Grace Hopper"
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 2


async def test_concurrent_retries_act_once_and_all_get_the_first_answer(customer: ServiceClient, db) -> None:
    headers = {"Idempotency-Key": "burst"}
    answers = await asyncio.gather(
        *(customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers) for _ in range(8))
    )
    assert {a.status_code for a in answers} == {201}
    assert len({a.text for a in answers}) == 1
    assert sum(a.headers.get("idempotent-replayed") == "true" for a in answers) == 7
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 1


async def test_a_refused_request_is_answered_the_same_and_an_expired_key_is_new_again(
    customer: ServiceClient, db
) -> None:
    headers = {"Idempotency-Key": "bad-then-expired"}
    bad = {**NEW_CUSTOMER, "email": "not an email"}
    first = await customer.post("/api/v1/customers", json=bad, headers=headers)
    again = await customer.post("/api/v1/customers", json=bad, headers=headers)
    assert first.status_code == 422 and again.status_code == 422 and again.json() == first.json()
    await db.execute(
        "UPDATE customer.idempotency_key SET expires_at = $1 WHERE key = $2",
        datetime.now(UTC) - timedelta(seconds=1),
        "bad-then-expired",
    )
    fresh = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers=headers)
    assert fresh.status_code == 201 and "idempotent-replayed" not in fresh.headers
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 1


@pytest.mark.parametrize("key", ["", "x" * 201, "tab\there"])
async def test_a_malformed_key_is_a_400_naming_the_header(customer: ServiceClient, db, key: str) -> None:
    answer = await customer.post("/api/v1/customers", json=NEW_CUSTOMER, headers={"Idempotency-Key": key})
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json()["errors"]] == ["header.Idempotency-Key"]
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 0


async def test_writes_without_a_key_act_every_time(customer: ServiceClient, db) -> None:
    product = await make_product(customer, sku="LAMP-1")
    for _ in range(2):
        answer = await customer.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": 5})
        assert answer.status_code == 201
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 10
    keyed = {"Idempotency-Key": "restock-1"}
    for _ in range(2):
        answer = await customer.post(
            f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": 5}, headers=keyed
        )
        assert answer.status_code == 201
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 15
    await make_customer(customer)


# The bill: the defect this closes was a caller reading another caller's bill through its key.


async def test_another_callers_key_reveals_nothing_of_their_bill(customer: ServiceClient, db) -> None:
    product = await make_product(customer, stock=10)
    theirs = await make_customer(customer, name="Their Customer")
    mine = await make_customer(customer, name="My Customer")
    headers = {"Idempotency-Key": "till-1-bill-1"}
    first = await customer.post(
        "/api/v1/purchases",
        json={"customer_id": theirs["id"], "lines": [{"product_id": product["id"], "quantity": 3}]},
        headers=headers,
    )
    assert first.status_code == 201
    other_caller = customer.as_principal(OTHER)
    second = await other_caller.post(
        "/api/v1/purchases",
        json={"customer_id": mine["id"], "lines": [{"product_id": product["id"], "quantity": 1}]},
        headers=headers,
    )
    assert second.status_code == 201 and "idempotent-replayed" not in second.headers
    assert second.json()["id"] != first.json()["id"]
    assert second.json()["customer_id"] == mine["id"]
    assert [line["quantity"] for line in second.json()["lines"]] == [1]  # its own bill, not theirs
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 2
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 6


@pytest.mark.parametrize(
    "change",
    [
        {"customer_id": "other"},
        {"lines": [{"quantity": 2}]},
        {"purchased_at": "2026-01-02T10:00:00Z"},
    ],
    ids=["another customer", "another quantity", "another date"],
)
async def test_a_reused_key_with_another_bill_is_refused(customer: ServiceClient, db, change: dict) -> None:
    product = await make_product(customer, stock=10)
    shopper, other = await make_customer(customer), await make_customer(customer)
    bill = {
        "customer_id": shopper["id"],
        "purchased_at": "2026-01-01T10:00:00Z",
        "lines": [{"product_id": product["id"], "quantity": 1}],
    }
    headers = {"Idempotency-Key": "till-2-bill-9"}
    assert (await customer.post("/api/v1/purchases", json=bill, headers=headers)).status_code == 201
    changed = {**bill, **change}
    if change.get("customer_id") == "other":
        changed["customer_id"] = other["id"]
    if "lines" in change:
        changed["lines"] = [{"product_id": product["id"], "quantity": 2}]
    refused = await customer.post("/api/v1/purchases", json=changed, headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["header.Idempotency-Key"]
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 1
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 9


async def test_concurrent_retries_of_a_bill_record_it_once(customer: ServiceClient, db) -> None:
    product = await make_product(customer, stock=10)
    bill = {"lines": [{"product_id": product["id"], "quantity": 2}]}
    headers = {"Idempotency-Key": "till-3-bill-5"}
    answers = await asyncio.gather(*(customer.post("/api/v1/purchases", json=bill, headers=headers) for _ in range(6)))
    assert {a.status_code for a in answers} == {201}
    assert len({a.json()["id"] for a in answers}) == 1
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 1
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 8
    events = "SELECT count(*) FROM customer.event_outbox WHERE type = 'purchase.recorded'"
    assert await db.fetchval(events) == 1


async def test_the_purge_job_deletes_expired_keys_only(database_url, db) -> None:
    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings
    from services.kit.app import IDEMPOTENCY_PURGE_JOB
    from tests.conftest import TEST_SECRET

    now = datetime.now(UTC)
    for key, expires in (("expired", now - timedelta(minutes=1)), ("live", now + timedelta(hours=1))):
        await db.execute(
            "INSERT INTO customer.idempotency_key (principal, key, request_hash, status, headers, body, expires_at)"
            " VALUES ('staff:staff:1', $1, 'h', 201, '[]', '', $2)",
            key,
            expires,
        )
    settings = CustomerSettings(
        database_url=database_url, environment="test", internal_secret=TEST_SECRET, events_relay=False
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        for _ in range(300):
            done = "SELECT finished_at FROM customer.job_lease WHERE name = $1"
            if await db.fetchval(done, IDEMPOTENCY_PURGE_JOB) is not None:
                break
            await asyncio.sleep(0.05)
    keys = await db.fetch("SELECT key FROM customer.idempotency_key ORDER BY key")
    assert [row["key"] for row in keys] == ["live"]
