"""The Global Electronics dataset, imported through the customer service and streamed over the real broker
to the analytics service, gives exactly the reports' figures computed from its raw files."""

import asyncio
import csv
import io
import json
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from fastapi import FastAPI

from services.analytics.app import create_app
from tests.analytics.conftest import ANALYST, analytics_settings
from tests.analytics.global_electronics import Figures, cents, rate, report_figures
from tests.conftest import TEST_SECRET, ServiceClient, fresh_database
from tests.conftest import _plain as plain_url
from tests.events.conftest import NatsServer
from tests.events.test_reference_consumer import _publish_everything
from tests.imports.conftest import GLOBAL_ELECTRONICS, MAX_BYTES, customer_service, run_import
from tests.imports.test_global_electronics import dataset_files, expected_figures
from tests.support.processes import serve

pytestmark = [
    pytest.mark.skipif(not GLOBAL_ELECTRONICS.is_dir(), reason="Global Electronics data not available"),
    pytest.mark.timeout(600),
]

ANALYTICS = "/api/v1/analytics"
NEW_VS_RETURNING = ("customers", "new", "returning", "new_revenue", "returning_revenue", "new_share")
# A functional deadline, not a speed check: analytics catches up with the 62,884 lines in seconds here.
CATCH_UP_SECONDS = 600


@dataclass
class Imported:
    """The dataset imported once for this module's tests, and the analytics service caught up with it."""

    database_url: str
    client: ServiceClient  # the analytics service, signed as an analyst
    events: int
    imported: float  # seconds: the import into PostgreSQL
    published: float  # the publication of its events to the broker
    caught_up: float  # the analytics consumer's catch-up on them


async def import_and_publish(database_url: str, broker: NatsServer, tmp_path: Path) -> tuple[int, float, float]:
    """Import the whole dataset through the customer service, then publish its outbox to ``broker``."""
    started = time.monotonic()
    async with customer_service(
        database_url, import_dir=tmp_path / "imports", import_max_bytes=MAX_BYTES, import_batch_rows=20_000
    ) as api:
        job = await run_import(api, "global-electronics", dataset_files())
        assert job["state"] == "done", job["error"]
        assert job["report"]["rejected"]["count"] == 0, job["report"]["rejected"]["rows"][:5]
    imported = time.monotonic() - started
    started = time.monotonic()
    events = await _publish_everything(database_url, broker.url)
    return events, imported, time.monotonic() - started


async def caught_up(app: FastAPI, events: int, timeout: float) -> None:
    """Wait until every consumer of ``app`` has taken every event of the stream in hand."""
    consumers = list(app.state.consumers)
    assert consumers, "the analytics service runs no consumer"
    deadline = time.monotonic() + timeout
    for consumer in consumers:
        while sum(consumer.counts.values()) < events or await consumer.pending():
            assert time.monotonic() < deadline, (consumer.name, consumer.counts)
            await asyncio.sleep(0.2)


@pytest.fixture(scope="module")
def figures() -> Figures:
    return report_figures()


