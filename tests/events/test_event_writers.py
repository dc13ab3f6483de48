"""Every writer of the customer outbox writes events its contract accepts, numbered 1..n per aggregate.

The live routes (customers, products, stores, exchange rates, stock, bills, cancellations, returns)
serialise their payloads from the contract models in Python; the import builds them in SQL. Both go
through ``Outbox.statement``; this drives each writer against a real database and reads every row.
"""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.customer import (
    CustomerDeactivated,
    CustomerReactivated,
    PurchaseLineAmounts,
    PurchasesImported,
    StoreCreated,
    catalog,
)
from services.customer.outbox import outbox
from services.customer.stock.repository import StockChange
from services.customer.stock.service import apply_changes, lock_products
from services.kit.events import BatchPayload
from services.kit.outbox import payload_sql, selected
from tests.conftest import ServiceClient
from tests.imports.conftest import customer_service, run_import
from tests.support.builders import buy, make_customer, make_product

GE_STORES = (
    b"\xef\xbb\xbfStoreKey,Country,State,Square Meters,Open Date\n"
    b"1,France,Paris,100,1/13/2015\n0,Online,Online,,01-01-2010\n"
)
GE_CUSTOMERS = (
    b"CustomerKey,Gender,Name,City,State Code,State,Zip Code,Country,Continent,Birthday\n"
    b"301,Female,Lilly Harding,WANDEARAH EAST,SA,South Australia,5523,Australia,Australia,7/3/1939\n"
    b"325,Male,Ned Hull,MOUNT BUDD,WA,Western Australia,6522,Australia,Australia,\n"
)
GE_PRODUCTS = (
    b"ProductKey,Product Name,Brand,Color,Unit Cost USD,Unit Price USD,"
    b"SubcategoryKey,Subcategory,CategoryKey,Category\n"
    b'1,Lamp,Contoso,White,$1.00 ,"$1,000.05 ",0101,Lamps,01,Home\n'
    b"2,Cable,,,,$3.10 ,0102,Cables,01,Home\n"
)
# GBP is also written live below: the import's announcement continues that aggregate's seqs.
GE_RATES = b"\xef\xbb\xbfDate,Currency,Exchange\n01-01-2016,EUR,0.9\n1/2/2016,EUR,0.91\n01-01-2016,GBP,0.77\n"
GE_SALES = (
    b"Order Number,Line Item,Order Date,Delivery Date,CustomerKey,StoreKey,ProductKey,Quantity,Currency Code\n"
    b"10,1,1/1/2016,,301,1,1,2,EUR\n"
    b"10,2,1/1/2016,,301,1,2,5,EUR\n"
    b"11,1,1/2/2016 13:45:07,,,0,2,1,USD\n"
)
GE_FILES = [
    ("Stores.csv", GE_STORES),
    ("Customers.csv", GE_CUSTOMERS),
    ("Products.csv", GE_PRODUCTS),
    ("Exchange_Rates.csv", GE_RATES),
    ("Sales.csv", GE_SALES),
]
"""A small Global Electronics import: every role of the preset, a few rows each."""
MINIMAL = (
    b"client_id,ordered_at,amount,email,name\n"
    b"c1,2024-03-01 10:00,1234.50,ann@example.com,Ann\n"
    b",2024-03-02 12:00:00.25,5.00,,\n"
)


