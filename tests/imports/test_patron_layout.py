"""Patron's native import layout: a generated retailer loads whole, again adds nothing, bad files are refused."""

import csv
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from patron.demo.generate import FILES, generate
from tests.conftest import ServiceClient
from tests.imports.conftest import run_import, upload
from tests.support.problems import assert_problem

CENT = Decimal("0.01")


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def expected_counts(folder: Path) -> dict[str, Any]:
    """What the files hold, read from the CSV files alone."""
    bills = _rows(folder / "bills.csv")
    returns = _rows(folder / "returns.csv")
    return {
        "stores": len(_rows(folder / "stores.csv")),
        "customers": len(_rows(folder / "customers.csv")),
        "products": len(_rows(folder / "products.csv")),
        "exchange_rates": len(_rows(folder / "exchange_rates.csv")),
        "purchases": len({row["bill"] for row in bills}),
        "purchase_lines": len(bills),
        "returns": len({row["bill"] for row in returns}),
        "returned_lines": len({(row["bill"], row["line"]) for row in returns}),
        "cancellations": len(_rows(folder / "cancellations.csv")),
        "base_total": sum(
            (
                (Decimal(row["unit_price"]) * int(row["quantity"])).quantize(CENT, rounding=ROUND_HALF_UP)
                for row in bills
            ),
            Decimal(0),
        ),
        "channels": Counter(row["channel"] for row in {r["bill"]: r for r in bills}.values()),
        "guest_bills": len({row["bill"] for row in bills if not row["customer_ref"]}),
    }


def _files(folder: Path) -> list[tuple[str, bytes]]:
    return [(f"{kind}.csv", (folder / f"{kind}.csv").read_bytes()) for kind in FILES]


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    generate(folder, customers=120, seed=7)
    return folder


async def test_a_generated_retailer_loads_whole_and_again_adds_nothing(
    importer: ServiceClient, db: asyncpg.Connection, demo_folder: Path
) -> None:
    expected = expected_counts(demo_folder)
    job = await run_import(importer, "patron", _files(demo_folder))
    assert job["state"] == "done", job
    report = job["report"]
    assert report["rejected"]["count"] == 0, report["rejected"]["rows"][:5]
    assert report["created"] == {
        "stores": expected["stores"] - 1,  # store 0 is the online shop every deployment has: linked, not created
        "customers": expected["customers"],
        "products": expected["products"],
        "exchange_rates": expected["exchange_rates"],
        "purchases": expected["purchases"],
        "purchase_lines": expected["purchase_lines"],
        "returns": expected["returns"],
        "returned_lines": expected["returned_lines"],
        "cancellations": expected["cancellations"],
    }
    assert report["updated"] == {"stores": 1}
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == expected["customers"]
    assert await db.fetchval("SELECT count(*) FROM customer.purchase WHERE source = 'import'") == expected["purchases"]
    assert await db.fetchval("SELECT sum(base_total) FROM customer.purchase") == expected["base_total"]
    assert (
        await db.fetchval("SELECT count(*) FROM customer.purchase WHERE customer_id IS NULL")
        == (expected["guest_bills"])
    )
    channels = await db.fetch("SELECT channel, count(*) AS n FROM customer.purchase GROUP BY channel")
    assert {row["channel"]: row["n"] for row in channels} == dict(expected["channels"])
    assert (
        await db.fetchval("SELECT count(*) FROM customer.purchase WHERE status = 'cancelled'")
        == (expected["cancellations"])
    )
    assert (
        await db.fetchval("SELECT count(*) FROM customer.purchase_line WHERE returned_quantity > 0")
        == (expected["returned_lines"])
    )
    # Every field the layout carries arrives: consent, home store, username, phone, own brand.
    customer = await db.fetchrow(
        "SELECT c.*, st.external_ref AS home FROM customer.customer c LEFT JOIN customer.store st"
        " ON st.id = c.home_store_id WHERE c.external_ref = 'C000001'"
    )
    first = _rows(demo_folder / "customers.csv")[0]
    assert (customer["username"], customer["phone"], customer["home"], customer["marketing_consent"]) == (
        first["username"],
        first["phone"],
        first["home_store_ref"],
        first["marketing_consent"] == "true",
    )
    own = sum(row["own_brand"] == "true" for row in _rows(demo_folder / "products.csv"))
    assert await db.fetchval("SELECT count(*) FROM customer.product WHERE own_brand") == own
    # Returns and cancellations change the ledger as the live ones do, and announce it.
    events = await db.fetch("SELECT type, count(*) AS n FROM customer.event_outbox GROUP BY type")
    counted = {row["type"]: row["n"] for row in events}
    assert counted["purchase.cancelled"] == expected["cancellations"]
    assert counted["purchase.line_returned"] == expected["returns"]

    again = await run_import(importer, "patron", _files(demo_folder))
    assert again["state"] == "done" and again["report"]["created"] == {}
    assert again["report"]["already_present"]["purchases"] == expected["purchases"]
    assert again["report"]["already_present"]["returned_lines"] == expected["returned_lines"]
    assert again["report"]["already_present"]["cancellations"] == expected["cancellations"]


