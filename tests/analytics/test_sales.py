"""Sales reports from the star schema the feed keeps: bills, returns and cancellations moved into the daily
aggregates exactly, every figure checked against sums made by hand from the bills."""

from decimal import Decimal
from typing import Any

from tests.conftest import ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_customer, make_product


async def _shop(customer: ServiceClient) -> dict[str, Any]:
    """Two customers (Germany, France), a shop in Berlin, three products in two categories, and four bills."""
    berlin = (await customer.post("/api/v1/stores", json={"name": "Berlin", "country": "Germany"})).json()
    ann = await make_customer(customer, country="Germany", gender="female")
    bob = await make_customer(customer, country="France", gender="male")
    tv = await make_product(customer, price="300.00", unit_cost="200.00", stock=None, category="TV", brand="Contoso")
    radio = await make_product(
        customer, price="40.00", unit_cost="25.00", stock=None, category="Audio", brand="Litware"
    )
    cable = await make_product(customer, price="5.00", unit_cost="1.50", stock=None, category="Audio", brand="Contoso")
    bills = {
        "jan": await bill(customer, [(tv, 1), (cable, 2)], "2026-01-10T10:00:00Z", ann),  # 310.00
        "feb": await bill(customer, [(radio, 3)], "2026-02-02T10:00:00Z", bob),  # 120.00
        "feb2": await bill(customer, [(tv, 2), (radio, 1)], "2026-02-20T10:00:00Z", ann),  # 640.00
        "mar": await bill(customer, [(cable, 4)], "2026-03-01T10:00:00Z"),  # a guest: 20.00
    }
    return {"berlin": berlin, "ann": ann, "bob": bob, "tv": tv, "radio": radio, "cable": cable, "bills": bills}


async def test_the_summary_and_the_months_follow_bills_returns_and_cancellations(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    shop = await _shop(customer)
    await feed.deliver()
    summary = (await analytics.get("/api/v1/analytics/sales/summary")).json()
    assert summary["rows"] == [
        {
            "revenue": "1090.00",
            "cost": str(Decimal("200") * 3 + Decimal("25") * 4 + Decimal("1.50") * 6),
            "margin": str(Decimal("1090.00") - Decimal("709.00")),
            "units": 13,
            "orders": 4,
            "average_order_value": "272.50",
        }
    ]
    assert summary["as_of"] is not None
    status = (await analytics.get("/api/v1/analytics/status")).json()
    assert (status["sale_lines"], status["customers"], status["products"]) == (6, 2, 3)
    assert status["as_of"] == summary["as_of"]

    # One TV of February's second bill comes back; January's bill is cancelled.
    await give_back(customer, shop["bills"]["feb2"], 0, 1)
    cancelled = await customer.post(f"/api/v1/purchases/{shop['bills']['jan']['id']}/cancel", json={})
    assert cancelled.status_code == 200, cancelled.text
    await feed.deliver()
    months = (await analytics.get("/api/v1/analytics/sales/over-time", params={"grain": "month"})).json()
    assert [(r["period"], r["revenue"], r["cost"], r["units"], r["orders"]) for r in months["rows"]] == [
        ("2026-02-01", "460.00", "300.00", 5, 2),
        ("2026-03-01", "20.00", "6.00", 4, 1),
    ]
    audio = (await analytics.get("/api/v1/analytics/sales/summary", params={"category": "Audio"})).json()["rows"][0]
    # Bob's radios, Ann's radio and the guest's cables: three bills hold an Audio product.
    assert (audio["revenue"], audio["units"], audio["orders"]) == ("180.00", 8, 3)
    ranged = (
        await analytics.get(
            "/api/v1/analytics/sales/summary", params={"date_from": "2026-02-01", "date_to": "2026-02-19"}
        )
    ).json()
    assert ranged["rows"][0]["revenue"] == "120.00" and ranged["filters"]["date_to"] == "2026-02-19"


async def test_breakdowns_by_category_country_and_currency(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    await _shop(customer)
    await feed.deliver()
    categories = (await analytics.get("/api/v1/analytics/sales/by/category")).json()["rows"]
    assert [(r["key"], r["revenue"], r["orders"]) for r in categories] == [("TV", "900.00", 2), ("Audio", "190.00", 4)]
    countries = (await analytics.get("/api/v1/analytics/sales/by/country")).json()["rows"]
    assert [(r["key"], r["revenue"]) for r in countries][:2] == [("Germany", "950.00"), ("France", "120.00")]
    # Bills name no store: they are the online shop's, store 0, which the customer service creates without an event.
    channels = (await analytics.get("/api/v1/analytics/sales/by/channel")).json()["rows"]
    assert [(r["key"], r["revenue"], r["orders"]) for r in channels] == [("online", "1090.00", 4)]
    physical = await analytics.get("/api/v1/analytics/sales/summary", params={"online": "false"})
    assert physical.json()["rows"][0]["orders"] == 0
    currencies = (await analytics.get("/api/v1/analytics/sales/by/currency")).json()["rows"]
    assert [(r["key"], r["revenue"], r["local_revenue"]) for r in currencies] == [("USD", "1090.00", "1090.00")]
    weekdays = (await analytics.get("/api/v1/analytics/sales/seasonality", params={"by": "weekday"})).json()["rows"]
    # 10 Jan 2026 is a Saturday, 2 Feb a Monday, 20 Feb a Friday, 1 Mar a Sunday.
    assert [(r["weekday"], r["revenue"]) for r in weekdays] == [
        (1, "120.00"),
        (5, "640.00"),
        (6, "310.00"),
        (7, "20.00"),
    ]


async def test_bad_parameters_are_problems_naming_them(analytics: ServiceClient) -> None:
    for params, field in [
        ({"date_from": "2026-02-01", "date_to": "2026-01-31"}, "query.date_to"),
        ({"country": "Ger\x00many", "format": "csv"}, "query.country"),
        ({"currency": "usd"}, "query.currency"),
        ({"format": "xlsx"}, "query.format"),
        ({"online": "maybe"}, "query.online"),
    ]:
        response = await analytics.get("/api/v1/analytics/sales/by/category", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert field in {error["field"] for error in response.json()["errors"]}, response.json()
    unknown = await analytics.get("/api/v1/analytics/sales/by/colour")
    assert unknown.status_code == 422 and unknown.json()["errors"][0]["field"] == "path.dimension"
