"""Recording, reading, cancelling and returning purchases against the customer service."""

from decimal import Decimal

from services.kit.principal import Principal, PrincipalKind
from tests.conftest import ServiceClient
from tests.support.builders import buy, make_customer, make_product


async def _snapshot(db):
    """Everything a refused request must leave untouched."""
    return (
        await db.fetch("SELECT id, stock_quantity FROM customer.product ORDER BY id"),
        await db.fetchval("SELECT count(*) FROM customer.purchase"),
        await db.fetchval("SELECT count(*) FROM customer.purchase_line"),
        await db.fetch("SELECT product_id, kind, quantity FROM customer.stock_movement ORDER BY id"),
    )


async def test_a_bill_takes_prices_from_the_catalogue_and_stock_from_the_ledger(customer, db):
    shopper = await make_customer(customer)
    mug = await make_product(customer, price="12.99", stock=10)
    pen = await make_product(customer, price="1.50", stock=None)  # stock not tracked
    response = await buy(customer, [(mug["id"], 3), (pen["id"], 2)], customer_id=shopper["id"], store_id=0)
    assert response.status_code == 201, response.text
    bill = response.json()
    assert bill["channel"] == "assisted" and bill["source"] == "live" and bill["status"] == "recorded"
    assert bill["currency"] == "USD" and bill["base_currency"] == "USD"
    assert bill["base_total"] == "41.97" and bill["local_total"] == "41.97"
    assert [(line["sku"], line["quantity"], line["base_unit_price"]) for line in bill["lines"]] == [
        (mug["sku"], 3, "12.99"),
        (pen["sku"], 2, "1.50"),
    ]
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", mug["id"]) == 7
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", pen["id"]) == 0
    movements = await db.fetch(
        "SELECT kind, quantity FROM customer.stock_movement WHERE product_id=$1 ORDER BY id", mug["id"]
    )
    assert [(m["kind"], m["quantity"]) for m in movements] == [("restock", 10), ("sale", -3)]


async def test_the_channel_comes_from_the_principal_never_from_the_body(customer):
    shopper = await make_customer(customer)
    product = await make_product(customer, stock=5)
    refused = await buy(customer, [(product["id"], 1)], channel="self")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.channel"
    me = Principal(kind=PrincipalKind.CUSTOMER, subject=f"customer:{shopper['id']}", customer_id=shopper["id"])
    async with customer.as_principal(me) as app_client:
        own = await buy(app_client, [(product["id"], 1)])
        assert own.status_code == 201, own.text
        assert own.json()["channel"] == "self" and own.json()["customer_id"] == shopper["id"]
        other = await make_customer(customer)
        forbidden = await buy(app_client, [(product["id"], 1)], customer_id=other["id"])
        assert forbidden.status_code == 403


async def test_a_bill_in_another_currency_keeps_base_and_local_amounts(customer):
    # The rate of the bill's date or the latest earlier one: not an older one, not a later one, not another currency's.
    rates = [
        {"date": "2024-02-20", "currency": "EUR", "rate": "0.8000"},
        {"date": "2024-03-01", "currency": "EUR", "rate": "0.9137"},
        {"date": "2024-03-06", "currency": "EUR", "rate": "0.9500"},
        {"date": "2024-03-05", "currency": "GBP", "rate": "0.7800"},
    ]
    assert (await customer.put("/api/v1/exchange-rates", json={"rates": rates})).status_code == 200
    product = await make_product(customer, price="12.99", stock=None)
    response = await buy(
        customer,
        [{"product_id": product["id"], "quantity": 3, "discount": "1.00"}],
        currency="EUR",
        purchased_at="2024-03-05T10:00:00Z",
    )
    assert response.status_code == 201, response.text
    bill = response.json()
    line = bill["lines"][0]
    # 12.99 × 0.9137 = 11.868963 -> 11.87 a unit; the line is 3 × 11.87, less the discount
    assert line["local_unit_price"] == "11.87"
    assert line["local_gross"] == "35.61" and line["local_total"] == "34.61"
    assert line["base_gross"] == "38.97"
    assert line["base_discount"] == str((Decimal("1.00") / Decimal("0.9137")).quantize(Decimal("0.01")))
    assert bill["rate_date"] == "2024-03-01" and Decimal(bill["rate"]) == Decimal("0.9137")


