"""Products: unique SKUs, money as decimal strings in the base currency, filters, the lifecycle, deletion."""

from decimal import Decimal
from typing import Any

from services.customer.app import create_app
from services.customer.settings import CustomerSettings
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.problems import assert_problem, insert_purchase, snapshot

PRODUCTS = "/api/v1/products"


async def _create(client: Any, sku: str, **fields: Any) -> dict[str, Any]:
    body = {"sku": sku, "name": f"Product {sku}", "unit_cost": "1.00", "unit_price": "2.00"} | fields
    response = await client.post(PRODUCTS, json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def _walk(client: Any, params: dict[str, Any], limit: int) -> list[int]:
    ids: list[int] = []
    cursor = None
    while True:
        response = await client.get(PRODUCTS, params=params | {"limit": limit} | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= limit
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids


async def test_create_with_every_field_and_read_it_back(customer, db):
    body = {
        "external_ref": "P-100",
        "sku": "  MUG-RED-01 ",
        "name": "Red mug",
        "brand": "HomeCo",
        "own_brand": True,
        "colour": "Red",
        "category": "Kitchen",
        "subcategory": "Mugs",
        "unit_cost": "4.5",
        "unit_price": 12,
        "track_stock": False,
    }
    response = await customer.post(PRODUCTS, json=body)
    assert response.status_code == 201, response.text
    created = response.json()
    expected = body | {"sku": "MUG-RED-01", "unit_cost": "4.50", "unit_price": "12.00"}
    assert {key: created[key] for key in expected} == expected
    assert created["currency"] == "USD"
    assert created["stock_quantity"] == 0
    assert created["status"] == "active"
    assert (await customer.get(f"{PRODUCTS}/{created['id']}")).json() == created
    row = await db.fetchrow("SELECT * FROM customer.product WHERE id = $1", created["id"])
    assert (row["unit_cost"], row["unit_price"]) == (Decimal("4.50"), Decimal("12.00"))
    assert (row["own_brand"], row["track_stock"], row["sku"]) == (True, False, "MUG-RED-01")


async def test_defaults_track_stock_and_not_own_brand(customer):
    created = await _create(customer, "PLAIN")
    assert created["own_brand"] is False
    assert created["track_stock"] is True
    assert created["brand"] is None


async def test_money_travels_as_strings_with_two_decimals(customer):
    for price, shown in [("0", "0.00"), ("0.1", "0.10"), ("19.99", "19.99"), ("1000000", "1000000.00"), (7.5, "7.50")]:
        created = await _create(customer, f"P-{shown}", unit_price=price)
        assert created["unit_price"] == shown
        assert isinstance(created["unit_cost"], str)


async def test_currency_is_the_configured_base_currency(database_url):
    settings = CustomerSettings(
        database_url=database_url, environment="test", internal_secret=TEST_SECRET, base_currency="eur"
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        created = await _create(client, "EURO-1")
        assert created["currency"] == "EUR"
        listed = (await client.get(PRODUCTS)).json()["items"]
        assert [item["currency"] for item in listed] == ["EUR"]


async def test_sku_is_unique(customer, db):
    await _create(customer, "SKU-1")
    before = await snapshot(db)
    for duplicate in ["SKU-1", "  SKU-1  "]:
        response = await customer.post(
            PRODUCTS, json={"sku": duplicate, "name": "Copy", "unit_cost": "1.00", "unit_price": "2.00"}
        )
        body = assert_problem(response, 409, "conflict", ["body.sku"])
        assert body["errors"][0]["code"] == "unique"
    assert await snapshot(db) == before


async def test_sku_taken_on_update_is_a_conflict(customer, db):
    await _create(customer, "TAKEN")
    other = await _create(customer, "FREE")
    before = await snapshot(db)
    assert_problem(
        await customer.patch(f"{PRODUCTS}/{other['id']}", json={"sku": "TAKEN"}), 409, "conflict", ["body.sku"]
    )
    assert await snapshot(db) == before


async def test_external_ref_is_unique(customer, db):
    await _create(customer, "A", external_ref="X-1")
    before = await snapshot(db)
    response = await customer.post(
        PRODUCTS, json={"sku": "B", "name": "B", "unit_cost": "1", "unit_price": "1", "external_ref": "X-1"}
    )
    assert_problem(response, 409, "conflict", ["body.external_ref"])
    assert await snapshot(db) == before


async def test_bad_money_is_refused_naming_the_field(customer, db):
    cases = [
        ({"unit_price": "-0.01"}, "body.unit_price"),
        ({"unit_price": -5}, "body.unit_price"),
        ({"unit_cost": "-1.00"}, "body.unit_cost"),
        ({"unit_price": "1.234"}, "body.unit_price"),  # more than two decimals
        ({"unit_cost": "0.001"}, "body.unit_cost"),
        ({"unit_price": "12.5x"}, "body.unit_price"),
        ({"unit_price": "NaN"}, "body.unit_price"),
        ({"unit_price": "Infinity"}, "body.unit_price"),
        ({"unit_price": "1e20"}, "body.unit_price"),  # beyond numeric(14, 2)
        ({"unit_price": None}, "body.unit_price"),
        ({"unit_price": True}, "body.unit_price"),
    ]
    for fields, field in cases:
        body = {"sku": "BAD", "name": "Bad", "unit_cost": "1.00", "unit_price": "2.00"} | fields
        assert_problem(await customer.post(PRODUCTS, json=body), 422, "validation", [field])
    missing = await customer.post(PRODUCTS, json={"sku": "BAD", "name": "Bad"})
    assert_problem(missing, 422, "validation", ["body.unit_cost", "body.unit_price"])
    assert await db.fetchval("SELECT count(*) FROM customer.product") == 0


async def test_update_changes_only_the_fields_sent(customer, db):
    created = await _create(customer, "UPD", brand="Acme", colour="Blue", unit_price="5.00", own_brand=True)
    response = await customer.patch(f"{PRODUCTS}/{created['id']}", json={"unit_price": "6.5", "colour": None})
    assert response.status_code == 200, response.text
    updated = response.json()
    assert updated["unit_price"] == "6.50" and updated["colour"] is None
    unchanged = {key: value for key, value in created.items() if key not in ("unit_price", "colour", "updated_at")}
    assert {key: updated[key] for key in unchanged} == unchanged
    assert await db.fetchval("SELECT unit_price FROM customer.product WHERE id = $1", created["id"]) == Decimal("6.50")


async def test_update_refuses_null_for_required_fields_and_bad_money(customer, db):
    created = await _create(customer, "REQ")
    before = await snapshot(db)
    for body, field in [
        ({"unit_price": None}, "body.unit_price"),
        ({"sku": None}, "body.sku"),
        ({"own_brand": None}, "body.own_brand"),
        ({"track_stock": None}, "body.track_stock"),
        ({"unit_price": "-1"}, "body.unit_price"),
        ({"unit_cost": "1.999"}, "body.unit_cost"),
        ({"stock_quantity": 5}, "body.stock_quantity"),  # stock changes only through the ledger
        ({"status": "inactive"}, "body.status"),
    ]:
        assert_problem(await customer.patch(f"{PRODUCTS}/{created['id']}", json=body), 422, "validation", [field])
    assert await snapshot(db) == before


async def test_deactivate_and_reactivate(customer, db):
    created = await _create(customer, "LIFE")
    deactivated = await customer.post(f"{PRODUCTS}/{created['id']}/deactivate")
    assert deactivated.status_code == 200 and deactivated.json()["status"] == "inactive"
    assert await db.fetchval("SELECT status FROM customer.product WHERE id = $1", created["id"]) == "inactive"
    assert (await customer.post(f"{PRODUCTS}/{created['id']}/deactivate")).json()["status"] == "inactive"
    reactivated = await customer.post(f"{PRODUCTS}/{created['id']}/reactivate")
    assert reactivated.status_code == 200 and reactivated.json()["status"] == "active"
    assert await db.fetchval("SELECT status FROM customer.product WHERE id = $1", created["id"]) == "active"
    assert_problem(await customer.post(f"{PRODUCTS}/999/deactivate"), 404, "not-found")


async def test_delete_an_unsold_product(customer, db):
    created = await _create(customer, "GONE")
    assert (await customer.delete(f"{PRODUCTS}/{created['id']}")).status_code == 204
    assert_problem(await customer.get(f"{PRODUCTS}/{created['id']}"), 404, "not-found")
    assert await db.fetchval("SELECT count(*) FROM customer.product") == 0
    assert_problem(await customer.delete(f"{PRODUCTS}/{created['id']}"), 404, "not-found")


async def test_a_product_on_a_purchase_line_cannot_be_deleted(customer, db):
    created = await _create(customer, "SOLD")
    await insert_purchase(db, customer_id=None, product_id=created["id"])
    before = await snapshot(db)
    body = assert_problem(await customer.delete(f"{PRODUCTS}/{created['id']}"), 409, "conflict")
    assert "deactivate" in body["detail"]
    assert await snapshot(db) == before


async def test_list_filters(customer):
    products = {
        "mug": await _create(customer, "MUG-1", name="Red mug", brand="HomeCo", own_brand=True, category="Kitchen",
                             subcategory="Mugs"),
        "pan": await _create(customer, "PAN-1", name="Frying pan", brand="Chef", category="Kitchen",
                             subcategory="Pans", track_stock=False),
        "tee": await _create(customer, "TEE-1", name="T-shirt 100%", brand="HomeCo", own_brand=True,
                             category="Clothing"),
    }  # fmt: skip
    await customer.post(f"{PRODUCTS}/{products['pan']['id']}/deactivate")
    by_id = {product["id"]: key for key, product in products.items()}

    async def keys(**params: Any) -> set[str]:
        response = await customer.get(PRODUCTS, params=params)
        assert response.status_code == 200, response.text
        return {by_id[item["id"]] for item in response.json()["items"]}

    assert await keys() == {"mug", "pan", "tee"}
    assert await keys(status="active") == {"mug", "tee"}
    assert await keys(status="inactive") == {"pan"}
    assert await keys(brand="HomeCo") == {"mug", "tee"}
    assert await keys(category="Kitchen") == {"mug", "pan"}
    assert await keys(subcategory="Pans") == {"pan"}
    assert await keys(own_brand="true") == {"mug", "tee"}
    assert await keys(own_brand="false") == {"pan"}
    assert await keys(track_stock="false") == {"pan"}
    assert await keys(sku="TEE-1") == {"tee"}
    assert await keys(q="mug") == {"mug"}  # part of the name
    assert await keys(q="pan-") == {"pan"}  # part of the SKU, any case
    assert await keys(q="%") == {"tee"}  # wildcards are literal
    assert await keys(brand="HomeCo", category="Clothing") == {"tee"}
    assert_problem(await customer.get(PRODUCTS, params={"sort": "brand"}), 422, "validation", ["query.sort"])
    assert_problem(await customer.get(PRODUCTS, params={"own_brand": "maybe"}), 422, "validation", ["query.own_brand"])


async def test_every_sort_walks_all_pages_without_duplicates_or_gaps(customer, db):
    for sku, name, price in [("C", "Lamp", "5.00"), ("A", "Bowl", "9.99"), ("E", "Lamp", "5.00"),
                             ("B", "Cup", "0.50"), ("D", "Bowl", "12.00")]:  # fmt: skip
        await _create(customer, sku, name=name, unit_price=price)
    rows = await db.fetch("SELECT id, sku, name, unit_price FROM customer.product")
    keys = {
        "id": lambda row: (row["id"],),
        "sku": lambda row: (row["sku"],),
        "name": lambda row: (row["name"], row["id"]),
        "unit_price": lambda row: (row["unit_price"], row["id"]),
    }
    for sort in ["id", "sku", "name", "unit_price", "-unit_price"]:
        expected = [row["id"] for row in sorted(rows, key=keys[sort.lstrip("-")], reverse=sort.startswith("-"))]
        for limit in (1, 2, 5):
            assert await _walk(customer, {"sort": sort}, limit) == expected, (sort, limit)


async def test_unknown_product_is_404(customer):
    assert_problem(await customer.get(f"{PRODUCTS}/424242"), 404, "not-found")
    assert_problem(await customer.patch(f"{PRODUCTS}/424242", json={"name": "x"}), 404, "not-found")
