"""The analytics benchmark: a Global-Electronics-layout retailer (stores, customers, products, exchange rates
and sales lines, generated from a seed) imported through the customer service while the analytics service
consumes its events; then four of analytics' reports over real HTTP, each next to pandas and DuckDB computing
the same answer from the same lines in the same run. See bench/README.md.

    python bench/analytics/run.py [--customers 1000000] [--lines 10000000] [--repeat 5] [--keep]
    python bench/analytics/run.py --customers 20000 --lines 200000      # a quick run

pandas and DuckDB are the bench's own needs, not Patron's: ``pip install pandas duckdb``.
"""

import argparse
import asyncio
import csv
import itertools
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

import asyncpg
import httpx2
import nats.js.errors
import psutil

try:
    import duckdb
    import numpy as np
    import pandas as pd
except ImportError as missing:  # pragma: no cover - the bench's own dependencies
    raise SystemExit(f"bench/analytics needs pandas and duckdb ({missing}): pip install pandas duckdb") from None

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from patron.embedded import start_embedded_nats  # noqa: E402
from patron.importing import follow, upload  # noqa: E402
from patron.services import SCHEMA_OWNERS  # noqa: E402
from services.kit.events import STREAM_NAME, connect  # noqa: E402
from services.kit.migrations import upgrade  # noqa: E402
from services.kit.principal import Principal, PrincipalKind, principal_headers  # noqa: E402
from services.kit.settings import PatronSettings  # noqa: E402
from tests.support.processes import free_port, serve  # noqa: E402

sys.path.insert(0, str(HERE))
from lifetime import compare_fit, compare_rfm  # noqa: E402

# ---------------------------------------------------------------------------------------------------------
# The analytics contract as the bench reads it (docs/analytics.md). A renamed route, parameter or field is a
# one-line change here and nowhere else.
# ---------------------------------------------------------------------------------------------------------
API = "/api/v1/analytics"
ROUTE = {
    "status": "/status",
    "summary": "/sales/summary",
    "monthly": "/sales/over-time",
    "category": "/sales/by/category",
    "top": "/products/ranking",
    "cohorts": "/customers/cohorts",
}
PARAM = {"date_from": "date_from", "date_to": "date_to", "country": "country", "cursor": "cursor"}
FIXED = {  # the parameters each report is always called with
    "monthly": {"grain": "month"},
    "category": {},
    "top": {"by": "revenue", "order": "best", "limit": "100"},
    "cohorts": {},
}
FIRST_ROWS = {"top": 100}  # a ranking: only its first rows are the answer (further pages are not read)
ROWS, NEXT = "rows", "next_cursor"  # the reply's rows, and the cursor of the next page (null on the last)
FIELD = {  # the bench's name of a field -> the name in a report's rows
    "period": "period",  # sales over time: the first day of the month, "YYYY-MM-01"
    "category": "key",  # sales by category: the category
    "product": "product_id",  # products ranking: Patron's product id (mapped to the file's ProductKey)
    "cohort": "cohort",  # cohorts: the month of first purchase, "YYYY-MM-01"
    "offset": "month_offset",  # cohorts: months after the cohort's
    "customers": "customers",  # cohorts: distinct customers of the cohort buying in that month
    "revenue": "revenue",
    "cost": "cost",
    "units": "units",
    "orders": "orders",
}
MONEY = {"revenue", "cost"}  # decimal strings in Patron's rows, integer cents in the baselines'
STATUS_CONSUMERS = "analytics"  # the analytics service's durable consumers' names start with this
STATUS_LINES = "sale_lines"  # in /status: the sales lines the star schema holds


@dataclass(frozen=True)
class Report:
    name: str
    title: str
    key: tuple[str, ...]  # the fields naming a row (bench names)
    values: tuple[str, ...]  # the fields compared (bench names)
    ordered: bool  # the rows' order is part of the answer


REPORTS = (
    Report("monthly", "monthly sales", ("period",), ("revenue", "cost", "units", "orders"), False),
    Report(
        "category", "revenue by category, one country and quarter", ("category",), ("revenue", "units", "orders"), False
    ),
    Report("top", "top 100 products by revenue, a date range", ("product",), ("revenue", "units", "cost"), True),
    Report("cohorts", "cohort table", ("cohort", "offset"), ("customers",), False),
)

AIM_CATCH_UP = 0.5  # analytics done within half of the import's own time after it ends
AIM_PANDAS = 10.0  # every report at least 10 times faster than pandas
AIM_DUCKDB = 1.0  # and no slower than DuckDB