async def test_a_file_missing_a_required_column_is_refused_naming_it(
    importer: ServiceClient, db: asyncpg.Connection, demo_folder: Path
) -> None:
    files = dict(_files(demo_folder))
    lines = files["bills.csv"].decode().splitlines()[:4]
    files["bills.csv"] = "\n".join(
        ",".join(c for i, c in enumerate(line.split(",")) if i != 5) for line in lines
    ).encode()
    assert b"channel" not in files["bills.csv"]
    response = await upload(importer, "patron", list(files.items()))
    problem = assert_problem(response, 422, "validation")
    assert problem["errors"] == [
        {
            "field": "file.bills.csv",
            "message": "misses required column(s) channel of the sales file",
            "code": "missing_columns",
        }
    ]
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 0


async def test_rows_naming_what_does_not_exist_are_rejected_with_their_reasons(
    importer: ServiceClient, demo_folder: Path
) -> None:
    files = dict(_files(demo_folder))
    files["customers.csv"] += b"X1,dup,Someone,,,,,,,,,,,yes\nX2,,Nobody,,,,,,,,,,99,no\nX3,,Odd,,,,,,,,,,,maybe\n"
    files["customers.csv"] = files["customers.csv"].replace(b"X1,dup,", b"X1," + _username(demo_folder) + b",")
    files["returns.csv"] += b"B9999999,1,1,2025-01-05T10:00:00Z,lost\n"
    files["cancellations.csv"] += b"B9999998,2025-01-05T10:00:00Z,\n"
    job = await run_import(importer, "patron", list(files.items()))
    assert job["state"] == "done", job
    reasons = {(row["file"], row["column"], row["reason"]) for row in job["report"]["rejected"]["rows"]}
    assert reasons == {
        ("customers.csv", "username", f"username {_username(demo_folder).decode()} belongs to another customer"),
        ("customers.csv", "home_store_ref", "unknown store 99"),
        ("returns.csv", "bill", "unknown bill B9999999"),
        ("cancellations.csv", "bill", "unknown bill B9999998"),
    }
    # An optional column's bad value is left empty (no consent), and said so.
    [emptied] = job["report"]["emptied"]["values"]
    assert (emptied["file"], emptied["column"], emptied["reason"]) == (
        "customers.csv",
        "marketing_consent",
        "'maybe' is not yes or no (true/false, yes/no, 1/0)",
    )


def _username(folder: Path) -> bytes:
    return _rows(folder / "customers.csv")[0]["username"].encode()


async def test_a_username_claimed_by_batches_loading_at_once_goes_to_one_customer(
    busy_importer: ServiceClient, db: asyncpg.Connection
) -> None:
    """Batches of 7 rows, 4 at once: rows of different batches claim the same usernames at the same time."""
    rows = [f"K{n},shared{n % 5},Person {n}" for n in range(40)]
    content = ("customer_ref,username,name\n" + "\n".join(rows) + "\n").encode()
    job = await run_import(busy_importer, "patron", [("customers.csv", content)])
    assert job["state"] == "done", job
    assert job["report"]["created"] == {"customers": 5}
    rejected = job["report"]["rejected"]
    assert rejected["count"] == 35
    assert {row["reason"] for row in rejected["rows"]} == {
        f"username shared{n} belongs to another customer" for n in range(5)
    }
    assert await db.fetchval("SELECT count(DISTINCT username) FROM customer.customer") == 5
