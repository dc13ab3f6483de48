"""Product reports from the star schema: rankings both ways (with the products that sold nothing), pages that
join up, profitability to the cent from prices and costs made by hand, low stock from the stock ledger's
events, and downloads whose formula-like names are made inert."""

import csv
import io
from decimal import Decimal
from typing import Any

from services.kit.pagination import encode_cursor
from tests.analytics.conftest import OutboxFeed
from tests.conftest import ServiceClient
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_product

RANKING = "/api/v1/analytics/products/ranking"
PROFITABILITY = "/api/v1/analytics/products/profitability"
LOW_STOCK = "/api/v1/analytics/products/low-stock"


async def _catalog(customer: ServiceClient) -> dict[str, Any]:
    """Three products that sell, two active ones that do not, one inactive that does not, and postage."""
    tv = await make_product(customer, price="300.00", unit_cost="200.00", stock=None, category="TV", brand="Contoso")
    radio = await make_product(
        customer, price="40.00", unit_cost="25.00", stock=None, category="Audio", brand="Litware"
    )
    cable = await make_product(customer, price="5.00", unit_cost="1.50", stock=None, category="Audio", brand="Contoso")
    idle = await make_product(customer, price="10.00", unit_cost="4.00", stock=None, category="Audio")
    idle2 = await make_product(customer, price="12.00", unit_cost="4.00", stock=None, category="Audio")
    gone = await make_product(customer, price="9.00", unit_cost="4.00", stock=None, category="Audio")
    assert (await customer.post(f"/api/v1/products/{gone['id']}/deactivate", json={})).status_code == 200
    post = await make_product(customer, sku="POST", price="3.00", unit_cost="0.00", stock=None, category="Service")
    bills = {
        "jan": await bill(customer, [(tv, 1), (cable, 2), (post, 1)], "2026-01-10T10:00:00Z"),
        "feb": await bill(customer, [(radio, 3), (post, 1)], "2026-02-02T10:00:00Z"),
        "feb2": await bill(customer, [(tv, 2), (radio, 1)], "2026-02-20T10:00:00Z"),
        "mar": await bill(customer, [(cable, 4)], "2026-03-01T10:00:00Z"),
    }
    await give_back(customer, bills["feb2"], 0, 1)  # one of February's TVs comes back
    return {"tv": tv, "radio": radio, "cable": cable, "idle": idle, "idle2": idle2, "gone": gone, "post": post}


def _ranked(reply: dict[str, Any]) -> list[tuple[Any, ...]]:
    return [(r["product_id"], r["units"], r["revenue"]) for r in reply["rows"]]


