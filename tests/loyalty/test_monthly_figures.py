"""Monthly figures worked through real bills: recorded, returned and cancelled in the customer service,
their events applied by the loyalty ledger's consumer, the figures checked against sums done by hand."""

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kit.consumer import Outcome
from services.kit.db import create_engine
from services.kit.principal import Principal, PrincipalKind
from services.loyalty.ledger.consumer import ledger_consumer
from tests.conftest import ServiceClient
from tests.events.test_event_writers import GE_FILES
from tests.imports.conftest import customer_service, run_import
from tests.loyalty.conftest import OutboxFeed, loyalty_settings, monthly_figures, units_sold
from tests.support.builders import buy, make_customer, make_product

JAN, FEB, MAR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=2)
    yield engine
    await engine.dispose()


def shopper(customer: dict[str, Any]) -> Principal:
    return Principal(kind=PrincipalKind.CUSTOMER, subject=f"customer:{customer['id']}", customer_id=customer["id"])


async def bill(
    api: ServiceClient, lines: list[tuple[dict[str, Any], int]], at: str, customer: dict[str, Any] | None = None
) -> dict[str, Any]:
    fields: dict[str, Any] = {"purchased_at": at}
    if customer is not None:
        fields["customer_id"] = customer["id"]
    response = await buy(api, [(product["id"], quantity) for product, quantity in lines], **fields)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def give_back(api: ServiceClient, purchase: dict[str, Any], line_no: int, quantity: int) -> None:
    line = purchase["lines"][line_no]
    response = await api.post(
        f"/api/v1/purchases/{purchase['id']}/returns", json={"lines": [{"line_id": line["id"], "quantity": quantity}]}
    )
    assert response.status_code == 200, response.text


async def test_figures_follow_bills_returns_and_cancellations_month_by_month(
    database_url: str, engine: AsyncEngine
) -> None:
    async with customer_service(database_url) as api:
        feed = OutboxFeed(engine, ledger_consumer(engine, loyalty_settings(database_url)))
        ann, bob = await make_customer(api), await make_customer(api)
        contoso = await make_product(api, price="100.00", stock=None, brand="Contoso")
        litware = await make_product(api, price="50.00", stock=None, brand="Litware")
        home = await make_product(api, price="20.00", stock=None, brand="Patron Home", own_brand=True)
        fabrikam = await make_product(api, price="10.00", stock=None, brand="Fabrikam")

        # Ann: a January bill at the till, a bill of her own on 31 January at 20:00 UTC, which is
        # 1 February 07:00 in Sydney (the business time zone), and a February bill at the till.
        jan_bill = await bill(api, [(contoso, 2), (litware, 1)], "2026-01-10T10:00:00Z", ann)
        feb_own = await bill(api.as_principal(shopper(ann)), [(home, 3), (fabrikam, 1)], "2026-01-31T20:00:00Z", ann)
        await bill(api, [(litware, 2)], "2026-02-15T01:00:00Z", ann)
        await bill(api, [(contoso, 1)], "2026-02-20T01:00:00Z")  # a guest: nobody's figures
        # Bob: one bill of his own and one at the till in March.
        await bill(api.as_principal(shopper(bob)), [(fabrikam, 2)], "2026-03-05T01:00:00Z", bob)
        mar_till = await bill(api, [(litware, 1)], "2026-03-06T01:00:00Z", bob)
        await feed.deliver()
        #                        volume, orders, brands, own-brand volume, self, assisted
        assert await monthly_figures(engine) == {
            # 2 × 100 + 50; Contoso and Litware
            (ann["id"], JAN): (Decimal("250.00"), 1, 2, Decimal("0.00"), 0, 1),
            # (3 × 20 + 10) + 2 × 50; Patron Home, Fabrikam, Litware; 60 of own brand
            (ann["id"], FEB): (Decimal("170.00"), 2, 3, Decimal("60.00"), 1, 1),
            # 2 × 10 + 50; Fabrikam and Litware; one bill of his own, one at the till
            (bob["id"], MAR): (Decimal("70.00"), 2, 2, Decimal("0.00"), 1, 1),
        }

        # Returns: one of January's two Contoso units (Contoso still counts: one unit is kept); the whole
        # Fabrikam line of Ann's own bill (Fabrikam leaves February); Bob's till bill wholly (no order left).
        await give_back(api, jan_bill, 0, 1)
        await give_back(api, feb_own, 1, 1)
        await give_back(api, mar_till, 0, 1)
        await feed.deliver()
        assert await monthly_figures(engine) == {
            (ann["id"], JAN): (Decimal("150.00"), 1, 2, Decimal("0.00"), 0, 1),
            (ann["id"], FEB): (Decimal("160.00"), 2, 2, Decimal("60.00"), 1, 1),
            (bob["id"], MAR): (Decimal("20.00"), 1, 1, Decimal("0.00"), 1, 0),
        }

        # Cancelled now, the January bill leaves January: nothing is left to count there.
        cancelled = await api.post(f"/api/v1/purchases/{jan_bill['id']}/cancel", json={})
        assert cancelled.status_code == 200, cancelled.text
        outcomes = await feed.deliver()
        assert Outcome.APPLIED in outcomes
        expected = {
            (ann["id"], FEB): (Decimal("160.00"), 2, 2, Decimal("60.00"), 1, 1),
            (bob["id"], MAR): (Decimal("20.00"), 1, 1, Decimal("0.00"), 1, 0),
        }
        assert await monthly_figures(engine) == expected
        # Units sold, net of returns and cancellations: the guest's Contoso, Ann's February Litware and
        # Patron Home, Bob's Fabrikam.
        sold = {contoso["id"]: 1, litware["id"]: 2, home["id"]: 3, fabrikam["id"]: 2}
        assert await units_sold(engine) == sold

        # Every event delivered again, in one batch: nothing changes.
        again = await feed.consumer.apply_batch(feed.delivered)
        assert set(again) == {Outcome.DUPLICATE}
        assert await monthly_figures(engine) == expected
        assert await units_sold(engine) == sold


