"""The mobile app's product page: one request to loyalty returns a page of the customer service's active
catalogue (a real process) with the customer's usable reward on each product, and their claimed share."""

from decimal import Decimal

import httpx2
import pytest

from tests.conftest import signed
from tests.loyalty.conftest import CLERK, allocation, put_products, shopper
from tests.support.builders import make_product
from tests.support.problems import assert_problem

ALLOCATIONS = "/api/v1/loyalty/rewards/allocations"


@pytest.fixture
def customer_url(customer_process: str) -> str:
    return customer_process


async def test_the_catalogue_page_shows_the_customers_usable_rewards_and_claimed_share(loyalty, db, customer_url):
    async with httpx2.AsyncClient(base_url=customer_url, headers=signed()) as customer:
        products = [await make_product(customer, price=f"{n}.00", stock=None) for n in (11, 12, 13, 14)]
        gone = await customer.post(f"/api/v1/products/{products[3]['id']}/deactivate")
        assert gone.status_code == 200, gone.text
    first, second, third = (p["id"] for p in products[:3])
    await put_products(db, [(first, products[0]["sku"], "active", 0, 0)])
    for purchase_id in (1, 2):  # two rewards on the least-selling product, 10 % and 50 %
        await loyalty.post(ALLOCATIONS, json=allocation(purchase_id, "300.00" if purchase_id == 1 else "1300.00"))
    await put_products(db, [(first, products[0]["sku"], "active", 9, 0), (second, products[1]["sku"], "active", 0, 0)])
    await loyalty.post(ALLOCATIONS, json=allocation(3, "600.00"))  # 20 % on the second, then redeemed
    await loyalty.post(ALLOCATIONS, json=allocation(4, "600.00", customer_id=8))  # someone else's
    await db.execute("UPDATE loyalty.reward SET status = 'redeemed' WHERE purchase_id = 3")

    mine = loyalty.as_principal(shopper(7))
    page = await mine.get("/api/v1/loyalty/customers/7/catalogue", params={"limit": 2})
    assert page.status_code == 200, page.text
    body = page.json()
    assert [item["id"] for item in body["items"]] == [first, second]
    assert body["items"][0]["reward"]["percent"] == 50  # the better of the two
    assert body["items"][0]["unit_price"] == "11.00" and "unit_cost" not in body["items"][0]
    assert body["items"][1]["reward"] is None  # redeemed: not usable
    assert body["claims"] == {"earned": 3, "claimed": 1, "claimed_share": "0.3333"}
    rest = await mine.get("/api/v1/loyalty/customers/7/catalogue", params={"cursor": body["next_cursor"]})
    assert [(item["id"], item["reward"]) for item in rest.json()["items"]] == [(third, None)]  # the fourth is off sale

    # Staff read any customer's page; another customer's is a 404 to a customer.
    theirs = (await loyalty.as_principal(CLERK).get("/api/v1/loyalty/customers/8/catalogue")).json()
    assert [item["reward"] and item["reward"]["percent"] for item in theirs["items"]] == [None, 20, None]
    assert Decimal(theirs["claims"]["claimed_share"]) == 0
    assert_problem(await mine.get("/api/v1/loyalty/customers/8/catalogue"), 404, "not-found")
    bad = await mine.get("/api/v1/loyalty/customers/7/catalogue", params={"cursor": "not-a-cursor"})
    assert_problem(bad, 400, "bad-cursor", ["query.cursor"])


async def test_a_new_customer_has_no_share_yet(loyalty):
    page = await loyalty.as_principal(shopper(9)).get("/api/v1/loyalty/customers/9/catalogue")
    assert page.json()["claims"] == {"earned": 0, "claimed": 0, "claimed_share": None}