# ---------------------------------------------------------------------------------------------------------
# The retailer: Global Electronics' layout (services/customer/imports/presets.py), its values generated.
# ---------------------------------------------------------------------------------------------------------
# country, continent, currency, share of the customers, physical stores, states
COUNTRIES = (
    ("United States", "North America", "USD", 0.40, 24, ("California", "Texas", "New York", "Florida", "Ohio")),
    ("United Kingdom", "Europe", "GBP", 0.12, 8, ("England", "Scotland", "Wales")),
    ("Germany", "Europe", "EUR", 0.09, 7, ("Bayern", "Berlin", "Hessen", "Hamburg")),
    ("Canada", "North America", "CAD", 0.08, 6, ("Ontario", "Quebec", "British Columbia")),
    ("Australia", "Australia", "AUD", 0.08, 5, ("New South Wales", "Victoria", "Queensland")),
    ("France", "Europe", "EUR", 0.08, 5, ("Paris", "Rhone", "Gironde")),
    ("Italy", "Europe", "EUR", 0.08, 4, ("Lazio", "Lombardia", "Veneto")),
    ("Netherlands", "Europe", "EUR", 0.07, 4, ("Noord-Holland", "Zuid-Holland", "Utrecht")),
)
RATES = {"EUR": 0.90, "GBP": 0.78, "CAD": 1.30, "AUD": 1.45}  # per USD, the base currency
CATEGORIES = {
    "Audio": ("MP4&MP3", "Recording Pen", "Bluetooth Headphones"),
    "Cameras and camcorders": ("Digital Cameras", "Digital SLR Cameras", "Camcorders"),
    "Cell phones": ("Smart phones & PDAs", "Touch Screen Phones", "Cell phones Accessories"),
    "Computers": ("Laptops", "Desktops", "Monitors", "Printers, Scanners & Fax"),
    "Games and Toys": ("Boxed Games", "Download Games"),
    "Home Appliances": ("Washers & Dryers", "Refrigerators", "Microwaves", "Water Heaters", "Coffee Machines"),
    "Music, Movies and Audio Books": ("Movie DVD",),
    "TV and Video": ("Televisions", "Home Theater System", "Car Video"),
}
BRANDS = ("Contoso", "Fabrikam", "Litware", "Adventure Works", "Proseware", "Wide World Importers", "Tailspin Toys")
COLOURS = ("Black", "White", "Silver", "Blue", "Red", "Grey", "Green", "Pink")
FIRST_DAY = date(2021, 1, 1)
DAYS = 3 * 365  # 2021-01-01 .. 2023-12-31
FIRST_ORDER = 366_000


def us_date(day: date) -> str:
    return f"{day.month}/{day.day}/{day.year}"


def money(value: float) -> str:
    return f"${value:,.2f} "


@dataclass
class Retail:
    """What was generated: the files, and the sales lines as arrays (one element per line) for the baselines."""

    files: list[Path]
    country: list[str]  # country names, by index
    category: list[str]  # category names, by index
    order: np.ndarray  # order number
    day: np.ndarray  # days since FIRST_DAY
    customer: np.ndarray  # CustomerKey
    product: np.ndarray  # ProductKey
    quantity: np.ndarray
    revenue: np.ndarray  # cents: the line's base total (unit price USD x quantity)
    cost: np.ndarray  # cents: unit cost USD x quantity
    line_country: np.ndarray  # the customer's country (index)
    line_category: np.ndarray  # the product's category (index)
    orders: int


