"""A rejected row names its column; a bad value in an optional column is left empty and reported instead."""

import json
from decimal import Decimal

from tests.imports.conftest import run_import
from tests.imports.test_imports import GE_STORES

SALES_HEADER = (
    b"Order Number,Line Item,Order Date,Delivery Date,CustomerKey,StoreKey,ProductKey,Quantity,Currency Code\n"
)


async def test_a_rejected_row_of_the_minimal_layout_names_its_column(importer) -> None:
    content = b"Client,When,Total\nc1,2024-03-01 10:00,-5.00\nc2,2024-03-01 10:00,1000000000000.00\n"
    mapping = json.dumps({"Client": "client_id", "When": "ordered_at", "Total": "amount"})
    job = await run_import(importer, "minimal", [("bills.csv", content)], mapping=mapping)

    rows = [(r["row"], r["column"], r["reason"]) for r in job["report"]["rejected"]["rows"]]
    assert rows == [
        (2, "Total", "amount -5.00 is negative (refunds are not part of the minimal layout)"),
        (3, "Total", "amount 1000000000000.00 is out of range"),
    ]


GE_CUSTOMERS = (
    b"CustomerKey,Gender,Name,City,State Code,State,Zip Code,Country,Continent,Birthday\n"
    b"1,Female,Ann Lee,Paris,75,Paris,75001,France,Europe,3/14/1980\n"
    b"2,Male,Bob Roe,Lyon,69,Rhone,69001,France,Europe,yesterday\n"
    b"3,Male,Cid Poe,Nice,06,Alpes,06000,France,Europe,1/2/1850\n"
    b"4,Female,,Nice,06,Alpes,06000,France,Europe,1/2/1990\n"
)
GE_BAD_PRODUCTS = (
    b"ProductKey,Product Name,Brand,Color,Unit Cost USD,Unit Price USD,Subcategory,Category\n"
    b"1,Lamp,Contoso,White,about ten,$20.00,Lamps,Home\n"
    b"2,Desk,Contoso,Black,-$3.00,$30.00,Desks,Home\n"
    b"3,Chair,Contoso,Black,$3.00,free,Chairs,Home\n"
)
GE_SALES_OF_THEM = SALES_HEADER + (
    b"30,1,1/2/2016,,1,1,1,1,USD\n31,1,1/2/2016,,2,1,2,1,USD\n32,1,1/2/2016,,3,1,1,1,USD\n33,1,1/2/2016,,3,1,3,1,USD\n"
)


async def test_a_bad_value_in_an_optional_column_is_reported_and_left_empty(importer, db) -> None:
    files = [
        ("Stores.csv", GE_STORES),
        ("Customers.csv", GE_CUSTOMERS),
        ("Products.csv", GE_BAD_PRODUCTS),
        ("Sales.csv", GE_SALES_OF_THEM),
    ]
    job = await run_import(importer, "global-electronics", files)

    assert job["state"] == "done", job["error"]
    report = job["report"]
    # Customers 2 and 3 and products 1 and 2 are kept without the bad value, and so are their sales.
    emptied = [(v["file"], v["row"], v["column"], v["reason"]) for v in report["emptied"]["values"]]
    assert emptied == [
        ("Customers.csv", 3, "Birthday", "'yesterday' is not a date"),
        ("Customers.csv", 4, "Birthday", "birth date 1850-01-02 is out of range"),
        ("Products.csv", 2, "Unit Cost USD", "'about ten' is not an amount of money"),
        ("Products.csv", 3, "Unit Cost USD", "Unit Cost USD cannot be negative"),
    ]
    assert report["emptied"]["count"] == 4
    files_by_role = {file["role"]: file for file in report["files"]}
    assert files_by_role["customers"]["cleaning"]["Birthday"]["invalid_emptied"] == 2
    assert files_by_role["products"]["cleaning"]["Unit Cost USD"]["invalid_emptied"] == 2
    customers = await db.fetch("SELECT external_ref, birth_date FROM customer.customer ORDER BY external_ref")
    assert [(c["external_ref"], c["birth_date"] is None) for c in customers] == [
        ("1", False),
        ("2", True),
        ("3", True),
    ]
    products = await db.fetch("SELECT external_ref, unit_cost FROM customer.product WHERE external_ref IS NOT NULL")
    assert sorted((p["external_ref"], p["unit_cost"]) for p in products) == [
        ("1", Decimal("0.00")),
        ("2", Decimal("0.00")),
    ]
    assert sorted(r["number"] for r in await db.fetch("SELECT number FROM customer.purchase")) == ["30", "31", "32"]

    # Required columns still reject the row, and a sale naming it goes with it.
    rejected = [(r["file"], r["row"], r["column"], r["reason"]) for r in report["rejected"]["rows"]]
    assert rejected == [
        ("Customers.csv", 5, "Name", "missing value"),
        ("Products.csv", 4, "Unit Price USD", "'free' is not an amount of money"),
        ("Sales.csv", 5, "ProductKey", "unknown product 3"),
    ]
