"""The fence of the redemption saga against PostgreSQL: the loyalty service abandons a purchase id no bill
has, for good; a bill that has the id answers ``recorded``; only services may ask."""

from services.kit.principal import Principal, PrincipalKind
from tests.support.builders import buy, make_product
from tests.support.problems import assert_problem

LOYALTY = Principal(kind=PrincipalKind.SERVICE, subject="service:loyalty")


async def test_an_id_no_bill_has_is_abandoned_for_good_and_a_recorded_bill_stays_recorded(customer, db):
    service = customer.as_principal(LOYALTY)
    first = await service.post("/api/v1/purchases/987654/abandon")
    assert first.status_code == 200 and first.json() == {"purchase_id": 987654, "outcome": "abandoned"}
    again = await service.post("/api/v1/purchases/987654/abandon")
    assert again.json()["outcome"] == "abandoned"
    assert await db.fetchval("SELECT outcome FROM customer.purchase_fence WHERE purchase_id = 987654") == "abandoned"

    product = await make_product(customer, price="5.00", stock=10)
    bill = await buy(customer, [(product["id"], 1)])
    assert bill.status_code == 201, bill.text
    recorded = await service.post(f"/api/v1/purchases/{bill.json()['id']}/abandon")
    assert recorded.json()["outcome"] == "recorded"
    # A bill without a reservation claims no fence, and the abandonment writes none over it.
    assert (
        await db.fetchval("SELECT count(*) FROM customer.purchase_fence WHERE purchase_id = $1", bill.json()["id"]) == 0
    )


async def test_only_services_may_abandon_a_purchase(customer):
    refused = await customer.post("/api/v1/purchases/5/abandon")  # an admin
    assert_problem(refused, 403, "forbidden")
    bad = await customer.as_principal(LOYALTY).post("/api/v1/purchases/abc/abandon")
    assert_problem(bad, 422, "validation", ["path.purchase_id"])
