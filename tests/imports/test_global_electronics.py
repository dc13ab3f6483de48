"""The Global Electronics dataset imported as one job gives exactly the figures computed from its raw files."""

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import asyncpg
import pytest

from tests.imports.conftest import GLOBAL_ELECTRONICS, run_import

pytestmark = pytest.mark.skipif(not GLOBAL_ELECTRONICS.is_dir(), reason="Global Electronics data not available")


def _rows(name: str, encoding: str = "utf-8-sig") -> list[dict[str, str]]:
    with (GLOBAL_ELECTRONICS / name).open(encoding=encoding, newline="") as stream:
        return list(csv.DictReader(stream))


def _month_first(text: str) -> date:
    month, day, year = (int(part) for part in text.replace("-", "/").split("/"))
    return date(year, month, day)


def _usd(text: str) -> Decimal:
    return Decimal(text.strip().lstrip("$").replace(",", ""))


def expected_figures() -> dict[str, Any]:
    """Counts and totals straight from the CSV files, with nothing from Patron's code."""
    customers = _rows("Customers.csv", "cp1252")
    products = _rows("Products.csv")
    stores = _rows("Stores.csv")
    rates = _rows("Exchange_Rates.csv")
    sales = _rows("Sales.csv")
    price = {row["ProductKey"]: _usd(row["Unit Price USD"]) for row in products}
    rate = {(_month_first(row["Date"]), row["Currency"]): Decimal(row["Exchange"]) for row in rates}
    revenue_usd = Decimal(0)
    local: dict[str, Decimal] = defaultdict(Decimal)
    for row in sales:
        quantity = int(row["Quantity"])
        unit = price[row["ProductKey"]]
        revenue_usd += quantity * unit
        currency = row["Currency Code"]
        day_rate = Decimal(1) if currency == "USD" else rate[(_month_first(row["Order Date"]), currency)]
        local[currency] += quantity * (unit * day_rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {
        "customers": len(customers),
        "products": len(products),
        "stores": len(stores),
        "rates": sum(1 for row in rates if row["Currency"] != "USD"),
        "usd_rate_rows": sum(1 for row in rates if row["Currency"] == "USD"),
        "lines": len(sales),
        "orders": len({row["Order Number"] for row in sales}),
        "units": sum(int(row["Quantity"]) for row in sales),
        "revenue_usd": revenue_usd,
        "revenue_local": dict(local),
        "online_orders": len({row["Order Number"] for row in sales if row["StoreKey"] == "0"}),
        "slash_rate_dates": sum(1 for row in rates if "/" in row["Date"]),
        "slash_store_dates": sum(1 for row in stores if "/" in row["Open Date"]),
    }


def dataset_files() -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in sorted(GLOBAL_ELECTRONICS.glob("*.csv"))]


async def figures_in(db: asyncpg.Connection) -> dict[str, Any]:
    local = await db.fetch(
        "SELECT p.currency, sum(l.local_total) AS total FROM customer.purchase p"
        " JOIN customer.purchase_line l ON l.purchase_id = p.id GROUP BY p.currency"
    )
    return {
        "customers": await db.fetchval("SELECT count(*) FROM customer.customer"),
        "products": await db.fetchval("SELECT count(*) FROM customer.product"),
        "stores": await db.fetchval("SELECT count(*) FROM customer.store"),
        "rates": await db.fetchval("SELECT count(*) FROM customer.exchange_rate"),
        "lines": await db.fetchval("SELECT count(*) FROM customer.purchase_line"),
        "orders": await db.fetchval("SELECT count(*) FROM customer.purchase WHERE source = 'import'"),
        "units": await db.fetchval("SELECT sum(quantity) FROM customer.purchase_line"),
        "revenue_usd": await db.fetchval("SELECT sum(base_total) FROM customer.purchase_line"),
        "revenue_local": {row["currency"]: row["total"] for row in local},
        "online_orders": await db.fetchval("SELECT count(*) FROM customer.purchase WHERE store_id = 0"),
    }