def generate(folder: Path, customers: int, lines: int, products: int, seed: int) -> Retail:
    """Five files, deterministic for a seed: Stores, Customers, Products, Exchange_Rates and Sales."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    names = [c[0] for c in COUNTRIES]

    # Stores: 0 is the online store, then each country's physical stores, consecutive keys per country.
    store_first, store_count = [], []
    with (folder / "Stores.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["StoreKey", "Country", "State", "Square Meters", "Open Date"])
        writer.writerow([0, "Online", "Online", "", "01-01-2010"])
        key = 1
        for name, _, _, _, count, states in COUNTRIES:
            store_first.append(key)
            store_count.append(count)
            for index in range(count):
                opened = date(2008 + index % 10, 1 + index % 12, 1)
                writer.writerow([key, name, states[index % len(states)], 500 + 150 * (key % 12), us_date(opened)])
                key += 1

    # Customers: country by share, the rest plausible.
    shares = np.array([c[3] for c in COUNTRIES])
    cust_country = rng.choice(len(COUNTRIES), size=customers, p=shares / shares.sum())
    keys = np.arange(1, customers + 1)
    birth = rng.integers(0, 60 * 365, size=customers)
    frame = pd.DataFrame(
        {
            "CustomerKey": keys,
            "Gender": np.where(rng.random(customers) < 0.5, "Female", "Male"),
            "Name": [f"Customer {k}" for k in keys],
            "City": [f"City {c}-{k % 97}" for c, k in zip(cust_country, keys, strict=True)],
            "State Code": [
                COUNTRIES[c][5][k % len(COUNTRIES[c][5])][:2].upper() for c, k in zip(cust_country, keys, strict=True)
            ],
            "State": [COUNTRIES[c][5][k % len(COUNTRIES[c][5])] for c, k in zip(cust_country, keys, strict=True)],
            "Zip Code": (10_000 + keys % 89_999).astype(str),
            "Country": np.array(names, dtype=object)[cust_country],
            "Continent": np.array([c[1] for c in COUNTRIES], dtype=object)[cust_country],
            "Birthday": [us_date(date(1940, 1, 1) + timedelta(days=int(b))) for b in birth],
        }
    )
    frame.loc[rng.random(customers) < 0.02, "Birthday"] = ""
    frame.to_csv(folder / "Customers.csv", index=False)
    del frame

    # Products: prices log-normal, costs 35-60 % of them, a category each.
    categories = list(CATEGORIES)
    prod_category = rng.integers(0, len(categories), size=products)
    price = np.clip(np.round(np.exp(rng.normal(4.6, 1.1, size=products)), 2), 0.99, 3499.99)
    cost = np.round(price * rng.uniform(0.35, 0.60, size=products), 2)
    price_cents = np.round(price * 100).astype(np.int64)
    cost_cents = np.round(cost * 100).astype(np.int64)
    with (folder / "Products.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "ProductKey",
                "Product Name",
                "Brand",
                "Color",
                "Unit Cost USD",
                "Unit Price USD",
                "SubcategoryKey",
                "Subcategory",
                "CategoryKey",
                "Category",
            ]
        )
        for index in range(products):
            category = categories[prod_category[index]]
            subs = CATEGORIES[category]
            sub = index % len(subs)
            brand = BRANDS[index % len(BRANDS)]
            writer.writerow(
                [
                    index + 1,
                    f"{brand} {subs[sub]} {index + 1}",
                    brand,
                    COLOURS[index % len(COLOURS)],
                    money(cost_cents[index] / 100),
                    money(price_cents[index] / 100),
                    f"{prod_category[index] + 1:02d}{sub + 1:02d}",
                    subs[sub],
                    f"{prod_category[index] + 1:02d}",
                    category,
                ]
            )

    # Exchange rates: every day from a week before the first sale, a small random walk per currency.
    with (folder / "Exchange_Rates.csv").open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["Date", "Currency", "Exchange"])
        for currency, rate in RATES.items():
            walk = rate * np.exp(np.cumsum(rng.normal(0, 0.003, size=DAYS + 7)))
            for index, value in enumerate(walk):
                writer.writerow([us_date(FIRST_DAY + timedelta(days=index - 7)), currency, f"{value:.4f}"])

    # Orders: 1-7 lines (2.2 on average), each a customer's (some buy far more than others), on a day after the
    # customer joined (joins spread over the first 85 % of the span: later months have more buyers), in one of
    # the customer's country's stores or online.
    sizes = np.minimum(rng.geometric(0.45, size=lines), 7)
    ends = np.cumsum(sizes)
    count = int(np.searchsorted(ends, lines)) + 1
    sizes = sizes[:count]
    sizes[-1] -= int(ends[count - 1]) - lines
    activity = rng.lognormal(0.0, 1.0, size=customers)
    order_customer = rng.choice(customers, size=count, p=activity / activity.sum())
    joined = rng.integers(0, int(DAYS * 0.85), size=customers)
    start = joined[order_customer]
    order_day = start + (rng.random(count) * (DAYS - start)).astype(np.int64)
    by_day = np.argsort(order_day, kind="stable")  # order numbers rise with the days, as in the real file
    order_customer, order_day = order_customer[by_day], order_day[by_day]
    order_country = cust_country[order_customer]
    online = rng.random(count) < 0.2
    first, many = np.array(store_first)[order_country], np.array(store_count)[order_country]
    order_store = np.where(online, 0, first + (rng.random(count) * many).astype(np.int64))
    currencies = np.array([c[2] for c in COUNTRIES], dtype=object)
    order_number = FIRST_ORDER + np.arange(count)

    line_order = np.repeat(np.arange(count), sizes)
    line_item = np.arange(lines) - np.repeat(np.cumsum(sizes) - sizes, sizes) + 1
    popularity = 1.0 / (np.arange(products) + 10.0) ** 0.9
    line_product = rng.permutation(products)[rng.choice(products, size=lines, p=popularity / popularity.sum())]
    quantity = np.minimum(rng.geometric(0.5, size=lines), 10)

    day_text = np.array([us_date(FIRST_DAY + timedelta(days=d)) for d in range(DAYS)], dtype=object)
    sales = pd.DataFrame(
        {
            "Order Number": order_number[line_order],
            "Line Item": line_item,
            "Order Date": day_text[order_day[line_order]],
            "Delivery Date": "",
            "CustomerKey": order_customer[line_order] + 1,
            "StoreKey": order_store[line_order],
            "ProductKey": line_product + 1,
            "Quantity": quantity,
            "Currency Code": currencies[order_country[line_order]],
        }
    )
    chunk = 1_000_000
    for index in range(0, lines, chunk):
        sales.iloc[index : index + chunk].to_csv(
            folder / "Sales.csv", mode="w" if index == 0 else "a", header=index == 0, index=False
        )
    del sales
    return Retail(
        files=[folder / name for name in ("Stores.csv", "Customers.csv", "Products.csv", "Exchange_Rates.csv")]
        + [folder / "Sales.csv"],
        country=names,
        category=categories,
        order=order_number[line_order],
        day=order_day[line_order].astype(np.int32),
        customer=(order_customer[line_order] + 1).astype(np.int32),
        product=(line_product + 1).astype(np.int32),
        quantity=quantity.astype(np.int32),
        revenue=price_cents[line_product] * quantity,
        cost=cost_cents[line_product] * quantity,
        line_country=order_country[line_order].astype(np.int8),
        line_category=prod_category[line_product].astype(np.int8),
        orders=count,
    )


# ---------------------------------------------------------------------------------------------------------
# The questions, and the two baselines answering them from the lines.
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Questions:
    """The filters of the four reports, chosen from the data: the busiest country, a quarter in the middle of the
    span, and half a year for the ranking."""

    date_from: date
    date_to: date
    country: str
    quarter_from: date
    quarter_to: date
    range_from: date
    range_to: date

    @staticmethod
    def of(retail: Retail) -> "Questions":
        busiest = int(np.bincount(retail.line_country).argmax())
        return Questions(
            date_from=FIRST_DAY,
            date_to=FIRST_DAY + timedelta(days=DAYS - 1),
            country=retail.country[busiest],
            quarter_from=date(2022, 4, 1),
            quarter_to=date(2022, 6, 30),
            range_from=date(2022, 3, 15),
            range_to=date(2022, 9, 14),
        )

    def params(self, report: str) -> dict[str, str]:
        iso = date.isoformat
        if report == "category":
            span = (self.quarter_from, self.quarter_to)
            return {PARAM["date_from"]: iso(span[0]), PARAM["date_to"]: iso(span[1]), PARAM["country"]: self.country}
        if report == "top":
            return {PARAM["date_from"]: iso(self.range_from), PARAM["date_to"]: iso(self.range_to)}
        return {PARAM["date_from"]: iso(self.date_from), PARAM["date_to"]: iso(self.date_to)}

    def describe(self, report: str) -> str:
        if report == "category":
            return f"{self.country}, {self.quarter_from} .. {self.quarter_to}"
        if report == "top":
            return f"{self.range_from} .. {self.range_to}"
        return f"{self.date_from} .. {self.date_to}"


def lines_frame(retail: Retail) -> pd.DataFrame:
    """The sales lines as one flat frame (not timed): order, day, customer, product, quantity, revenue and cost in
    cents, the customer's country and the product's category."""
    return pd.DataFrame(
        {
            "order_number": retail.order,
            "day": np.datetime64(FIRST_DAY, "D") + retail.day.astype("timedelta64[D]"),
            "customer": retail.customer,
            "product": retail.product,
            "quantity": retail.quantity,
            "revenue": retail.revenue,
            "cost": retail.cost,
            "country": pd.Categorical.from_codes(retail.line_country, retail.country),
            "category": pd.Categorical.from_codes(retail.line_category, retail.category),
        }
    )


Answer = dict[tuple[Any, ...], tuple[int, ...]] | list[tuple[tuple[Any, ...], tuple[int, ...]]]


def pandas_answer(frame: pd.DataFrame, report: str, q: Questions) -> pd.DataFrame:
    """One report's answer computed by pandas, columns named as the bench names fields."""
    if report == "monthly":
        month = pd.Series(frame["day"].to_numpy().astype("datetime64[M]"), name="period")
        out = frame.groupby(month).agg(
            revenue=("revenue", "sum"),
            cost=("cost", "sum"),
            units=("quantity", "sum"),
            orders=("order_number", "nunique"),
        )
        return out.reset_index()
    if report == "category":
        days = frame["day"]
        chosen = frame[
            (frame["country"] == q.country)
            & (days >= pd.Timestamp(q.quarter_from))
            & (days <= pd.Timestamp(q.quarter_to))
        ]
        out = chosen.groupby("category", observed=True).agg(
            revenue=("revenue", "sum"), units=("quantity", "sum"), orders=("order_number", "nunique")
        )
        return out.reset_index()
    if report == "top":
        days = frame["day"]
        chosen = frame[(days >= pd.Timestamp(q.range_from)) & (days <= pd.Timestamp(q.range_to))]
        out = chosen.groupby("product").agg(revenue=("revenue", "sum"), units=("quantity", "sum"), cost=("cost", "sum"))
        out = out.reset_index()
        return out.sort_values(["revenue", "product"], ascending=[False, True]).head(100)
    if report == "cohorts":
        month = frame["day"].to_numpy().astype("datetime64[M]").astype(np.int32)  # months since 1970-01
        pairs = pd.DataFrame({"customer": frame["customer"], "month": month}).drop_duplicates()
        first = pairs.groupby("customer")["month"].transform("min")
        out = pairs.groupby([first.rename("cohort"), (pairs["month"] - first).rename("offset")]).size()
        out = out.rename("customers").reset_index()
        out["cohort"] = out["cohort"].to_numpy().astype("datetime64[M]").astype("datetime64[D]")
        return out
    raise ValueError(report)


