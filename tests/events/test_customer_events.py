"""The customer service's events: documented, free of personal data, and never lost on the way."""

import asyncio
import json
import re
import time
from pathlib import Path

import httpx2
import nats
import pytest

from services.contracts import events_document
from services.contracts.customer import EXAMPLES, catalog
from services.kit.events import BatchPayload
from tests.conftest import TEST_SECRET, signed
from tests.support.builders import buy, make_customer, make_product
from tests.support.processes import serve

ROOT = Path(__file__).resolve().parents[2]
PERSONAL_FIELDS = re.compile(
    r"(^|_)(email|phone|username|address|street|postcode|zip|first_name|last_name|full_name)($|_)"
)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)
PHONE = re.compile(r"\+?\d[\d ()./-]{7,}\d")


def _walk(node, path=""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}.{index}")
    else:
        yield path, node


def test_docs_events_md_is_what_the_code_says():
    documented = (ROOT / "docs" / "events.md").read_text()
    assert documented == events_document(), "run `patron events docs -o docs/events.md`"
    for payload_type in catalog:
        assert f"### `{payload_type.event_type}` (version {payload_type.version})" in documented


def test_every_event_type_has_an_example_with_no_direct_identifier():
    assert set(EXAMPLES) == {payload_type.event_type for payload_type in catalog}
    for event_type, example in EXAMPLES.items():
        payload = example.model_dump(mode="json")
        for path, value in _walk(payload):
            field = path.rsplit(".", 1)[-1]
            assert not PERSONAL_FIELDS.search(field), (event_type, path)
            if event_type.startswith("customer."):
                assert field != "name", (event_type, path)
            if isinstance(value, str):
                assert not EMAIL.search(value), (event_type, path, value)
                assert not PHONE.search(value) or re.fullmatch(r"[\d.:TZ+-]+", value), (event_type, path, value)


async def test_a_customers_whole_story_leaves_no_personal_data_in_the_outbox(customer, db):
    personal = {
        "name": "Zéphyrine Quattlebaum",
        "email": "zephyrine.q@example.org",
        "phone": "+44 20 7946 0958",
        "username": "zephyq",
        "postcode": "SW1A 2AA",
    }
    shopper = await make_customer(
        customer, **personal, city="London", country="United Kingdom", birth_date="1980-05-17", gender="female"
    )
    await customer.patch(f"/api/v1/customers/{shopper['id']}", json={"phone": "+44 20 7946 0000"})
    await customer.post(f"/api/v1/customers/{shopper['id']}/deactivate")
    await customer.post(f"/api/v1/customers/{shopper['id']}/reactivate")
    product = await make_product(customer, stock=10)
    await customer.put(
        "/api/v1/exchange-rates", json={"rates": [{"date": "2024-01-01", "currency": "GBP", "rate": "0.8"}]}
    )
    bill = (await buy(customer, [(product["id"], 3)], customer_id=shopper["id"], currency="GBP")).json()
    line_id = bill["lines"][0]["id"]
    await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": line_id, "quantity": 1}]}
    )
    await customer.post(f"/api/v1/purchases/{bill['id']}/cancel", json={})
    store = (await customer.post("/api/v1/stores", json={"name": "High Street"})).json()
    await customer.patch(f"/api/v1/stores/{store['id']}", json={"square_metres": 120})
    await customer.patch(f"/api/v1/products/{product['id']}", json={"unit_price": "11.00"})
    leaving = await make_customer(customer)
    await customer.delete(f"/api/v1/customers/{leaving['id']}")
    erased = await customer.post(f"/api/v1/privacy/customers/{shopper['id']}/erasure")
    assert erased.status_code == 202, erased.text

    rows = await db.fetch("SELECT type, aggregate_id, seq, payload FROM customer.event_outbox ORDER BY id")
    # Every type but the batch events of imports (their writers are checked with the import's).
    live = {payload_type.event_type for payload_type in catalog if not issubclass(payload_type, BatchPayload)}
    assert {row["type"] for row in rows} == live
    everything = " ".join(row["payload"] for row in rows).lower()
    for field, value in personal.items():
        assert value.lower() not in everything, field
    assert "+44 20 7946 0000" not in everything
    seqs: dict[str, list[int]] = {}
    for row in rows:
        seqs.setdefault(row["aggregate_id"], []).append(row["seq"])
        assert catalog.get(row["type"]) is not None
        catalog.get(row["type"]).model_validate(json.loads(row["payload"]))  # payloads match their documented type
    assert all(numbers == list(range(1, len(numbers) + 1)) for numbers in seqs.values()), seqs
    assert seqs[f"purchase:{bill['id']}"] == [1, 2, 3]  # recorded, line returned, cancelled


@pytest.fixture
def customer_with_nats(database_url, nats_server, tmp_path):
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_NATS_URL": nats_server.url,
        "PATRON_LOG_LEVEL": "WARNING",
    }
    with serve("customer", env, tmp_path) as service:
        yield service.url


async def _recorded_purchase_ids(nats_url: str) -> list[int]:
    connection = await nats.connect(nats_url)
    try:
        js = connection.jetstream()
        subscription = await js.pull_subscribe("patron.customer.purchase.recorded", durable=None)
        ids = []
        while True:
            try:
                messages = await subscription.fetch(100, timeout=1)
            except TimeoutError:  # nats-py raises its own or, when its deadline passes first, asyncio's
                return ids
            for message in messages:
                ids.append(json.loads(message.data)["payload"]["purchase_id"])
                await message.ack()
    finally:
        await connection.close()


async def _metric(url: str, name: str) -> float:
    text = httpx2.get(f"{url}/metrics", timeout=10).text
    return float(re.search(rf"^{name} (\S+)$", text, re.M).group(1))


@pytest.mark.timeout(180)
async def test_purchases_recorded_while_the_broker_is_down_all_reach_the_stream_once(
    customer_with_nats, nats_server, db
):
    async with httpx2.AsyncClient(base_url=customer_with_nats, headers=signed(), timeout=30) as http:
        product = await make_product(http, stock=None)
        ids = [(await buy(http, [(product["id"], 1)])).json()["id"] for _ in range(10)]
        nats_server.stop()
        ids += [(await buy(http, [(product["id"], 1)])).json()["id"] for _ in range(10)]
        assert await _metric(customer_with_nats, "patron_outbox_backlog") >= 10  # waiting, not lost
        nats_server.start()
        ids += [(await buy(http, [(product["id"], 1)])).json()["id"] for _ in range(10)]
    deadline = time.monotonic() + 60
    while await db.fetchval("SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL"):
        assert time.monotonic() < deadline, "the relay did not drain the outbox"
        await asyncio.sleep(0.2)
    published = await _recorded_purchase_ids(nats_server.url)
    assert sorted(published) == sorted(ids) and len(ids) == 30
    assert await _metric(customer_with_nats, "patron_outbox_backlog") == 0
