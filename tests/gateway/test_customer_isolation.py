"""Two real registered customers, A and B, through a real gateway and customer process: each reaches
the catalogue and their own data, and nothing of the other's, whichever id they put where."""

import pytest

from tests.gateway.test_customer_accounts import NEW_PASSWORD, PASSWORD, customer_sign_in, registered
from tests.gateway.test_staff import ADMIN, _bearer, _sign_in, gateway, gateways  # noqa: F401 - fixtures
from tests.support.problems import assert_problem


@pytest.fixture
async def shop(gateway):  # noqa: F811 - the fixture above, used here
    """An admin, two products (one inactive) with stock, and customers A and B signed in."""
    admin = _bearer((await _sign_in(gateway, ADMIN)).json()["access_token"])
    products = []
    for sku, name in (("LAMP", "Lamp"), ("OLD", "Old lamp")):
        made = await gateway.post(
            "/api/v1/products",
            json={"sku": sku, "name": name, "unit_cost": "4.00", "unit_price": "9.99", "track_stock": False},
            headers=admin,
        )
        assert made.status_code == 201, made.text
        products.append(made.json())
    assert (await gateway.post(f"/api/v1/products/{products[1]['id']}/deactivate", headers=admin)).status_code == 200
    a = await registered(gateway, "alice", "alice@example.org")
    b = await registered(gateway, "bob", "bob@example.org")
    return {
        "admin": admin,
        "lamp": products[0]["id"],
        "old": products[1]["id"],
        "a": a["customer_id"],
        "b": b["customer_id"],
        "A": _bearer(a["access_token"]),
        "B": _bearer(b["access_token"]),
    }


async def _buy(gateway, headers, product_id, **extra):  # noqa: F811
    return await gateway.post(
        "/api/v1/purchases", json={"lines": [{"product_id": product_id, "quantity": 1}]} | extra, headers=headers
    )


async def test_a_customer_reaches_the_catalogue_and_their_own_data(gateway, shop):  # noqa: F811
    a, me = shop["a"], shop["A"]
    catalogue = await gateway.get("/api/v1/products", headers=me)
    assert catalogue.status_code == 200, catalogue.text
    items = catalogue.json()["items"]
    assert [item["id"] for item in items] == [shop["lamp"]]  # the active catalogue only
    assert all("unit_cost" not in item and "stock_quantity" not in item for item in items)
    lamp = await gateway.get(f"/api/v1/products/{shop['lamp']}", headers=me)
    assert lamp.status_code == 200 and "unit_cost" not in lamp.json()
    assert_problem(await gateway.get(f"/api/v1/products/{shop['old']}", headers=me), 404, "not-found")

    profile = await gateway.get(f"/api/v1/customers/{a}", headers=me)
    assert profile.status_code == 200 and profile.json()["username"] == "alice"
    updated = await gateway.patch(f"/api/v1/customers/{a}", json={"phone": "+44 20 1234", "city": "Leeds"}, headers=me)
    assert updated.status_code == 200 and updated.json()["city"] == "Leeds"

    bought = await _buy(gateway, me, shop["lamp"])
    assert bought.status_code == 201, bought.text
    assert bought.json()["customer_id"] == a and bought.json()["channel"] == "self"
    history = await gateway.get(f"/api/v1/customers/{a}/purchases", headers=me)
    assert [bill["id"] for bill in history.json()["items"]] == [bought.json()["id"]]
    listed = await gateway.get("/api/v1/purchases", headers=me)
    assert [bill["id"] for bill in listed.json()["items"]] == [bought.json()["id"]]
    assert (await gateway.get(f"/api/v1/purchases/{bought.json()['id']}", headers=me)).status_code == 200

    changed = await gateway.post(
        "/api/v1/auth/customers/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=me,
    )
    assert changed.status_code == 200, changed.text
    assert (await customer_sign_in(gateway, "alice", NEW_PASSWORD)).status_code == 200


async def test_a_customer_reaches_nothing_of_another_customers(gateway, shop, db):  # noqa: F811
    a, b, me = shop["a"], shop["b"], shop["A"]
    theirs = await _buy(gateway, shop["B"], shop["lamp"])
    assert theirs.status_code == 201
    bill = theirs.json()["id"]
    before = await db.fetchrow("SELECT * FROM customer.customer WHERE id = $1", b)
    bills_before = await db.fetchval("SELECT count(*) FROM customer.purchase")

    # an id in the path
    for path in (f"/api/v1/customers/{b}", f"/api/v1/customers/{b}/purchases", f"/api/v1/purchases/{bill}"):
        assert_problem(await gateway.get(path, headers=me), 404, "not-found")
    assert_problem(await gateway.patch(f"/api/v1/customers/{b}", json={"city": "Hull"}, headers=me), 404, "not-found")
    # an id in the body: a bill for B recorded by A is refused, and no bill is made
    for_b = await _buy(gateway, me, shop["lamp"], customer_id=b)
    assert_problem(for_b, 403, "forbidden")
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == bills_before
    # an id in the query
    listed = await gateway.get("/api/v1/purchases", params={"customer_id": b}, headers=me)
    assert_problem(listed, 403, "forbidden")
    # no list shows B's rows
    mine = await gateway.get("/api/v1/purchases", headers=me)
    assert mine.status_code == 200 and all(row["customer_id"] == a for row in mine.json()["items"])
    assert bill not in [row["id"] for row in mine.json()["items"]]
    # staff-only operations
    for method, path in (
        ("GET", "/api/v1/customers"),
        ("POST", f"/api/v1/customers/{b}/deactivate"),
        ("DELETE", f"/api/v1/customers/{b}"),
        ("POST", f"/api/v1/purchases/{bill}/cancel"),
        ("GET", "/api/v1/stores"),
        ("GET", "/api/v1/staff"),
        ("GET", "/api/v1/api-keys"),
    ):
        response = await gateway.request(method, path, headers=me, json={"reason": "x"} if method == "POST" else None)
        assert_problem(response, 403, "forbidden")
    assert_problem(
        await gateway.post("/api/v1/products", json={"sku": "X", "name": "X", "unit_price": "1.00"}, headers=me),
        403,
        "forbidden",
    )
    assert_problem(
        await gateway.post("/api/v1/customer-accounts/invitations", json={"customer_id": b}, headers=me),
        403,
        "forbidden",
    )
    # B's profile and credentials are as they were; A's own-account routes act on A only
    assert await db.fetchrow("SELECT * FROM customer.customer WHERE id = $1", b) == before
    renamed = await gateway.put("/api/v1/auth/customers/me/username", json={"username": "alice2"}, headers=me)
    assert renamed.json() == {"customer_id": a, "username": "alice2"}
    assert await db.fetchval("SELECT username FROM gateway.customer_account WHERE customer_id = $1", b) == "bob"
    assert (await customer_sign_in(gateway, "bob")).status_code == 200