DUCKDB_SQL = {
    "monthly": """
        SELECT date_trunc('month', day) AS period, sum(revenue) AS revenue, sum(cost) AS cost,
               sum(quantity) AS units, count(DISTINCT order_number) AS orders
        FROM lines GROUP BY 1""",
    "category": """
        SELECT category, sum(revenue) AS revenue, sum(quantity) AS units, count(DISTINCT order_number) AS orders
        FROM lines WHERE country = $country AND day BETWEEN $quarter_from AND $quarter_to GROUP BY 1""",
    "top": """
        SELECT product, sum(revenue) AS revenue, sum(quantity) AS units, sum(cost) AS cost
        FROM lines WHERE day BETWEEN $range_from AND $range_to
        GROUP BY 1 ORDER BY revenue DESC, product LIMIT 100""",
    "cohorts": """
        WITH months AS (SELECT DISTINCT customer, date_trunc('month', day) AS month FROM lines),
        firsts AS (SELECT customer, month, min(month) OVER (PARTITION BY customer) AS cohort FROM months)
        SELECT cohort, datediff('month', cohort, month) AS "offset", count(*) AS customers
        FROM firsts GROUP BY 1, 2""",
}


def duckdb_answer(connection: Any, report: str, q: Questions) -> pd.DataFrame:
    params = {
        "monthly": {},
        "category": {"country": q.country, "quarter_from": q.quarter_from, "quarter_to": q.quarter_to},
        "top": {"range_from": q.range_from, "range_to": q.range_to},
        "cohorts": {},
    }[report]
    return connection.execute(DUCKDB_SQL[report], params).df()