async def test_a_currency_with_no_rate_on_or_before_the_date_is_refused(customer, db):
    await customer.put(
        "/api/v1/exchange-rates", json={"rates": [{"date": "2024-03-10", "currency": "EUR", "rate": "0.9"}]}
    )
    product = await make_product(customer, stock=3)
    before = await _snapshot(db)
    response = await buy(customer, [(product["id"], 1)], currency="EUR", purchased_at="2024-03-09T10:00:00Z")
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"][0]["field"] == "body.currency"
    assert await _snapshot(db) == before


async def test_a_bill_that_any_line_cannot_serve_is_refused_whole(customer, db):
    plenty = await make_product(customer, stock=10)
    scarce = await make_product(customer, stock=2)
    before = await _snapshot(db)
    response = await buy(customer, [(plenty["id"], 1), (scarce["id"], 3)])
    assert response.status_code == 409
    problem = response.json()
    assert problem["short_lines"] == [{"line": 1, "product_id": scarce["id"], "requested": 3, "available": 2}]
    assert problem["errors"][0]["field"] == "body.lines.1.quantity"
    assert await _snapshot(db) == before


async def test_bad_input_names_the_field_and_changes_nothing(customer, db):
    product = await make_product(customer, price="5.00", stock=5)
    inactive = await make_product(customer, stock=5)
    await customer.post(f"/api/v1/products/{inactive['id']}/deactivate")
    before = await _snapshot(db)
    cases = {
        "body.lines.0.product_id": [{"product_id": 999999, "quantity": 1}],
        "body.lines.0.quantity": [{"product_id": product["id"], "quantity": 0}],
        "body.lines.0.discount": [{"product_id": product["id"], "quantity": 1, "discount": "5.01"}],
        "body.lines.1.product_id": [
            {"product_id": product["id"], "quantity": 1},
            {"product_id": product["id"], "quantity": 2},
        ],
        "body.lines": [],
    }
    for field, lines in cases.items():
        response = await customer.post("/api/v1/purchases", json={"lines": lines})
        assert response.status_code == 422, (field, response.text)
        assert field in [error["field"] for error in response.json()["errors"]], (field, response.json())
    negative = await customer.post("/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": -1}]})
    assert negative.status_code == 422 and negative.json()["errors"][0]["field"] == "body.lines.0.quantity"
    for field, extra in {
        "body.customer_id": {"customer_id": 424242},
        "body.store_id": {"store_id": 4242},
        "body.currency": {"currency": "EURO"},
        "body.purchased_at": {"purchased_at": "2999-01-01T00:00:00Z"},
    }.items():
        response = await buy(customer, [(product["id"], 1)], **extra)
        assert response.status_code == 422, (field, response.text)
        assert response.json()["errors"][0]["field"] == field
    response = await buy(customer, [(inactive["id"], 1)])
    assert response.status_code == 422 and response.json()["errors"][0]["code"] == "inactive"
    assert await _snapshot(db) == before


async def test_cancellation_restores_stock_once_and_zeroes_the_net(customer, db):
    product = await make_product(customer, price="4.00", stock=5)
    bill = (await buy(customer, [(product["id"], 3)])).json()
    cancelled = await customer.post(f"/api/v1/purchases/{bill['id']}/cancel", json={"reason": "changed mind"})
    assert cancelled.status_code == 200, cancelled.text
    body = cancelled.json()
    assert body["status"] == "cancelled" and body["base_net"] == "0.00" and body["base_total"] == "12.00"
    assert body["lines"][0]["base_net"] == "0.00"
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 5
    again = await customer.post(f"/api/v1/purchases/{bill['id']}/cancel", json={})
    assert again.status_code == 409
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 5
    refused_return = await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": bill["lines"][0]["id"], "quantity": 1}]}
    )
    assert refused_return.status_code == 409


async def test_returns_never_exceed_what_was_bought_and_update_the_totals(customer, db):
    product = await make_product(customer, price="10.00", stock=5)
    other = await make_product(customer, price="2.50", stock=5)
    bill = (await buy(customer, [(product["id"], 3), (other["id"], 1)])).json()
    line_id = bill["lines"][0]["id"]
    first = await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": line_id, "quantity": 2}]}
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert body["lines"][0]["returned_quantity"] == 2 and body["lines"][0]["base_net"] == "10.00"
    assert body["base_returned"] == "20.00" and body["base_net"] == "12.50"
    too_many = await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": line_id, "quantity": 2}]}
    )
    assert too_many.status_code == 409 and too_many.json()["errors"][0]["field"] == "body.lines.0.quantity"
    foreign = await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": 999999, "quantity": 1}]}
    )
    assert foreign.status_code == 422 and foreign.json()["errors"][0]["field"] == "body.lines.0.line_id"
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 4
    cancelled = (await customer.post(f"/api/v1/purchases/{bill['id']}/cancel", json={})).json()
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 5
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", other["id"]) == 5
    assert cancelled["base_net"] == "0.00"


