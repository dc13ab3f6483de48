"""Customer reports: distributions, patterns, preferences, repeat purchases, spend per quarter, new and
returning customers, and cohorts; each checked against figures worked out by hand from the bills, and the
filtered path (from the facts) checked to agree with the aggregates the feed keeps."""

from typing import Any

import pytest

from tests.conftest import ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill
from tests.support.builders import make_customer, make_product

REPORTS = "/api/v1/analytics/customers"


async def _shop(customer: ServiceClient) -> dict[str, Any]:
    """Ann buys in January, February and April; Bob in February; Cat in March and April; a guest in March."""
    ann = await make_customer(customer, country="Germany", gender="female")
    bob = await make_customer(customer, country="France", gender="male")
    cat = await make_customer(customer, country="Germany", gender="female")
    tv = await make_product(customer, price="300.00", unit_cost="200.00", stock=None, category="TV")
    radio = await make_product(customer, price="40.00", unit_cost="25.00", stock=None, category="Audio")
    cable = await make_product(customer, price="5.00", unit_cost="1.50", stock=None, category="Audio")
    bills = {
        "ann-jan": await bill(customer, [(tv, 1), (cable, 2)], "2026-01-10T10:00:00Z", ann),  # 310.00
        "bob-feb": await bill(customer, [(radio, 3)], "2026-02-02T10:00:00Z", bob),  # 120.00
        "ann-feb": await bill(customer, [(tv, 2), (radio, 1)], "2026-02-20T10:00:00Z", ann),  # 640.00
        "guest-mar": await bill(customer, [(cable, 4)], "2026-03-01T10:00:00Z"),  # 20.00
        "cat-mar": await bill(customer, [(radio, 1)], "2026-03-03T10:00:00Z", cat),  # 40.00
        "ann-apr": await bill(customer, [(cable, 1)], "2026-04-05T10:00:00Z", ann),  # 5.00
        "cat-apr": await bill(customer, [(radio, 1)], "2026-04-08T10:00:00Z", cat),  # 40.00
    }
    return {"ann": ann, "bob": bob, "cat": cat, "tv": tv, "radio": radio, "cable": cable, "bills": bills}


async def _rows(analytics: ServiceClient, report: str, **params: Any) -> list[dict[str, Any]]:
    response = await analytics.get(f"{REPORTS}/{report}", params=params)
    assert response.status_code == 200, response.text
    return list(response.json()["rows"])


async def test_distribution_patterns_and_what_customers_buy(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    shop = await _shop(customer)
    await feed.deliver()
    countries = await _rows(analytics, "distribution", by="country")
    assert [(r["key"], r["customers"], r["share"]) for r in countries] == [
        ("Germany", 2, "0.6667"),
        ("France", 1, "0.3333"),
    ]
    # Only those who bought radios in February: Bob and Ann.
    radio_buyers = await _rows(
        analytics, "distribution", by="gender", product_id=shop["radio"]["id"], date_to="2026-02-28"
    )
    assert [(r["key"], r["customers"]) for r in radio_buyers] == [("female", 1), ("male", 1)]

    # Three customers, six bills worth 1,155.00 (the guest's left out); Ann and Cat came back.
    (patterns,) = await _rows(analytics, "patterns")
    assert patterns == {
        "customers": 3,
        "orders": 6,
        "units": 12,
        "revenue": "1155.00",
        "average_order_value": "192.50",
        "purchase_frequency": "2.00",
        "repeat_customers": 2,
        "repeat_share": "0.6667",
    }
    (ann,) = await _rows(analytics, "patterns", customer_id=shop["ann"]["id"])
    assert (ann["orders"], ann["revenue"], ann["average_order_value"]) == (3, "955.00", "318.33")

    categories = await _rows(analytics, "preferences", by="category")
    assert [(r["key"], r["customers"], r["orders"], r["revenue"]) for r in categories] == [
        ("Audio", 3, 6, "255.00"),
        ("TV", 1, 2, "900.00"),
    ]
    repeated = await _rows(analytics, "repeat-purchases")
    assert [(r["product_id"], r["buyers"], r["repeat_buyers"], r["repeat_rate"]) for r in repeated] == [
        (shop["radio"]["id"], 3, 1, "0.3333"),
        (shop["tv"]["id"], 1, 1, "1.0000"),
        (shop["cable"]["id"], 1, 1, "1.0000"),
    ]
    quarters = await _rows(analytics, "spend-per-quarter")
    assert [(r["quarter"], r["customers"], r["orders"], r["revenue"], r["revenue_per_customer"]) for r in quarters] == [
        ("2026-01-01", 3, 4, "1110.00", "370.00"),
        ("2026-04-01", 2, 2, "45.00", "22.50"),
    ]


@pytest.mark.parametrize("filtered", [False, True], ids=["aggregates", "facts"])
async def test_new_and_returning_customers_and_cohorts_follow_a_cancellation(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed, filtered: bool
) -> None:
    """Every bill is in dollars: filtering on the currency reads the facts and must give the same answer."""
    shop = await _shop(customer)
    await feed.deliver()
    params = {"currency": "USD"} if filtered else {}
    months = await _rows(analytics, "new-vs-returning", grain="month", **params)
    assert [
        (r["period"], r["customers"], r["new"], r["returning"], r["new_revenue"], r["returning_revenue"])
        for r in months
    ] == [
        ("2026-01-01", 1, 1, 0, "310.00", "0.00"),
        ("2026-02-01", 2, 1, 1, "120.00", "640.00"),
        ("2026-03-01", 1, 1, 0, "40.00", "0.00"),
        ("2026-04-01", 2, 0, 2, "0.00", "45.00"),
    ]
    cohorts = await _rows(analytics, "cohorts", **params)
    assert [(r["cohort"], r["month_offset"], r["customers"], r["retention"]) for r in cohorts] == [
        ("2026-01-01", 0, 1, "1.0000"),
        ("2026-01-01", 1, 1, "1.0000"),
        ("2026-01-01", 3, 1, "1.0000"),
        ("2026-02-01", 0, 1, "1.0000"),
        ("2026-03-01", 0, 1, "1.0000"),
        ("2026-03-01", 1, 1, "1.0000"),
    ]

    # Cat's March bill is cancelled: she is new in April, and her cohort moves there.
    cancelled = await customer.post(f"/api/v1/purchases/{shop['bills']['cat-mar']['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    await feed.deliver()
    cohorts = await _rows(analytics, "cohorts", **params)
    assert [(r["cohort"], r["month_offset"], r["customers"]) for r in cohorts] == [
        ("2026-01-01", 0, 1),
        ("2026-01-01", 1, 1),
        ("2026-01-01", 3, 1),
        ("2026-02-01", 0, 1),
        ("2026-04-01", 0, 1),
    ]
    months = await _rows(analytics, "new-vs-returning", grain="quarter", **params)
    assert [(r["period"], r["customers"], r["new"], r["returning"]) for r in months] == [
        ("2026-01-01", 2, 2, 0),
        ("2026-04-01", 2, 1, 1),
    ]