def load_baselines(retail: Retail) -> tuple[pd.DataFrame, Any]:
    """The lines as a pandas frame and as a DuckDB table in memory (not timed)."""
    started = time.perf_counter()
    frame = lines_frame(retail)
    duck = duckdb.connect()
    duck.register("frame", frame)
    duck.execute("CREATE TABLE lines AS SELECT * FROM frame")
    duck.unregister("frame")
    print(f"baselines loaded in {time.perf_counter() - started:.1f} s (not timed)\n", flush=True)
    return frame, duck


def normalised_frame(report: Report, frame: pd.DataFrame) -> Answer:
    """A baseline's rows as ``{key: values}`` (or an ordered list): dates as ISO days, everything else integers."""
    rows = []
    for record in frame.to_dict("records"):
        key = tuple(_key_value(record[name]) for name in report.key)
        rows.append((key, tuple(int(record[name]) for name in report.values)))
    return rows if report.ordered else dict(rows)


def _key_value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, np.integer):
        return int(value)
    return value


def normalised_rows(report: Report, rows: list[dict[str, Any]], products: dict[int, int]) -> Answer:
    """Patron's rows the same way: money as cents, its product ids as the file's ProductKey."""
    out = []
    for row in rows:
        key = []
        for name in report.key:
            value = row[FIELD[name]]
            if name == "product":
                value = products.get(int(value), -int(value))
            elif name == "offset":
                value = int(value)
            elif name in ("period", "cohort"):
                value = str(value)[:10]
            key.append(value)
        values = []
        for name in report.values:
            value = row[FIELD[name]]
            values.append(int(Decimal(str(value)) * 100) if name in MONEY else int(value))
        out.append((tuple(key), tuple(values)))
    if report.name == "cohorts":  # a cell with no customers says nothing a missing one does not
        out = [row for row in out if row[1][0]]
    return out if report.ordered else dict(out)


def differences(report: Report, left: Answer, right: Answer, limit: int = 5) -> list[str]:
    """What differs between two answers (empty: they agree). An ordered answer must be in its order (revenue
    descending); rows of equal revenue may come in any order."""
    if report.ordered:
        assert isinstance(left, list) and isinstance(right, list)
        found = [
            f"#{index + 1} is out of order: {row} after {previous}"
            for index, (previous, row) in enumerate(itertools.pairwise(left), start=1)
            if row[1][0] > previous[1][0]
        ]
        ties = sorted(left, key=lambda row: (-row[1][0], row[0])), sorted(right, key=lambda row: (-row[1][0], row[0]))
        found += [f"#{index + 1}: {a} vs {b}" for index, (a, b) in enumerate(zip(*ties, strict=False)) if a != b]
        if len(left) != len(right):
            found.append(f"{len(left)} rows vs {len(right)}")
        return found[:limit]
    assert isinstance(left, dict) and isinstance(right, dict)
    keys = sorted(set(left) | set(right), key=str)
    return [f"{key}: {left.get(key)} vs {right.get(key)}" for key in keys if left.get(key) != right.get(key)][:limit]


