"""The minimal layout: every row a bill, identical rows too, and the same file again adds nothing."""

from decimal import Decimal

from tests.imports.conftest import run_import


async def test_identical_rows_of_the_minimal_layout_are_bills_of_their_own_and_again_add_nothing(importer, db) -> None:
    content = (
        b"client_id,ordered_at,amount,email,name\n"
        b"c1,2024-03-01 10:00,12.00,ann@example.com,Ann\n"
        b"c1,2024-03-01 10:00,12.00,ann@example.com,Ann\n"
        b"c2,2024-03-01 10:00,5.00,,\n"
        b"c1,2024-03-01 10:00,12.00,ann@example.com,Ann\n"
    )
    job = await run_import(importer, "minimal", [("bills.csv", content)])

    assert job["state"] == "done", job["error"]
    assert job["report"]["created"] == {"customers": 2, "purchases": 4, "purchase_lines": 4}
    totals = await db.fetch(
        "SELECT c.external_ref, count(*) AS bills, sum(p.base_total) AS total FROM customer.purchase p"
        " JOIN customer.customer c ON c.id = p.customer_id GROUP BY c.external_ref ORDER BY c.external_ref"
    )
    assert [(t["external_ref"], t["bills"], t["total"]) for t in totals] == [
        ("c1", 3, Decimal("36.00")),
        ("c2", 1, Decimal("5.00")),
    ]

    again = await run_import(importer, "minimal", [("bills-again.csv", content)])
    assert again["report"]["created"] == {} and again["report"]["already_present"] == {"purchases": 4}
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 4

    # One more identical row in a later export is one more bill; the rest are the bills already there.
    more = await run_import(importer, "minimal", [("bills-more.csv", content + content.splitlines(True)[1])])
    assert more["report"]["created"] == {"purchases": 1, "purchase_lines": 1}
    assert more["report"]["already_present"] == {"purchases": 4}
    # The count of repeated rows lives in the database while a job runs (the loader's memory stays flat).
    assert await db.fetchval("SELECT count(*) FROM customer.import_occurrence") == 0
    numbers = [row["number"] for row in await db.fetch("SELECT number FROM customer.purchase ORDER BY number")]
    assert sum(number.endswith("#2") for number in numbers) == 1 and sum(n.endswith("#4") for n in numbers) == 1
