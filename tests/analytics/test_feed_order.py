"""The feed applied out of the stream's order: a batch's bills handled before the customer they name (the
consumer keeps each aggregate's order, not the stream's) still count under the customer's country."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.analytics.conftest import OutboxFeed
from tests.conftest import ServiceClient
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_customer, make_product


async def test_bills_handled_before_their_new_customer_move_to_the_customers_country(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed, engine: AsyncEngine
) -> None:
    mug = await make_product(customer, price="8.50", unit_cost="2.25", stock=None)
    regular = await make_customer(customer, country="Portugal")
    await feed.deliver()

    await bill(customer, [(mug, 1)], "2026-03-07T01:00:00Z", regular)
    carl = await make_customer(customer, country="Spain")
    first = await bill(customer, [(mug, 3)], "2026-03-07T02:00:00Z", carl)
    await give_back(customer, first, 0, 1)
    await bill(customer, [(mug, 2)], "2026-03-07T03:00:00Z", carl)
    events = await feed.new_events()
    assert [e.type for e in events][:2] == ["purchase.recorded", "customer.created"]
    # In one batch: the bills' handler runs first (its type comes first), then the customers'.
    await feed.consumer.apply_batch(events)

    countries = (await analytics.get("/api/v1/analytics/sales/by/country")).json()["rows"]
    assert [(r["key"], r["revenue"], r["units"], r["orders"]) for r in countries] == [
        ("Spain", "34.00", 4, 2),
        ("Portugal", "8.50", 1, 1),
    ]
    async with engine.connect() as connection:
        lines = (await connection.execute(text("SELECT customer_id, country FROM analytics.sale_line"))).all()
        left = (
            await connection.execute(text("SELECT count(*) FROM analytics.orders_daily WHERE country <> 'Spain'"))
        ).scalar_one()
    assert {(row[0], row[1]) for row in lines} == {(regular["id"], "Portugal"), (carl["id"], "Spain")}
    assert left == 1  # the regular's bill; nothing left under the online shop's (none)
