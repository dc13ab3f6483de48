"""Top customers carry their names, read from a real customer service process a page at a time; the CSV
streams every customer with its name, and a name a spreadsheet would run as a formula comes out inert."""

import csv
import io
from collections.abc import AsyncIterator

import pytest

from services.analytics.app import create_app
from tests.analytics.conftest import ANALYST, analytics_settings
from tests.conftest import ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill
from tests.support.builders import make_customer, make_product


@pytest.fixture
async def named(database_url: str, customer_process: str) -> AsyncIterator[ServiceClient]:
    """The analytics app reading names from the customer service process at ``customer_process``."""
    app = create_app(analytics_settings(database_url, events_relay=False, customer_url=customer_process))
    async with app.router.lifespan_context(app), ServiceClient(app, ANALYST) as client:
        yield client


async def test_top_customers_by_revenue_and_orders_with_their_names(
    customer: ServiceClient, named: ServiceClient, feed: OutboxFeed
) -> None:
    lamp = await make_product(customer, price="10.00", stock=None)
    spenders = {}
    for name, bills, quantity in [("Ann Lee", 1, 9), ('=HYPERLINK("http://x")', 3, 1), ("Bob Ray", 2, 3), ("Cy", 1, 1)]:
        someone = await make_customer(customer, name=name)
        spenders[someone["id"]] = name
        for day in range(bills):
            await bill(customer, [(lamp, quantity)], f"2026-05-0{day + 1}T10:00:00Z", someone)
    await bill(customer, [(lamp, 50)], "2026-05-01T12:00:00Z")  # a guest: never a top customer
    await feed.deliver()

    first = (await named.get("/api/v1/analytics/customers/top", params={"by": "revenue", "limit": 2})).json()
    assert [(r["name"], r["revenue"], r["orders"]) for r in first["rows"]] == [
        ("Ann Lee", "90.00", 1),
        ("Bob Ray", "60.00", 2),
    ]
    following = await named.get(
        "/api/v1/analytics/customers/top", params={"by": "revenue", "limit": 2, "cursor": first["next_cursor"]}
    )
    rest = following.json()
    # The formula-like name and Cy spent 10.00 a bill: 30.00 and 10.00.
    assert [(r["name"], r["revenue"]) for r in rest["rows"]] == [('=HYPERLINK("http://x")', "30.00"), ("Cy", "10.00")]
    assert rest["next_cursor"] is None

    by_orders = (await named.get("/api/v1/analytics/customers/top", params={"by": "orders"})).json()["rows"]
    assert [r["orders"] for r in by_orders] == [3, 2, 1, 1]
    assert by_orders[0]["name"] == '=HYPERLINK("http://x")'

    download = await named.get("/api/v1/analytics/customers/top", params={"by": "revenue", "format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    assert download.headers["x-patron-as-of"]
    table = list(csv.reader(io.StringIO(download.text)))
    assert table[0] == ["customer_id", "name", "revenue", "orders", "units", "first_purchase", "last_purchase"]
    assert [(row[1], row[2]) for row in table[1:]] == [
        ("Ann Lee", "90.00"),
        ("Bob Ray", "60.00"),
        ('\'=HYPERLINK("http://x")', "30.00"),
        ("Cy", "10.00"),
    ]
    chart = (await named.get("/api/v1/analytics/customers/top", params={"format": "chart", "limit": 2})).json()
    assert chart["labels"] == ["Ann Lee", "Bob Ray"] and chart["series"] == [
        {"name": "revenue", "values": ["90.00", "60.00"]}
    ]