async def test_imported_bills_count_and_a_live_cancellation_takes_one_out(
    database_url: str, engine: AsyncEngine, tmp_path: Path
) -> None:
    async with customer_service(database_url, import_dir=tmp_path / "imports") as api:
        feed = OutboxFeed(engine, ledger_consumer(engine, loyalty_settings(database_url, business_timezone="UTC")))
        files = GE_FILES
        job = await run_import(api, "global-electronics", files)
        assert job["state"] == "done", job
        imported = (await api.get("/api/v1/purchases", params={"limit": 50})).json()["items"]
        by_number = {b["number"]: b for b in imported}
        order, guest_order = by_number["10"], by_number["11"]
        assert guest_order["customer_id"] is None
        products = {p["id"]: p for p in (await api.get("/api/v1/products", params={"limit": 50})).json()["items"]}
        await feed.deliver()

        # Order 10 of customer 301 on 1 January 2016: a Contoso lamp and unbranded cables.
        brands = {products[line["product_id"]]["brand"] for line in order["lines"]} - {None}
        own = sum(
            (Decimal(line["base_total"]) for line in order["lines"] if products[line["product_id"]]["own_brand"]),
            Decimal("0.00"),
        )
        channel = order["channel"]
        key = (order["customer_id"], date(2016, 1, 1))
        assert await monthly_figures(engine) == {
            key: (Decimal(order["base_total"]), 1, len(brands), own, int(channel == "self"), int(channel == "assisted"))
        }
        lamp, cable = (line["product_id"] for line in order["lines"])
        assert (await units_sold(engine))[lamp] == 2 and (await units_sold(engine))[cable] == 6

        cancelled = await api.post(f"/api/v1/purchases/{order['id']}/cancel", json={})
        assert cancelled.status_code == 200, cancelled.text
        assert Outcome.APPLIED in await feed.deliver()
        assert await monthly_figures(engine) == {}
        sold = await units_sold(engine)
        assert (sold[lamp], sold[cable]) == (0, 1)  # the guest's cable stays sold


async def test_a_product_known_after_its_bills_or_rebranded_later_brings_its_months_up_to_date(
    database_url: str, engine: AsyncEngine
) -> None:
    async with customer_service(database_url) as api:
        feed = OutboxFeed(engine, ledger_consumer(engine, loyalty_settings(database_url)))
        ann = await make_customer(api)
        kettle = await make_product(api, price="40.00", stock=None, brand="Contoso")
        teapot = await make_product(api, price="15.00", stock=None, brand="Litware")
        await bill(api, [(kettle, 1), (teapot, 2)], "2026-04-10T01:00:00Z", ann)
        events = await feed.new_events()
        # The bill's events arrive before the products' (other aggregates: the kernel keeps no order among them).
        bills = [e for e in events if not e.type.startswith("product.")]
        products = [e for e in events if e.type.startswith("product.")]
        await feed.consumer.apply_batch(bills)
        assert await monthly_figures(engine) == {
            (ann["id"], date(2026, 4, 1)): (Decimal("70.00"), 1, 0, Decimal("0.00"), 0, 1)
        }
        await feed.consumer.apply_batch(products)
        assert await monthly_figures(engine) == {
            (ann["id"], date(2026, 4, 1)): (Decimal("70.00"), 1, 2, Decimal("0.00"), 0, 1)
        }
        assert await units_sold(engine) == {kettle["id"]: 1, teapot["id"]: 2}

        # The teapot becomes an own-brand Contoso: April has one brand left, and 30.00 of own brand.
        # Two updates of one product in one batch: one handler call, the last one wins.
        for change in ({"brand": "Contoso"}, {"own_brand": True}):
            changed = await api.patch(f"/api/v1/products/{teapot['id']}", json=change)
            assert changed.status_code == 200, changed.text
        assert await feed.deliver() == [Outcome.APPLIED, Outcome.APPLIED]
        assert feed.consumer.failures == 0
        assert await monthly_figures(engine) == {
            (ann["id"], date(2026, 4, 1)): (Decimal("70.00"), 1, 1, Decimal("30.00"), 0, 1)
        }