async def test_global_electronics_gives_the_figures_of_its_raw_files(importer, db) -> None:
    expected = expected_figures()
    assert expected["customers"] == 15_266 and expected["lines"] == 62_884 and expected["orders"] == 26_326

    job = await run_import(importer, "global-electronics", dataset_files())

    assert job["state"] == "done", job["error"]
    report = job["report"]
    assert report["rejected"]["count"] == 0, report["rejected"]["rows"][:5]
    got = await figures_in(db)
    for name in ("customers", "products", "stores", "rates", "lines", "orders", "units", "online_orders"):
        assert got[name] == expected[name], name
    assert got["revenue_usd"] == expected["revenue_usd"]
    assert got["revenue_local"] == expected["revenue_local"]
    assert report["created"] == {
        "stores": expected["stores"] - 1,
        "customers": expected["customers"],
        "products": expected["products"],
        "exchange_rates": expected["rates"],
        "purchases": expected["orders"],
        "purchase_lines": expected["lines"],
    }
    assert report["updated"]["stores"] == 1  # store 0, the online shop every deployment has
    rows = sum(expected[name] for name in ("customers", "products", "stores", "lines")) + len(
        _rows("Exchange_Rates.csv")
    )
    assert job["progress"] == {"rows_done": rows, "rows_total": rows, "percent": 100.0}

    files = {file["role"]: file for file in report["files"]}
    assert files["customers"]["encoding"] == "Windows-1252"
    assert files["stores"]["encoding"] == "UTF-8" and files["stores"]["bom"] is True
    assert files["exchange_rates"]["rows"]["skipped"] == {
        "base currency (its rate is 1 by definition)": expected["usd_rate_rows"]
    }
    rate_dates = files["exchange_rates"]["date_formats"]["Date"]
    assert rate_dates["order"] == "month-first"
    assert rate_dates["patterns"]["m/d/yyyy"] == expected["slash_rate_dates"] == 6_775
    assert files["stores"]["date_formats"]["Open Date"]["patterns"]["m/d/yyyy"] == expected["slash_store_dates"] == 8
    assert files["products"]["cleaning"]["Unit Price USD"]["money_parsed"] == expected["products"]
    # The sales span several batches (cleaned while the one before loads): every batch's changes count once.
    assert files["sales"]["cleaning"]["Order Date"]["datetime_parsed"] == expected["lines"]
    assert report["skipped_files"] == [
        {"name": "Data_Dictionary.csv", "reason": "not part of the global-electronics data; skipped"}
    ]

    # Historic sales never touch stock; their products are not stock-tracked.
    assert await db.fetchval("SELECT count(*) FROM customer.stock_movement") == 0
    assert await db.fetchval("SELECT count(*) FROM customer.product WHERE track_stock") == 0

    # What the import created is announced in batch events, one per chunk of at most 1,000 items,
    # numbered 1..n along the import's aggregate; each item is its aggregate's seq 1 (its sequence row).
    rows = await db.fetch("SELECT * FROM customer.event_outbox ORDER BY id")
    chunks = [row for row in rows if row["aggregate_id"] == f"import:{job['id']}"]
    assert sorted(row["seq"] for row in chunks) == list(range(1, len(chunks) + 1))
    items = Counter()
    for row in chunks:
        payload = json.loads(row["payload"])
        assert 0 < len(payload["items"]) <= 1000
        items[row["type"]] += len(payload["items"])
    assert items == {
        "purchases.imported": expected["orders"],
        "customers.imported": expected["customers"],
        "products.imported": expected["products"],
    }
    assert len(chunks) < (expected["orders"] + expected["customers"] + expected["products"]) / 500
    assert not [row for row in rows if row["type"] in ("purchase.recorded", "customer.created", "product.created")]
    sequences = Counter(
        row["kind"]
        for row in await db.fetch(
            "SELECT split_part(aggregate_id, ':', 1) AS kind FROM customer.event_sequence WHERE last_seq = 1"
        )
    )
    assert sequences["purchase"] == expected["orders"] and sequences["customer"] == expected["customers"]
    # The report says how many it announced (the chunks, the stores' and the rates' single events), and
    # that they are published once the relay has sent them.
    assert report["events"]["announced"] == len(rows)
    assert report["events"]["published"] is False and report["events"]["unsent"] == len(rows)  # no relay runs here

    again = await run_import(importer, "global-electronics", dataset_files())
    assert again["state"] == "done"
    assert again["report"]["created"] == {} and again["report"]["updated"] == {}
    assert again["report"]["events"]["announced"] == 0  # nothing created, nothing changed: nothing announced
    assert await db.fetchval("SELECT count(*) FROM customer.event_outbox") == len(rows)
    assert await figures_in(db) == got