@pytest.fixture(scope="module")
async def ge_database(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    """A fresh, migrated database for this module's tests (the import is made once), dropped afterwards."""
    async with fresh_database(postgres_url, template_database, "patron_ge") as url:
        yield url


@pytest.fixture(scope="module")
async def imported(ge_database: str, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Imported]:
    """The whole dataset imported through the customer service, published to a real broker, and an analytics
    service that has caught up with it; it reads the names of the customers it lists from a real customer
    service process."""
    scratch = tmp_path_factory.mktemp("global-electronics")
    broker = NatsServer(scratch / "nats")
    broker.start()
    try:
        events, imported, published = await import_and_publish(ge_database, broker, scratch)
        env = {
            "PATRON_DATABASE_URL": ge_database,
            "PATRON_INTERNAL_SECRET": TEST_SECRET,
            "PATRON_ENVIRONMENT": "test",
            "PATRON_LOG_LEVEL": "WARNING",
            "PATRON_EVENTS_RELAY": "false",
        }
        with serve("customer", env, scratch) as customer:
            app = create_app(analytics_settings(ge_database, broker.url, customer_url=customer.url))
            async with app.router.lifespan_context(app):
                started = time.monotonic()
                await caught_up(app, events, CATCH_UP_SECONDS)
                caught = time.monotonic() - started
                print(
                    f"\nGlobal Electronics: imported in {imported:.1f} s, {events} events published in"
                    f" {published:.1f} s, analytics caught up in {caught:.1f} s"
                )
                async with ServiceClient(app, ANALYST) as client:
                    yield Imported(ge_database, client, events, imported, published, caught)
    finally:
        broker.stop()


async def report(client: ServiceClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every row of a JSON report, following ``next_cursor`` to the end."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        response = await client.get(f"{ANALYTICS}/{path}", params=params | ({"cursor": cursor} if cursor else {}))
        assert response.status_code == 200, response.text
        body = response.json()
        rows += body["rows"]
        cursor = body.get("next_cursor")
        if cursor is None:
            return rows


def sales_figures(row: dict[str, Any]) -> dict[str, Any]:
    """The sales figures of a report row (every sales report carries them beside its key)."""
    return {name: row[name] for name in ("revenue", "cost", "margin", "units", "orders", "average_order_value")}


def by_key(rows: list[dict[str, Any]], key: str) -> dict[Any, dict[str, Any]]:
    keyed = {row[key]: row for row in rows}
    assert len(keyed) == len(rows), f"{key} repeats"
    return keyed


async def announced(db: asyncpg.Connection, event_type: str) -> list[dict[str, Any]]:
    """The items of an import's batch events of ``event_type``, as field -> value (JSON values; parts too)."""
    items = []
    for row in await db.fetch("SELECT payload FROM customer.event_outbox WHERE type = $1 ORDER BY id", event_type):
        payload = json.loads(row["payload"])
        for values in payload["items"]:
            item = dict(zip(payload["fields"], values, strict=True))
            for name, fields in payload["part_fields"].items():
                item[name] = [dict(zip(fields, part, strict=True)) for part in item[name]]
            items.append(item)
    return items


async def test_the_whole_dataset_reaches_analytics_in_a_few_dozen_batch_events(imported: Imported) -> None:
    """The import, its publication and analytics' catching up each ended within the fixture's functional deadline."""
    expected = expected_figures()
    assert imported.caught_up > 0
    # Batch events of at most 1,000 items: a few dozen messages for the 44,000 records.
    assert imported.events < (expected["orders"] + expected["customers"] + expected["products"]) / 500 + 100


async def test_the_imports_events_carry_the_figures_the_reports_need(imported: Imported, figures: Figures) -> None:
    db = await asyncpg.connect(plain_url(imported.database_url))
    try:
        await events_carry_the_figures(db, figures)
    finally:
        await db.close()


async def events_carry_the_figures(db: asyncpg.Connection, figures: Figures) -> None:
    # The customers' attributes as the events carry them (the age band as of the import's day).
    customers = await announced(db, "customers.imported")
    for by, counts in figures.customers.items():
        assert Counter(customer[by] for customer in customers) == counts, by
    # The products' unit cost and the bills' lines give the cost; the lines' local totals the local revenue.
    products = await announced(db, "products.imported")
    unit_cost = {product["product_id"]: Decimal(product["unit_cost"]) for product in products}
    bills = await announced(db, "purchases.imported")
    assert len(bills) == figures.total.orders
    cost = Decimal(0)
    local: dict[str, Decimal] = defaultdict(Decimal)
    online = Decimal(0)
    for bill in bills:
        lines = bill["lines"]
        cost += sum(unit_cost[line["product_id"]] * line["quantity"] for line in lines)
        local[bill["currency"]] += sum(Decimal(line["local_total"]) for line in lines)
        if bill["store_id"] == 0:
            online += Decimal(bill["base_total"])
    assert cost == figures.total.cost
    assert local == {code: sales.local_revenue for code, sales in figures.by_currency.items()}
    assert online == figures.by_channel["online"].revenue


async def test_the_sales_reports_give_the_figures_of_the_raw_files(imported: Imported, figures: Figures) -> None:
    client = imported.client

    # Orders, units, revenue, cost and margin in USD.
    (summary,) = await report(client, "sales/summary")
    assert sales_figures(summary) == figures.total.row()
    assert summary["orders"] == 26_326 and summary["units"] == 197_757
    assert summary["revenue"] == "55755479.59" and summary["cost"] == "23092791.21"

    # Per currency: revenue in USD and in the local money, each line's local price rounded to the cent.
    currencies = by_key(await report(client, "sales/by/currency"), "key")
    assert set(currencies) == set(figures.by_currency) == {"AUD", "CAD", "EUR", "GBP", "USD"}
    for code, sales in figures.by_currency.items():
        assert sales_figures(currencies[code]) == sales.row(), code
        assert currencies[code]["local_revenue"] == str(cents(sales.local_revenue)), code
    assert currencies["USD"]["local_revenue"] == currencies["USD"]["revenue"]

    # Per category (and subcategory and brand) and per month of the order date.
    for dimension, expected in (
        ("category", figures.by_category),
        ("subcategory", figures.by_subcategory),
        ("brand", figures.by_brand),
    ):
        rows = by_key(await report(client, f"sales/by/{dimension}"), "key")
        assert {name: sales_figures(row) for name, row in rows.items()} == {
            name: sales.row() for name, sales in expected.items()
        }, dimension
    months = by_key(await report(client, "sales/over-time", grain="month"), "period")
    assert {period: sales_figures(row) for period, row in months.items()} == {
        month.isoformat(): sales.row() for month, sales in figures.by_month.items()
    }
    assert len(months) == 62  # January 2016 to February 2021
    quarters = by_key(await report(client, "sales/over-time", grain="quarter"), "period")
    assert {period: sales_figures(row) for period, row in quarters.items()} == {
        quarter.isoformat(): sales.row() for quarter, sales in figures.by_quarter.items()
    }
    years = by_key(await report(client, "sales/over-time", grain="year"), "period")
    assert {str(period): sales_figures(row) for period, row in years.items()} == {
        str(year): sales.row() for year, sales in figures.by_year.items()
    }
    for by, expected_season in (("month", figures.by_month_of_year), ("weekday", figures.by_weekday)):
        season = by_key(await report(client, "sales/seasonality", by=by), by)
        assert {key: sales_figures(row) for key, row in season.items()} == {
            key: sales.row() for key, sales in expected_season.items()
        }, by

    # The filters: a year, a channel, a currency, a category, a country each give their own figures.
    for filters, expected_sales in (
        ({"date_from": "2019-01-01", "date_to": "2019-12-31"}, figures.by_year[2019]),
        ({"online": "true"}, figures.by_channel["online"]),
        ({"online": "false"}, figures.by_channel["physical"]),
        ({"currency": "EUR"}, figures.by_currency["EUR"]),
        ({"category": "Audio"}, figures.by_category["Audio"]),
        ({"country": "Germany"}, figures.by_country["Germany"]),
    ):
        (filtered,) = await report(client, "sales/summary", **filters)
        assert sales_figures(filtered) == expected_sales.row(), filters

    # Every product sold, largest revenue first: the ten best-selling in order.
    products = await report(client, "sales/by/product")
    assert len(products) == len(figures.by_product)
    assert [(row["label"], row["revenue"]) for row in products[:10]] == [
        (figures.product_names[key], str(cents(revenue))) for key, revenue in figures.top_products(10)
    ]
    sold = {key: (sales.units, str(cents(sales.revenue))) for key, sales in figures.by_product.items()}
    assert sorted((row["label"], row["units"], row["revenue"]) for row in products) == sorted(
        (figures.product_names[key], *figures_of) for key, figures_of in sold.items()
    )

    # The online shop (store 0) against the physical stores, and its share of revenue and of orders.
    channels = by_key(await report(client, "sales/by/channel"), "key")
    assert set(channels) == {"online", "physical"}
    for name in ("online", "physical"):
        assert sales_figures(channels[name]) == figures.by_channel[name].row(), name
    share = figures.online_share()
    assert Decimal(channels["online"]["revenue"]) / Decimal(summary["revenue"]) == share["revenue"]
    assert Decimal(channels["online"]["orders"]) / summary["orders"] == share["orders"]
    assert (round(share["revenue"], 4), round(share["orders"], 4)) == (Decimal("0.2045"), Decimal("0.2120"))

    # Per country of the customer (every Global Electronics line has one).
    countries = by_key(await report(client, "sales/by/country"), "key")
    assert {name: sales_figures(row) for name, row in countries.items()} == {
        name: sales.row() for name, sales in figures.by_country.items()
    }


async def test_the_customer_reports_give_the_figures_and_the_names_of_the_raw_files(
    imported: Imported, figures: Figures
) -> None:
    client = imported.client

    # The customers per gender, age band, city, state, country and continent, and their shares (to four
    # places): every customer, or with a sales filter (here the whole period) the customers who bought.
    for filters, population in (({}, figures.customers), ({"date_from": "2016-01-01"}, figures.buyers)):
        for by, counts in population.items():
            rows = by_key(await report(client, "customers/distribution", by=by, **filters), "key")
            assert {value: row["customers"] for value, row in rows.items()} == dict(counts), (by, filters)
            everyone = sum(counts.values())
            assert {value: row["share"] for value, row in rows.items()} == {
                value: str(rate(n, everyone)) for value, n in counts.items()
            }, (by, filters)
    assert sum(figures.customers["gender"].values()) == 15_266 and sum(figures.buyers["gender"].values()) == 11_887

    # The ten customers who spent most, with their names read from the customer service.
    top = await client.get(f"{ANALYTICS}/customers/top", params={"by": "revenue", "limit": 10})
    assert top.status_code == 200, top.text
    assert [customer_row(row) for row in top.json()["rows"]] == [
        expected_customer(figures, key) for key, _ in figures.top_customers(10)
    ]
    # Every customer who bought, by orders, in one download: the names read 500 customers a call.
    download = await client.get(f"{ANALYTICS}/customers/top", params={"by": "orders", "format": "csv"})
    assert download.status_code == 200, download.text
    ranked = list(csv.DictReader(io.StringIO(download.text)))
    orders = [int(row["orders"]) for row in ranked]
    assert orders == sorted(orders, reverse=True)
    assert sorted(customer_row(row) for row in ranked) == sorted(
        expected_customer(figures, key) for key in figures.by_customer
    )

    # Purchase patterns: customers who bought, their orders, frequency and the customers who came back.
    (patterns,) = await report(client, "customers/patterns")
    assert {name: str(patterns[name]) for name in figures.patterns()} == {
        name: str(value) for name, value in figures.patterns().items()
    }
    assert (patterns["customers"], patterns["repeat_customers"]) == (11_887, 7_272)

    # New and returning customers per month, and the cohorts of the month of first purchase.
    months = by_key(await report(client, "customers/new-vs-returning", grain="month"), "period")
    assert {period: {name: row[name] for name in NEW_VS_RETURNING} for period, row in months.items()} == (
        figures.new_and_returning()
    )
    cells = await report(client, "customers/cohorts")
    assert {
        (row["cohort"], row["month_offset"]): {name: row[name] for name in ("customers", "cohort_size", "retention")}
        for row in cells
    } == figures.cohorts()


async def test_the_top_customers_page_through_every_buyer_with_their_names(
    imported: Imported, figures: Figures
) -> None:
    # Every customer who bought, by revenue, a page of 500 at a time (the names read in one call a page).
    pages = await report(imported.client, "customers/top", by="revenue", limit=500)
    assert len(pages) == len(figures.by_customer)
    assert [customer_row(row) for row in pages[:10]] == [
        expected_customer(figures, key) for key, _ in figures.top_customers(10)
    ]
    assert sorted(customer_row(row) for row in pages) == sorted(
        expected_customer(figures, key) for key in figures.by_customer
    )


def customer_row(row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(str(row[name]) for name in ("name", "revenue", "orders", "units", "first_purchase", "last_purchase"))


def expected_customer(figures: Figures, key: str) -> tuple[Any, ...]:
    sales = figures.by_customer[key]
    return tuple(
        str(value)
        for value in (
            figures.customer_names[key],
            cents(sales.revenue),
            sales.orders,
            sales.units,
            sales.first_day,
            sales.last_day,
        )
    )


async def test_the_product_ranking_gives_the_figures_of_the_raw_files(imported: Imported, figures: Figures) -> None:
    client = imported.client
    # The ten best-selling products by revenue, in order.
    top = await client.get(f"{ANALYTICS}/products/ranking", params={"by": "revenue", "order": "best", "limit": 10})
    assert top.status_code == 200, top.text
    assert [(row["name"], row["revenue"]) for row in top.json()["rows"]] == [
        (figures.product_names[key], str(cents(revenue))) for key, revenue in figures.top_products(10)
    ]
    # Every product sold, by units and by revenue, best and least first, page after page.
    names = figures.product_names
    sold = sorted((names[key], sales.units, str(cents(sales.revenue))) for key, sales in figures.by_product.items())
    unsold = sorted(name for key, name in names.items() if key not in figures.by_product)
    for by in ("units", "revenue"):
        for order in ("best", "least"):
            rows = await report(client, "products/ranking", by=by, order=order, limit=500)
            values = [Decimal(str(row[by])) for row in rows]
            assert values == sorted(values, reverse=order == "best"), (by, order)
            ranked = [row for row in rows if row["units"] > 0]
            assert sorted((row["name"], row["units"], row["revenue"]) for row in ranked) == sold, (by, order)
            # Every product is ranked: those that sold nothing too, with no units and no revenue.
            assert sorted(row["name"] for row in rows if row["units"] == 0) == unsold, (by, order)
    assert len(unsold) == len(figures.product_names) - len(figures.by_product) == 2_517 - 2_492


async def test_the_profitability_of_each_product_is_that_of_the_raw_files(imported: Imported, figures: Figures) -> None:
    rows = await report(imported.client, "products/profitability", limit=500)
    assert len(rows) == len(figures.product_names)  # the products that sold nothing too, without a margin rate
    assert all(row["margin_rate"] is None for row in rows if row["units"] == 0)
    sold = [row for row in rows if row["units"] > 0]
    assert sorted(
        (row["name"], row["revenue"], row["cost"], row["margin"], row["margin_rate"]) for row in sold
    ) == sorted(
        (
            figures.product_names[key],
            str(cents(sales.revenue)),
            str(cents(sales.cost)),
            str(cents(sales.margin)),
            str(rate(sales.margin, sales.revenue)),
        )
        for key, sales in figures.by_product.items()
    )
