"""A file's role comes from its header, never its name; a header that fits no role, or two, is refused."""

from decimal import Decimal

from tests.imports.conftest import run_import, upload
from tests.imports.test_imports import GE_PRODUCTS, GE_RATES, GE_STORES
from tests.support.problems import assert_problem

SALES_HEADER = (
    b"Order Number,Line Item,Order Date,Delivery Date,CustomerKey,StoreKey,ProductKey,Quantity,Currency Code\n"
)
GE_CLEAN_SALES = SALES_HEADER + b"20,1,1/2/2016,,,1,1,2,EUR\n21,1,1/2/2016,,,0,1,1,USD\n"


async def test_a_file_is_known_by_its_header_whatever_its_name(importer, db) -> None:
    # A sales file named like nothing of the dataset, and a stores file named like the sales.
    files = [
        ("Sales.csv", GE_STORES),
        ("catalogue.csv", GE_PRODUCTS),
        ("Exchange_Rates.csv", GE_RATES),
        ("orders_2019.csv", GE_CLEAN_SALES),
    ]
    job = await run_import(importer, "global-electronics", files)

    assert job["state"] == "done", job["error"]
    assert {file["name"]: file["role"] for file in job["report"]["files"]} == {
        "Sales.csv": "stores",
        "catalogue.csv": "products",
        "Exchange_Rates.csv": "exchange_rates",
        "orders_2019.csv": "sales",
    }
    assert job["report"]["rejected"]["count"] == 0
    assert [r["external_ref"] for r in await db.fetch("SELECT external_ref FROM customer.store ORDER BY id")] == [
        "0",
        "1",
    ]  # no store made of a sales row
    bills = await db.fetch("SELECT number, currency, local_total FROM customer.purchase ORDER BY number")
    assert [(b["number"], b["currency"], b["local_total"]) for b in bills] == [
        ("20", "EUR", Decimal("1820.10")),
        ("21", "USD", Decimal("1000.05")),
    ]


async def test_a_header_that_fits_no_role_or_two_is_refused_naming_the_roles_it_could_be(importer, db) -> None:
    response = await upload(importer, "global-electronics", [("sales.csv", b"Order Number,Foo\n1,2\n")])
    body = assert_problem(response, 422, "validation", ["file.sales.csv"])
    assert body["errors"][0]["code"] == "missing_columns"
    assert body["errors"][0]["message"] == (
        "misses required column(s) Line Item, Order Date, StoreKey, ProductKey, Quantity, Currency Code "
        "of the sales file"
    )
    response = await upload(importer, "patron", [("returns.csv", b"bill,line,when\nB1,1,2024-01-02\n")])
    body = assert_problem(response, 422, "validation", ["file.returns.csv"])
    assert body["errors"][0]["message"] == (
        "fits none of the patron files: it could be the sales file (it misses ordered_at, store_ref, channel, "
        "currency, sku, quantity) or the returns file (it misses quantity, returned_at)"
    )

    response = await upload(importer, "global-electronics", [("stores.csv", b"Shop,Town\n1,Paris\n")])
    body = assert_problem(response, 422, "validation", ["file.stores.csv"])
    assert body["errors"][0]["code"] == "unknown_file"
    assert (
        "none of the global-electronics files (stores, customers, products, exchange_rates, sales)"
        in (body["errors"][0]["message"])
    )

    both = b"bill,line,quantity,returned_at,cancelled_at\nB1,1,1,2024-01-02,2024-01-03\n"
    response = await upload(importer, "patron", [("returns.csv", both)])
    body = assert_problem(response, 422, "validation", ["file.returns.csv"])
    assert body["errors"][0]["code"] == "ambiguous_file"
    assert "fits 2 of the patron files: returns and cancellations" in body["errors"][0]["message"]
    assert await db.fetchval("SELECT count(*) FROM customer.import_job") == 0
