"""The stock ledger: restocks, adjustments with reasons, and restock suggestions."""

from tests.support.builders import buy, make_product


async def _stock(customer, product_id):
    response = await customer.get(f"/api/v1/products/{product_id}/stock")
    assert response.status_code == 200, response.text
    return response.json()


async def test_quantity_changes_only_through_the_ledger_and_equals_its_sum(customer, db):
    product = await make_product(customer, stock=None, track_stock=True)
    assert (
        await customer.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": 20})
    ).status_code == 201
    adjusted = await customer.post(
        f"/api/v1/products/{product['id']}/stock/adjustments", json={"quantity": -3, "reason": "broken in transit"}
    )
    assert adjusted.status_code == 201, adjusted.text
    assert adjusted.json() == {"product_id": product["id"], "track_stock": True, "stock_quantity": 17, "ledger_sum": 17}
    bill = (await buy(customer, [(product["id"], 5)])).json()
    await customer.post(
        f"/api/v1/purchases/{bill['id']}/returns", json={"lines": [{"line_id": bill["lines"][0]["id"], "quantity": 1}]}
    )
    level = await _stock(customer, product["id"])
    assert level["stock_quantity"] == level["ledger_sum"] == 13
    movements = (await customer.get(f"/api/v1/products/{product['id']}/stock/movements")).json()["items"]
    assert [(m["kind"], m["quantity"], m["reason"]) for m in movements] == [
        ("return", 1, None),
        ("sale", -5, None),
        ("adjustment", -3, "broken in transit"),
        ("restock", 20, None),
    ]
    # The product's own fields cannot set the quantity: it is not an input.
    patched = await customer.patch(f"/api/v1/products/{product['id']}", json={"stock_quantity": 999})
    assert patched.status_code == 422
    assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id=$1", product["id"]) == 13


async def test_an_adjustment_needs_a_reason_and_cannot_take_stock_below_zero(customer, db):
    product = await make_product(customer, stock=4)
    url = f"/api/v1/products/{product['id']}/stock/adjustments"
    no_reason = await customer.post(url, json={"quantity": -1})
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "body.reason"
    zero = await customer.post(url, json={"quantity": 0, "reason": "count"})
    assert zero.status_code == 422 and zero.json()["errors"][0]["field"] == "body.quantity"
    below = await customer.post(url, json={"quantity": -5, "reason": "count"})
    assert below.status_code == 409 and below.json()["errors"][0]["field"] == "body.quantity"
    bad_restock = await customer.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": -2})
    assert bad_restock.status_code == 422
    assert (await customer.post("/api/v1/products/999999/stock/restocks", json={"quantity": 1})).status_code == 404
    assert await db.fetchval("SELECT count(*) FROM customer.stock_movement WHERE product_id=$1", product["id"]) == 1
    assert (await _stock(customer, product["id"]))["stock_quantity"] == 4


async def test_a_product_without_stock_tracking_is_never_refused_for_stock(customer, db):
    service_item = await make_product(customer, stock=None)
    response = await buy(customer, [(service_item["id"], 10_000)])
    assert response.status_code == 201, response.text
    assert (
        await db.fetchval("SELECT count(*) FROM customer.stock_movement WHERE product_id=$1", service_item["id"]) == 0
    )
    refused = await customer.post(f"/api/v1/products/{service_item['id']}/stock/restocks", json={"quantity": 1})
    assert refused.status_code == 409


async def test_restock_suggestions_list_products_under_the_cover_asked(customer):
    slow = await make_product(customer, stock=100)  # 30 sold in 30 days: 1 a day, 70 days of cover
    fast = await make_product(customer, stock=10)  # 6 sold: 0.2 a day, 4 left, 20 days of cover
    idle = await make_product(customer, stock=1)  # nothing sold: no pace to cover
    await buy(customer, [(slow["id"], 30), (fast["id"], 6)])
    report = (
        await customer.get("/api/v1/products/restock-suggestions", params={"cover_days": 30, "target_days": 60})
    ).json()
    assert report["cover_days"] == 30 and report["target_days"] == 60
    assert [item["product_id"] for item in report["items"]] == [fast["id"]]
    (item,) = report["items"]
    assert item["sold_last_30_days"] == 6 and item["days_of_cover"] == "20.0" and item["daily_sales"] == "0.20"
    assert item["suggested_quantity"] == 12 - 4  # 60 days at 0.2 a day, less what is there
    wider = (await customer.get("/api/v1/products/restock-suggestions", params={"cover_days": 100})).json()
    assert [item["product_id"] for item in wider["items"]] == [fast["id"], slow["id"]]
    assert idle["id"] not in [item["product_id"] for item in wider["items"]]
    assert (await customer.get("/api/v1/products/restock-suggestions", params={"cover_days": 0})).status_code == 422