@pytest.fixture
async def service(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    """The customer service, live routes and imports both (uploads under ``tmp_path``)."""
    async with customer_service(database_url, import_dir=tmp_path / "imports") as client:
        yield client


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return response.json() if response.content else {}


async def _live_writers(api: ServiceClient) -> None:
    """Every live route that announces something, once at least."""
    shopper = await make_customer(api, city="Leeds", country="United Kingdom", birth_date="1980-05-17")
    _ok(await api.patch(f"/api/v1/customers/{shopper['id']}", json={"city": "York"}))
    _ok(await api.post(f"/api/v1/customers/{shopper['id']}/deactivate"))
    _ok(await api.post(f"/api/v1/customers/{shopper['id']}/reactivate"))
    leaving = await make_customer(api)
    _ok(await api.delete(f"/api/v1/customers/{leaving['id']}"), 204)
    forgotten = await make_customer(api)
    _ok(await api.post(f"/api/v1/privacy/customers/{forgotten['id']}/erasure"), 202)

    store = _ok(await api.post("/api/v1/stores", json={"name": "High Street", "opened_on": "2020-02-29"}), 201)
    _ok(await api.patch(f"/api/v1/stores/{store['id']}", json={"square_metres": 120}))

    lamp = await make_product(api, price="19.99", stock=10)  # product.created, stock.changed (restock)
    cable = await make_product(api, price="3.00", stock=None)  # stock not tracked: no stock.changed
    _ok(await api.patch(f"/api/v1/products/{lamp['id']}", json={"unit_price": "21.00"}))
    _ok(await api.post(f"/api/v1/products/{cable['id']}/deactivate"))
    _ok(await api.post(f"/api/v1/products/{cable['id']}/reactivate"))
    _ok(
        await api.post(f"/api/v1/products/{lamp['id']}/stock/adjustments", json={"quantity": -1, "reason": "dropped"}),
        201,
    )

    rates = [
        {"date": "2024-01-01", "currency": "GBP", "rate": "0.8"},
        {"date": "2024-01-02", "currency": "GBP", "rate": "0.81"},
    ]
    _ok(await api.put("/api/v1/exchange-rates", json={"rates": rates}))

    lines = [{"product_id": lamp["id"], "quantity": 3, "discount": "1.50"}, {"product_id": cable["id"], "quantity": 2}]
    bill = _ok(await buy(api, lines, customer_id=shopper["id"], currency="GBP", store_id=store["id"]), 201)
    returned = [{"line_id": bill["lines"][0]["id"], "quantity": 1}]
    _ok(await api.post(f"/api/v1/purchases/{bill['id']}/returns", json={"lines": returned, "reason": "broken"}))
    _ok(await api.post(f"/api/v1/purchases/{bill['id']}/cancel", json={"reason": "changed mind"}))
    guest = _ok(await buy(api, [(lamp["id"], 1)]), 201)  # base currency, no customer
    assert guest["customer_id"] is None


async def _import_writers(api: ServiceClient) -> None:
    """An import of each role: stores (the online shop linked, one made), customers, products, rates, sales, bills."""
    files = GE_FILES
    job = await run_import(api, "global-electronics", files)
    assert job["state"] == "done" and not job["report"]["rejected"]["rows"], job
    job = await run_import(api, "minimal", [("bills.csv", MINIMAL)])
    assert job["state"] == "done" and not job["report"]["rejected"]["rows"], job


def _check_row(row: asyncpg.Record) -> dict[str, Any]:
    """One outbox row against its contract: type, version, subject, aggregate and the exact payload."""
    contract = catalog.get(row["type"])
    assert contract is not None, row["type"]
    assert (row["version"], row["subject"]) == (contract.version, catalog.subject(row["type"])), row
    payload = json.loads(row["payload"])
    event = contract.model_validate(payload)  # extra fields refused, missing ones too (nested parts as well)
    # Encoded as pydantic encodes it (decimals as strings, ISO dates and times), not merely accepted.
    assert event.model_dump(mode="json") == payload, (row["type"], payload)
    if isinstance(event, BatchPayload):
        # Each item is its single event, validated by that event's model and encoded the same way.
        assert type(event).of(event.import_id, event.records()).model_dump(mode="json") == payload, payload
    assert row["aggregate_id"] == event.aggregate_id(), row
    assert row["occurred_at"] is not None
    return payload


async def test_every_writer_writes_events_its_contract_accepts_in_seq_order(service, db) -> None:
    await _live_writers(service)
    await _import_writers(service)

    rows = await db.fetch("SELECT * FROM customer.event_outbox ORDER BY id")
    payloads = [(row["type"], _check_row(row)) for row in rows]
    assert {row["type"] for row in rows} == {contract.event_type for contract in catalog}

    # A batch event's items count as their aggregates' seq 1, the event itself as its import's next seq.
    seqs: dict[str, list[int]] = {}
    singles: list[tuple[str, dict[str, Any]]] = []
    for row, (kind, payload) in zip(rows, payloads, strict=True):
        seqs.setdefault(row["aggregate_id"], []).append(row["seq"])
        contract = catalog.get(kind)
        if contract is not None and issubclass(contract, BatchPayload):
            batch = contract.model_validate(payload)
            for member, record in zip(batch.members(), batch.records(), strict=True):
                seqs.setdefault(member, []).append(1)
                singles.append((record.event_type, record.model_dump(mode="json")))
        else:
            singles.append((kind, payload))
    gaps = {aggregate: numbers for aggregate, numbers in seqs.items() if numbers != list(range(1, len(numbers) + 1))}
    assert not gaps, gaps  # 1..n, in outbox id order, whichever writer wrote them
    last = {row["aggregate_id"]: row["last_seq"] for row in await db.fetch("SELECT * FROM customer.event_sequence")}
    assert last == {aggregate: len(numbers) for aggregate, numbers in seqs.items()}

    # The import's own SQL-built payloads are among them, one of each kind it writes: what it created
    # in batch events (the items), what it changed in single ones.
    created = {kind for kind, _ in payloads if kind.endswith(".imported")}
    assert created == {"customers.imported", "products.imported", "purchases.imported"}
    assert not [p for kind, p in payloads if kind == "purchase.recorded" and p["source"] == "import"]
    imported = [p for kind, p in singles if kind == "purchase.recorded" and p["source"] == "import"]
    assert len(imported) == 4
    assert seqs["store:0"] == [1] and ("store.updated", 0) in {(k, p.get("store_id")) for k, p in payloads}
    assert seqs["exchange_rate:GBP"] == [1, 2]  # live, then the import's upsert of it
    assert any(k == "customer.created" and p["age_band"] == "60 and above" for k, p in singles)
    assert any(k == "product.created" and p["currency"] == "USD" and p["unit_price"] == "1000.05" for k, p in singles)
    imported_times = [p["purchased_at"] for p in imported]
    assert "2024-03-02T12:00:00.250000Z" in imported_times and "2016-01-02T13:45:07Z" in imported_times


async def test_the_stock_ledger_announces_each_change_with_the_quantity_it_leaves(customer, customer_app, db) -> None:
    product = await make_product(customer, stock=4)
    async with AsyncSession(customer_app.state.engine) as session, session.begin():
        locked = await lock_products(session, [product["id"]])
        await apply_changes(
            session,
            [StockChange(product["id"], 5, "restock"), StockChange(product["id"], -2, "adjustment", "counted")],
            stock={product["id"]: locked[product["id"]].stock_quantity},
        )
    rows = await db.fetch("SELECT * FROM customer.event_outbox WHERE type = 'stock.changed' ORDER BY id")
    assert [(_check_row(row)["quantity"], _check_row(row)["stock_quantity"], row["seq"]) for row in rows] == [
        (4, 4, 2),
        (5, 9, 3),
        (-2, 7, 4),
    ]
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 7
    movements = await db.fetch("SELECT kind, quantity, reason FROM customer.stock_movement ORDER BY id")
    assert [tuple(m) for m in movements] == [("restock", 4, None), ("restock", 5, None), ("adjustment", -2, "counted")]


async def test_events_selected_by_sql_of_several_types_continue_each_aggregates_seqs(customer, db) -> None:
    shopper = await make_customer(customer)  # customer.created: seq 1
    key = shopper["id"]
    source = f"""(SELECT * FROM (VALUES
        ({key}, 2, 'customer.deactivated', jsonb_build_object('customer_id', {key})),
        ({key}, 1, 'customer.reactivated', jsonb_build_object('customer_id', {key})),
        ({key}, 3, 'customer.deactivated', jsonb_build_object('customer_id', {key}))
    ) AS v (key, ord, type, payload))"""
    written = await db.execute(outbox.statement(selected(source, CustomerDeactivated, CustomerReactivated)))
    assert written == "INSERT 0 3"
    rows = await db.fetch("SELECT * FROM customer.event_outbox ORDER BY id")
    assert [(row["type"], row["seq"]) for row in rows] == [
        ("customer.created", 1),
        ("customer.reactivated", 2),
        ("customer.deactivated", 3),
        ("customer.deactivated", 4),
    ]
    for row in rows:
        _check_row(row)

    unlisted = source.replace("'customer.reactivated'", "'customer.vanished'")
    with pytest.raises(asyncpg.NotNullViolationError):  # a type the source did not name is refused, never dropped
        await db.execute(outbox.statement(selected(unlisted, CustomerDeactivated, CustomerReactivated)))


async def test_a_created_aggregate_has_one_first_event(customer, db) -> None:
    store = _ok(await customer.post("/api/v1/stores", json={"name": "Kiosk"}), 201)
    twice = f"""(SELECT {store["id"]} + 1000 AS key, n AS ord, jsonb_build_object('store_id', n) AS payload
                FROM generate_series(1, 2) AS n)"""
    with pytest.raises(asyncpg.UniqueViolationError):  # never a silent second seq 1
        await db.execute(outbox.statement(selected(twice, StoreCreated), created=True))


def test_a_payload_built_in_sql_must_give_exactly_its_contracts_fields() -> None:
    fields = {name: f"l.{name}" for name in PurchaseLineAmounts.model_fields}
    assert payload_sql(PurchaseLineAmounts, **fields).startswith("jsonb_build_object('line_id', (l.line_id)")
    with pytest.raises(ValueError, match=r"missing \['local_total'\]"):
        payload_sql(PurchaseLineAmounts, **{k: v for k, v in fields.items() if k != "local_total"})
    with pytest.raises(ValueError, match=r"unknown \['colour'\]"):
        payload_sql(PurchaseLineAmounts, **fields, colour="l.colour")
    # Decimals as strings, dates and times as ISO text: as pydantic's JSON mode writes them.
    assert "CAST((l.base_total) AS text)" in payload_sql(PurchaseLineAmounts, **fields)
    with pytest.raises(ValueError, match="not listed"):
        outbox.statement(selected("x", type("Stray", (CustomerDeactivated,), {"event_type": "customer.stray"})))


async def test_a_batch_statement_cuts_its_items_into_chunks_by_count_and_by_weight(customer, db) -> None:
    """2,500 bills, the later ones of 10 lines each: chunks of at most 1,000 bills and about 2,000 lines."""
    items = """(SELECT g AS key, g AS ord, jsonb_build_array(g) AS item,
                       CASE WHEN g <= 1500 THEN 1 ELSE 10 END AS weight
                FROM generate_series(1, 2500) AS g)"""
    statement = outbox.batch(PurchasesImported, items, import_id="7", chunk_weight=2000)
    written = int((await db.execute(statement)).split()[-1])
    rows = await db.fetch("SELECT * FROM customer.event_outbox ORDER BY seq")
    assert len(rows) == written and [row["seq"] for row in rows] == list(range(1, written + 1))
    assert {row["aggregate_id"] for row in rows} == {"import:7"}
    chunks = [[item[0] for item in json.loads(row["payload"])["items"]] for row in rows]
    assert [key for chunk in chunks for key in chunk] == list(range(1, 2501))  # every item once, in order
    weights = [sum(1 if key <= 1500 else 10 for key in chunk) for chunk in chunks]
    assert max(len(chunk) for chunk in chunks) <= 1000 and max(weights) <= 2000 + 10
    assert written <= -(-2500 // 1000) + -(-(1500 + 1000 * 10) // 2000)  # no needless small chunks
    assert json.loads(rows[0]["payload"])["member"] == "purchase"
    members = await db.fetchval(
        "SELECT count(*) FROM customer.event_sequence WHERE last_seq = 1 AND aggregate_id LIKE 'purchase:%'"
    )
    assert members == 2500
    assert await db.fetchval("SELECT last_seq FROM customer.event_sequence WHERE aggregate_id = 'import:7'") == written