def timed(call: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The median seconds of ``repeat`` calls, and the last call's result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = call()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), result


# ---------------------------------------------------------------------------------------------------------
# Patron: a scratch database, NATS, the customer and analytics services.
# ---------------------------------------------------------------------------------------------------------
async def admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def fetch(url: str, query: str) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(url)
    try:
        return list(await connection.fetch(query))
    finally:
        await connection.close()


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its children."""
    total = 0.0
    try:
        process = psutil.Process(pid)
        for each in [process, *process.children(recursive=True)]:
            times = each.cpu_times()
            total += times.user + times.system
    except psutil.Error:
        pass
    return total


def get_report(client: httpx2.Client, report: str, params: dict[str, str]) -> tuple[int, list[dict[str, Any]]]:
    """Every row of one report (following its cursor; a ranking's first rows): the status of the first page and
    the rows."""
    rows: list[dict[str, Any]] = []
    query = {**FIXED.get(report, {}), **params}
    while True:
        response = client.get(API + ROUTE[report], params=query)
        if response.status_code != 200:
            return response.status_code, rows
        body = response.json()
        rows.extend(body[ROWS])
        cursor = body.get(NEXT)
        wanted = FIRST_ROWS.get(report)
        if wanted is not None and len(rows) >= wanted:
            return 200, rows[:wanted]
        if not cursor:
            return 200, rows
        query = {**query, PARAM["cursor"]: cursor}


async def analyze_if_no_autovacuum(database_url: str) -> float | None:
    """ANALYZE the analytics schema's tables when the server's autovacuum is off (it would have analyzed tables
    just loaded with millions of rows within a minute): the seconds taken, or None when autovacuum is on."""
    connection = await asyncpg.connect(database_url)
    try:
        if await connection.fetchval("SHOW autovacuum") == "on":
            return None
        started = time.perf_counter()
        for table in await connection.fetch("SELECT tablename FROM pg_tables WHERE schemaname = 'analytics'"):
            await connection.execute(f'ANALYZE analytics."{table["tablename"]}"')
        return time.perf_counter() - started
    finally:
        await connection.close()


def applied_lines(analytics_url: str, headers: dict[str, str]) -> int | None:
    """The sales lines analytics holds, from its status (None: no status)."""
    try:
        response = httpx2.get(analytics_url + API + ROUTE["status"], headers=headers, timeout=60)
    except httpx2.TransportError:
        return None
    if response.status_code != 200 or STATUS_LINES not in response.json():
        return None
    return int(response.json()[STATUS_LINES])


@dataclass
class CatchUp:
    seconds: float | None  # after the import ended; None: not seen within the limit
    consumers: list[str]
    revenue_seen: int | None  # cents in the summary when it was last read
    relay_seconds: float | None  # the customer outbox all published, after the import ended
    note: str = ""


async def watch_catch_up(
    database_url: str,
    nats_url: str,
    analytics_url: str,
    headers: dict[str, str],
    expected: int,
    q: Questions,
    ended: float,
    limit: float,
    published: float | None,
) -> CatchUp:
    """Poll until analytics has applied everything: the customer outbox published, every ``analytics…`` consumer
    with nothing pending, and the revenue of ``/sales/summary`` over the whole span equal to the file's."""
    watcher = await asyncpg.connect(database_url)
    nc = await connect(nats_url, name="bench-analytics-watcher")
    js = nc.jetstream()
    relay = published  # when the customer outbox was seen all published
    consumers: list[str] = []
    revenue: int | None = None
    summary_ok: bool | None = None  # None: the route is not there
    try:
        async with httpx2.AsyncClient(base_url=analytics_url, headers=headers, timeout=60) as client:
            while time.perf_counter() - ended < limit:
                unsent = await watcher.fetchval("SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL")
                if unsent == 0:
                    relay = relay or time.perf_counter()
                    try:
                        infos = await js.consumers_info(STREAM_NAME)
                    except nats.js.errors.NotFoundError:
                        infos = []
                    mine = [i for i in infos if (i.name or "").startswith(STATUS_CONSUMERS)]
                    consumers = sorted(i.name or "" for i in mine)
                    pending = sum((i.num_pending or 0) + (i.num_ack_pending or 0) for i in mine)
                    if pending == 0:
                        response = await client.get(API + ROUTE["summary"], params=q.params("summary"))
                        if response.status_code == 200:
                            rows = response.json()[ROWS]
                            revenue = int(Decimal(str(rows[0][FIELD["revenue"]])) * 100) if rows else 0
                            summary_ok = revenue == expected
                        else:
                            summary_ok = None
                        if summary_ok or (summary_ok is None and mine):
                            note = "" if summary_ok else f"no summary ({response.status_code}): consumers only"
                            return CatchUp(time.perf_counter() - ended, consumers, revenue, relay - ended, note)
                await asyncio.sleep(0.25)
        note = "no analytics consumer seen" if not consumers else "not caught up within the limit"
        return CatchUp(None, consumers, revenue, None if relay is None else relay - ended, note)
    finally:
        await watcher.close()
        await nc.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--lines", type=int, default=10_000_000, help="sales lines (purchase lines)")
    parser.add_argument("--products", type=int, default=2_500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=5, help="timed calls of each report (the median is printed)")
    parser.add_argument("--baseline-repeat", type=int, default=3, help="timed runs of each baseline")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--batch-rows", type=int, default=50_000, help="rows per import batch")
    parser.add_argument("--loaders", type=int, default=2, help="batches the import loads at once")
    parser.add_argument("--catch-up-limit", type=float, default=0.0, help="seconds (default: 3 x the import + 120)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database, files and logs")
    parser.add_argument(
        "--no-analyze", action="store_true", help="never ANALYZE analytics' tables (done when autovacuum is off)"
    )
    parser.add_argument("--baselines-only", action="store_true", help="no Patron: generate, then pandas vs DuckDB")
    args = parser.parse_args()
    repeat = max(args.repeat, 3)
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-analytics-"))
    print(f"files and logs in {workdir}", flush=True)

    started = time.perf_counter()
    retail = generate(workdir / "files", args.customers, args.lines, args.products, args.seed)
    size = sum(path.stat().st_size for path in retail.files) / 2**20
    print(
        f"generated {args.lines:,} lines in {retail.orders:,} orders for {args.customers:,} customers, "
        f"{args.products:,} products ({size:,.0f} MB) in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    questions = Questions.of(retail)
    expected_revenue = int(retail.revenue.sum())
    if args.baselines_only:
        frame, duck = load_baselines(retail)
        del retail
        failed = compare_reports(None, frame, duck, questions, {}, repeat, args.baseline_repeat)
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 1 if failed else 0

    name = f"patron_bench_analytics_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    broker = None
    try:
        for spec in SCHEMA_OWNERS:
            upgrade(spec.package, database_url)
        broker = start_embedded_nats(workdir / "nats", port=free_port())
        env = {
            "PATRON_DATABASE_URL": database_url,
            "PATRON_ENVIRONMENT": "development",
            "PATRON_EVENTS_RELAY": "true",
            "PATRON_NATS_URL": broker.url,
            "PATRON_LOG_LEVEL": "WARNING",
            "PATRON_BASE_CURRENCY": "USD",
            "PATRON_BUSINESS_TIMEZONE": "UTC",
            "PATRON_CUSTOMER_IMPORT_DIR": str(workdir / "uploads"),
            "PATRON_CUSTOMER_IMPORT_MAX_BYTES": str(1 << 40),
            "PATRON_CUSTOMER_IMPORT_BATCH_ROWS": str(args.batch_rows),
            "PATRON_CUSTOMER_IMPORT_LOADERS": str(args.loaders),
        }
        secret = PatronSettings().internal_secret.get_secret_value()
        staff = Principal(kind=PrincipalKind.STAFF, subject="bench", roles=["admin"])
        headers = principal_headers(staff, secret=secret, ttl_seconds=24 * 3600)
        with ExitStack() as stack:
            customer_service = stack.enter_context(serve("customer", env, workdir))
            analytics_service = stack.enter_context(serve("analytics", env, workdir))
            customer_url, customer = customer_service.url, customer_service.process
            analytics_url, analytics = analytics_service.url, analytics_service.process
            pids = {"customer": customer.pid, "analytics": analytics.pid, "nats": broker.process.pid}
            cpu0 = {piece: process_cpu(pid) for piece, pid in pids.items()}
            with httpx2.Client(base_url=customer_url, headers=headers, timeout=600) as client:
                began = time.perf_counter()
                job = upload(client, retail.files, preset="global-electronics", fields={}, on_bytes=lambda n: None)
                uploaded = time.perf_counter() - began
                job = follow(client, job["id"], on_progress=lambda job: None, poll=0.5)
                ended = time.perf_counter()
            import_seconds = ended - began
            outbox = asyncio.run(
                fetch(
                    database_url,
                    "SELECT count(*) AS n, count(*) FILTER (WHERE sent_at IS NULL) AS unsent"
                    " FROM customer.event_outbox",
                )
            )[0]
            asked = time.perf_counter()
            applied = applied_lines(analytics_url, headers)
            asked = time.perf_counter() - asked
            if job["state"] != "done":
                raise RuntimeError(f"the import failed: {job.get('error')}")
            report = job["report"]
            cpu1 = {piece: process_cpu(pid) for piece, pid in pids.items()}
            rate = args.lines / import_seconds
            print(
                f"import: {import_seconds:.1f} s (upload {uploaded:.1f} s), {rate:,.0f} lines/s; "
                f"created {report['created']}; rejected {len(report['rejected'].get('rows') or [])} rows",
                flush=True,
            )
            held = "" if applied is None else f"analytics held {applied:,} of the {args.lines:,} lines, "
            print(
                f"  when the import ended {held}{outbox['unsent']:,} of the customer outbox's {outbox['n']:,} events "
                f"were not yet published (the status answered in {asked:.1f} s)",
                flush=True,
            )
            limit = args.catch_up_limit or 3 * import_seconds + 120
            published = ended if outbox["unsent"] == 0 else None
            catch_up = asyncio.run(
                watch_catch_up(
                    database_url,
                    broker.url,
                    analytics_url,
                    headers,
                    expected_revenue,
                    questions,
                    ended,
                    limit,
                    published,
                )
            )
            cpu2 = {piece: process_cpu(pid) for piece, pid in pids.items()}
            print_catch_up(import_seconds, catch_up, expected_revenue, cpu0, cpu1, cpu2)
            # The ledger against the file (after the catch-up, so its reading does not slow analytics down).
            ledger = asyncio.run(
                fetch(database_url, "SELECT count(*) AS n, sum(base_total) AS total FROM customer.purchase_line")
            )[0]
            if ledger["n"] != args.lines or int(ledger["total"] * 100) != expected_revenue:
                raise RuntimeError(f"the ledger holds {ledger['n']} lines of {ledger['total']}, not the file's")
            status = httpx2.get(analytics_url + API + ROUTE["status"], headers=headers, timeout=60)
            if status.status_code == 200:
                print(f"  {API + ROUTE['status']}: {status.text[:400]}", flush=True)

            if not args.no_analyze:
                analyzed = asyncio.run(analyze_if_no_autovacuum(database_url))
                if analyzed is not None:
                    print(
                        f"  autovacuum is off on this server: analytics' tables analyzed as it would have "
                        f"({analyzed:.1f} s, not timed; --no-analyze leaves them as the service left them)",
                        flush=True,
                    )
            products = {
                int(row["id"]): int(row["external_ref"])
                for row in asyncio.run(
                    fetch(database_url, "SELECT id, external_ref FROM customer.product WHERE external_ref IS NOT NULL")
                )
            }
            frame, duck = load_baselines(retail)
            del retail
            with httpx2.Client(base_url=analytics_url, headers=headers, timeout=3600) as client:
                failed = compare_reports(client, frame, duck, questions, products, repeat, args.baseline_repeat)
                failed = compare_rfm(client, database_url, frame, duck, repeat, args.baseline_repeat) or failed
                failed = compare_fit(client, frame, min(repeat, 3), min(args.baseline_repeat, 3)) or failed
    finally:
        if broker is not None:
            broker.stop()
        if not args.keep:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


def print_catch_up(
    import_seconds: float,
    catch_up: CatchUp,
    expected: int,
    cpu0: dict[str, float],
    cpu1: dict[str, float],
    cpu2: dict[str, float],
) -> None:
    during = ", ".join(f"{piece} {cpu1[piece] - cpu0[piece]:.0f}" for piece in cpu0)
    after = ", ".join(f"{piece} {cpu2[piece] - cpu1[piece]:.0f}" for piece in cpu0)
    relay = "never" if catch_up.relay_seconds is None else f"{catch_up.relay_seconds:.1f} s"
    seen = "-" if catch_up.revenue_seen is None else f"{catch_up.revenue_seen / 100:,.2f}"
    print(f"  consumers {', '.join(catch_up.consumers) or 'none'}; summary revenue {seen} (file {expected / 100:,.2f})")
    print(f"  customer outbox all published {relay} after the import ended")
    print(f"  CPU seconds during the import: {during}; after it: {after}")
    if catch_up.seconds is None:
        print(f"analytics caught up: NOT seen ({catch_up.note})", flush=True)
        return
    ratio = catch_up.seconds / import_seconds
    met = "met" if ratio <= AIM_CATCH_UP else "NOT met"
    note = f" ({catch_up.note})" if catch_up.note else ""
    print(
        f"analytics caught up {catch_up.seconds:.1f} s after the import ended: catch-up/import {ratio:.3f}, "
        f"aim <= {AIM_CATCH_UP}: {met}{note}",
        flush=True,
    )


def compare_reports(
    client: httpx2.Client | None,
    frame: pd.DataFrame,
    duck: Any,
    q: Questions,
    products: dict[int, int],
    repeat: int,
    baseline_repeat: int,
) -> bool:
    """Time each report in Patron (``client``; None: the baselines only), pandas and DuckDB, check the answers
    agree, print; True if any disagree."""
    failed = False
    table = []
    for report in REPORTS:
        params = q.params(report.name)
        patron_seconds = cold = None
        patron: Answer | None = None
        status = 0
        if client is not None:
            cold_started = time.perf_counter()
            status, rows = get_report(client, report.name, params)
            cold = time.perf_counter() - cold_started
            if status == 200:
                patron_seconds, (_, rows) = timed(partial(get_report, client, report.name, params), repeat)
                patron = normalised_rows(report, rows, products)
        pandas_seconds, pandas_frame = timed(partial(pandas_answer, frame, report.name, q), baseline_repeat)
        duck_seconds, duck_frame = timed(partial(duckdb_answer, duck, report.name, q), baseline_repeat)
        by_pandas = normalised_frame(report, pandas_frame)
        by_duckdb = normalised_frame(report, duck_frame)
        problems = [f"pandas vs DuckDB {line}" for line in differences(report, by_pandas, by_duckdb)]
        if patron is not None:
            problems += [f"Patron vs pandas {line}" for line in differences(report, patron, by_pandas)]
        failed = failed or bool(problems)
        print(f"{report.title} ({q.describe(report.name)}): {len(by_pandas)} rows", flush=True)
        if client is not None and patron is None:
            print(f"  Patron: {API + ROUTE[report.name]} answered {status}: not timed")
        for line in problems:
            print(f"  DIFFERS: {line}")
        if not problems:
            print("  the answers agree" + ("" if patron is not None else " (pandas and DuckDB)"))
        table.append((report, patron_seconds, cold if status == 200 else None, pandas_seconds, duck_seconds))
    print_table(table, repeat, baseline_repeat)
    return failed


def show(value: float | None, digits: int = 3) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def print_table(table: list[tuple[Report, float | None, float | None, float, float]], repeat: int, base: int) -> None:
    print()
    print(
        f"{'report':<46} {'Patron s':>9} {'(first)':>8} {'pandas s':>9} {'DuckDB s':>9} {'pandas/P':>9} {'DuckDB/P':>9}"
    )
    for report, patron_seconds, cold, pandas_seconds, duck_seconds in table:
        ratio_p = None if not patron_seconds else pandas_seconds / patron_seconds
        ratio_d = None if not patron_seconds else duck_seconds / patron_seconds
        print(
            f"{report.title:<46} {show(patron_seconds):>9} {show(cold):>8} {pandas_seconds:>9.3f} "
            f"{duck_seconds:>9.3f} {show(ratio_p, 1):>9} {show(ratio_d, 2):>9}"
        )
    aims = f"{'>=' + format(AIM_PANDAS, 'g'):>9} {'>=' + format(AIM_DUCKDB, 'g'):>9}"
    print(f"{'aim':<46} {'':>9} {'':>8} {'':>9} {'':>9} {aims}")
    for report, patron_seconds, _, pandas_seconds, duck_seconds in table:
        if patron_seconds:
            met_p = "met" if pandas_seconds / patron_seconds >= AIM_PANDAS else "NOT met"
            met_d = "met" if duck_seconds / patron_seconds >= AIM_DUCKDB else "NOT met"
            print(f"  {report.title}: pandas aim {met_p}, DuckDB aim {met_d}")
    print(
        f"Patron: median of {repeat} calls over HTTP (every page) after one untimed first call; "
        f"pandas and DuckDB: median of {base} runs each, from the lines in memory",
        flush=True,
    )


if __name__ == "__main__":
    raise SystemExit(main())