async def test_rankings_best_and_least_with_the_products_that_sold_nothing(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    p = await _catalog(customer)
    await feed.deliver()
    tv, radio, cable, idle, idle2 = (p[k]["id"] for k in ("tv", "radio", "cable", "idle", "idle2"))

    best = (await analytics.get(RANKING)).json()
    assert best["report"] == "product-ranking" and best["filters"] == {"by": "units", "order": "best"}
    # TV: 1 + 2 - 1 returned; radio: 3 + 1; cable: 2 + 4. Postage (a service line) and the inactive product
    # that sold nothing are no products here; the active ones that sold nothing rank last, by id.
    assert _ranked(best) == [
        (cable, 6, "30.00"),
        (radio, 4, "160.00"),
        (tv, 2, "600.00"),
        (idle, 0, "0.00"),
        (idle2, 0, "0.00"),
    ]
    assert best["next_cursor"] is None
    assert best["rows"][0] == {
        "product_id": cable,
        "name": p["cable"]["name"],
        "sku": p["cable"]["sku"],
        "category": "Audio",
        "subcategory": None,
        "brand": "Contoso",
        "units": 6,
        "revenue": "30.00",
        "cost": "9.00",
        "margin": "21.00",
    }
    least = (await analytics.get(RANKING, params={"order": "least"})).json()
    assert _ranked(least) == [
        (idle, 0, "0.00"),
        (idle2, 0, "0.00"),
        (tv, 2, "600.00"),
        (radio, 4, "160.00"),
        (cable, 6, "30.00"),
    ]
    by_revenue = (await analytics.get(RANKING, params={"by": "revenue"})).json()
    assert [r["product_id"] for r in by_revenue["rows"]] == [tv, radio, cable, idle, idle2]
    least_revenue = (await analytics.get(RANKING, params={"by": "revenue", "order": "least"})).json()
    assert [r["product_id"] for r in least_revenue["rows"]] == [idle, idle2, cable, radio, tv]

    # February only: the cables sold nothing then, and rank with the products that never sold.
    february = (
        await analytics.get(RANKING, params={"by": "revenue", "date_from": "2026-02-01", "date_to": "2026-02-28"})
    ).json()
    assert _ranked(february) == [
        (tv, 1, "300.00"),
        (radio, 4, "160.00"),
        (cable, 0, "0.00"),
        (idle, 0, "0.00"),
        (idle2, 0, "0.00"),
    ]
    audio = (await analytics.get(RANKING, params={"category": "Audio", "order": "least"})).json()
    assert [r["product_id"] for r in audio["rows"]] == [idle, idle2, radio, cable]
    one = (await analytics.get(RANKING, params={"product_id": radio})).json()
    assert _ranked(one) == [(radio, 4, "160.00")]

    chart = (await analytics.get(RANKING, params={"format": "chart", "limit": 2})).json()
    assert chart["labels"] == [p["cable"]["name"], p["radio"]["name"]]
    assert chart["series"] == [{"name": "units", "values": [6, 4]}, {"name": "revenue", "values": ["30.00", "160.00"]}]


async def test_pages_follow_each_other_across_ties_and_refuse_another_orders_cursor(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    p = await _catalog(customer)
    await feed.deliver()
    for params in ({"order": "least"}, {"order": "best", "by": "revenue"}):
        whole = (await analytics.get(RANKING, params={**params, "limit": 500})).json()["rows"]
        pages: list[dict[str, Any]] = []
        cursor = None
        while True:
            query = {**params, "limit": 1} | ({"cursor": cursor} if cursor else {})
            reply = (await analytics.get(RANKING, params=query)).json()
            pages.extend(reply["rows"])
            cursor = reply["next_cursor"]
            if cursor is None:
                break
        assert pages == whole and len(pages) == 5

    first = (await analytics.get(RANKING, params={"order": "least", "limit": 2})).json()
    assert [r["product_id"] for r in first["rows"]] == [p["idle"]["id"], p["idle2"]["id"]]
    second = (
        await analytics.get(RANKING, params={"order": "least", "limit": 2, "cursor": first["next_cursor"]})
    ).json()
    assert [r["product_id"] for r in second["rows"]] == [p["tv"]["id"], p["radio"]["id"]]
    foreign = await analytics.get(RANKING, params={"order": "best", "cursor": first["next_cursor"]})
    assert foreign.status_code == 400
    assert (await analytics.get(RANKING, params={"cursor": "not-a-cursor"})).status_code == 400
    for forged in ([Decimal("NaN"), 1], [10**30, 1], [1, "1"], [1, 2**63]):
        cursor = encode_cursor("product-ranking:units:best", forged)
        assert (await analytics.get(RANKING, params={"cursor": cursor})).status_code == 400, forged
    assert (await analytics.get(RANKING, params={"limit": 501})).status_code == 422
    assert (await analytics.get(RANKING, params={"by": "margin"})).status_code == 422


async def test_profitability_from_prices_costs_and_the_figures_of_the_range(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    p = await _catalog(customer)
    # The TV costs more from now on: its unit figures say so, the units it sold keep the cost they had.
    changed = await customer.patch(f"/api/v1/products/{p['tv']['id']}", json={"unit_cost": "210.00"})
    assert changed.status_code == 200, changed.text
    await feed.deliver()
    reply = (await analytics.get(PROFITABILITY)).json()
    assert reply["report"] == "product-profitability"
    rows = reply["rows"]
    assert rows[0] == {
        "product_id": p["tv"]["id"],
        "name": p["tv"]["name"],
        "category": "TV",
        "unit_cost": "210.00",
        "unit_price": "300.00",
        "unit_margin": "90.00",
        "units": 2,
        "revenue": "600.00",  # 3 × 300.00 − 300.00 returned
        "cost": "400.00",  # 2 kept × 200.00
        "margin": "200.00",
        "margin_rate": "0.3333",  # 200 / 600
    }
    assert [
        (r["product_id"], r["unit_margin"], r["revenue"], r["cost"], r["margin"], r["margin_rate"]) for r in rows[1:]
    ] == [
        (p["radio"]["id"], "15.00", "160.00", "100.00", "60.00", "0.3750"),  # 4 × 40.00, 4 × 25.00
        (p["cable"]["id"], "3.50", "30.00", "9.00", "21.00", "0.7000"),  # 6 × 5.00, 6 × 1.50
        (p["idle"]["id"], "6.00", "0.00", "0.00", "0.00", None),
        (p["idle2"]["id"], "8.00", "0.00", "0.00", "0.00", None),
    ]
    march = (await analytics.get(PROFITABILITY, params={"date_from": "2026-03-01", "limit": 1})).json()
    assert [(r["product_id"], r["units"], r["margin"]) for r in march["rows"]] == [(p["cable"]["id"], 4, "14.00")]
    following = (
        await analytics.get(
            PROFITABILITY, params={"date_from": "2026-03-01", "limit": 4, "cursor": march["next_cursor"]}
        )
    ).json()
    # Nothing else sold in March: margins of 0.00, by id.
    assert [r["product_id"] for r in following["rows"]] == sorted(p[k]["id"] for k in ("tv", "radio", "idle", "idle2"))
    assert following["next_cursor"] is None


async def test_low_stock_from_the_stock_ledger_links_to_the_restock_suggestions(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    sold = await make_product(customer, stock=3, name="Kettle")
    damaged = await make_product(customer, stock=20, name="Toaster")
    plenty = await make_product(customer, stock=10, name="Blender")
    never = await make_product(customer, stock=0, name="Mixer")  # tracked, never stocked
    await make_product(customer, stock=None, name="Gift wrap")  # not tracked
    adjusted = await customer.post(
        f"/api/v1/products/{damaged['id']}/stock/adjustments", json={"quantity": -18, "reason": "water damage"}
    )
    assert adjusted.status_code == 201, adjusted.text
    await bill(customer, [(sold, 1)], "2026-03-01T10:00:00Z")
    await feed.deliver()

    reply = (await analytics.get(LOW_STOCK)).json()
    assert reply["report"] == "product-low-stock" and reply["filters"] == {"at_most": 5}
    assert reply["links"] == {"restock_suggestions": "/api/v1/products/restock-suggestions"}
    assert [(r["product_id"], r["name"], r["quantity"]) for r in reply["rows"]] == [
        (never["id"], "Mixer", 0),
        (sold["id"], "Kettle", 2),
        (damaged["id"], "Toaster", 2),
    ]
    assert reply["rows"][0]["changed_at"] is None
    assert all(r["changed_at"] is not None for r in reply["rows"][1:])
    assert set(reply["rows"][1]) == {"product_id", "name", "sku", "category", "quantity", "changed_at"}

    roomy = (await analytics.get(LOW_STOCK, params={"at_most": 10, "limit": 3})).json()
    assert [r["product_id"] for r in roomy["rows"]] == [never["id"], sold["id"], damaged["id"]]
    rest = (await analytics.get(LOW_STOCK, params={"at_most": 10, "cursor": roomy["next_cursor"]})).json()
    assert [(r["product_id"], r["quantity"]) for r in rest["rows"]] == [(plenty["id"], 10)]
    assert rest["next_cursor"] is None
    assert [r["product_id"] for r in (await analytics.get(LOW_STOCK, params={"at_most": 0})).json()["rows"]] == [
        never["id"]
    ]
    # Stock is a quantity per product now: a range or a store says nothing about it.
    assert (await analytics.get(LOW_STOCK, params={"date_from": "2026-01-01"})).status_code == 422


async def test_the_download_holds_every_row_with_formula_like_names_made_inert(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    link = await make_product(customer, name='=HYPERLINK("http://x")', price="7.00", stock=None)
    command = await make_product(customer, name="+cmd", price="2.00", stock=None)
    plain = await make_product(customer, name="Plain", price="1.00", stock=None)
    await bill(customer, [(link, 3), (command, 2), (plain, 1)], "2026-03-01T10:00:00Z")
    await feed.deliver()

    page = (await analytics.get(RANKING, params={"limit": 1})).json()
    assert [r["name"] for r in page["rows"]] == ['=HYPERLINK("http://x")'] and page["next_cursor"]

    download = await analytics.get(RANKING, params={"format": "csv", "limit": 1})
    assert download.status_code == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.headers["x-patron-as-of"]
    assert 'filename="product-ranking.csv"' in download.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0] == [
        "product_id",
        "name",
        "sku",
        "category",
        "subcategory",
        "brand",
        "units",
        "revenue",
        "cost",
        "margin",
    ]
    # Every row, not the page asked for.
    assert [(r[0], r[1], r[6], r[7]) for r in rows[1:]] == [
        (str(link["id"]), '\'=HYPERLINK("http://x")', "3", "21.00"),
        (str(command["id"]), "'+cmd", "2", "4.00"),
        (str(plain["id"]), "Plain", "1", "1.00"),
    ]
    nul = await analytics.get(RANKING, params={"format": "csv", "country": "\x00"})
    assert nul.status_code == 422, nul.text
    empty = await analytics.get(RANKING, params={"format": "csv", "category": "none such"})
    assert empty.status_code == 200 and empty.text.splitlines() == [",".join(rows[0])]
    profits = await analytics.get(PROFITABILITY, params={"format": "csv"})
    lines = list(csv.reader(io.StringIO(profits.text)))
    assert lines[0][-1] == "margin_rate" and len(lines) == 4