async def test_history_lists_a_customers_bills_newest_first_with_net_amounts(customer):
    shopper = await make_customer(customer)
    someone_else = await make_customer(customer)
    product = await make_product(customer, price="3.00", stock=None)
    ids = []
    for day in range(1, 6):
        response = await buy(
            customer, [(product["id"], day)], customer_id=shopper["id"], purchased_at=f"2024-01-0{day}T12:00:00Z"
        )
        ids.append(response.json()["id"])
    await buy(customer, [(product["id"], 1)], customer_id=someone_else["id"])
    await customer.post(f"/api/v1/purchases/{ids[0]}/cancel", json={})
    seen, cursor = [], None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = (await customer.get(f"/api/v1/customers/{shopper['id']}/purchases", params=params)).json()
        seen += page["items"]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert [bill["id"] for bill in seen] == ids[::-1]
    assert seen[-1]["status"] == "cancelled" and seen[-1]["base_net"] == "0.00"
    assert seen[0]["lines"][0]["name"] == product["name"] and seen[0]["base_total"] == "15.00"
    ranged = (
        await customer.get(
            f"/api/v1/customers/{shopper['id']}/purchases",
            params={"purchased_from": "2024-01-02T00:00:00Z", "purchased_to": "2024-01-04T00:00:00Z"},
        )
    ).json()
    assert [bill["id"] for bill in ranged["items"]] == [ids[2], ids[1]]
    assert (await customer.get(f"/api/v1/purchases/{ids[1]}")).json()["id"] == ids[1]
    assert (await customer.get("/api/v1/purchases/999999")).status_code == 404
    assert (await customer.get("/api/v1/customers/999999/purchases")).status_code == 404


async def test_a_customer_reads_only_their_own_bills(customer: ServiceClient):
    shopper = await make_customer(customer)
    other = await make_customer(customer)
    product = await make_product(customer, stock=None)
    theirs = (await buy(customer, [(product["id"], 1)], customer_id=other["id"])).json()
    me = Principal(kind=PrincipalKind.CUSTOMER, subject="c", customer_id=shopper["id"])
    async with customer.as_principal(me) as app_client:
        assert (await app_client.get(f"/api/v1/purchases/{theirs['id']}")).status_code == 404
        assert (await app_client.get(f"/api/v1/customers/{other['id']}/purchases")).status_code == 404


async def test_a_retried_bill_with_the_same_idempotency_key_is_recorded_once(customer, db):
    product = await make_product(customer, stock=5)
    headers = {"Idempotency-Key": "till-7-bill-1001"}
    first = await customer.post(
        "/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": 2}]}, headers=headers
    )
    retry = await customer.post(
        "/api/v1/purchases", json={"lines": [{"product_id": product["id"], "quantity": 2}]}, headers=headers
    )
    assert (first.status_code, retry.status_code) == (201, 201)  # the first answer, replayed
    assert first.json() == retry.json() and retry.headers["idempotent-replayed"] == "true"
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 3


async def test_a_customer_with_purchases_cannot_be_deleted(customer):
    shopper = await make_customer(customer)
    product = await make_product(customer, stock=None)
    await buy(customer, [(product["id"], 1)], customer_id=shopper["id"])
    response = await customer.delete(f"/api/v1/customers/{shopper['id']}")
    assert response.status_code == 409 and "erasure" in response.json()
    assert (await customer.delete(f"/api/v1/products/{product['id']}")).status_code == 409


async def test_what_the_database_refuses_in_a_bill_is_the_clients_error_and_changes_nothing(customer, db):
    product = await make_product(customer, stock=5)
    first = await buy(customer, [(product["id"], 1)], number="INV-1")
    assert first.status_code == 201, first.text
    before = await _snapshot(db)
    again = await buy(customer, [(product["id"], 1)], number="INV-1")
    assert again.status_code == 409, again.text
    assert again.json()["errors"] == [
        {"field": "body.number", "message": "a live purchase has this number", "code": "unique"}
    ]
    for text in ({"number": "INV\u00002"}, {"reward_token": "tok\u0000en"}):
        refused = await buy(customer, [(product["id"], 1)], **text)
        assert refused.status_code == 422, refused.text
    assert await _snapshot(db) == before
