"""The customer service's half of privacy, in process on a real database: a customers file naming an erased
customer loads nothing personal, the export lists the imports that named a customer and the rows they merged
into it, retention deletes export documents and import reports, the audit rows stay."""

from datetime import timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.customer.imports.loader import ERASED_CUSTOMER_ROW
from services.customer.privacy.service import customer_part, purge_expired
from services.kit.db import create_engine
from tests.imports.conftest import customer_service, run_import


async def test_a_customers_file_naming_an_erased_customer_is_reported_and_loads_nothing_personal(
    database_url: str, db: asyncpg.Connection, tmp_path: Path
):
    async with customer_service(database_url, import_dir=tmp_path / "imports") as customer:
        first = "customer_ref,name,email,phone\nCRM-9,Ada Lovelace,ada@example.org,+44 20 7946 0000\n"
        job = await run_import(customer, "patron", [("customers.csv", first.encode())])
        assert job["state"] == "done", job
        customer_id = await db.fetchval("SELECT id FROM customer.customer WHERE external_ref = 'CRM-9'")
        erased = await customer.post(f"/api/v1/privacy/customers/{customer_id}/erasure")
        assert erased.status_code == 202, erased.text
        assert {s["service"]: s["state"] for s in erased.json()["services"]}["customer"] == "done"

        again = first + "CRM-10,Grace Hopper,grace@example.org,\n"
        job = await run_import(customer, "patron", [("customers.csv", again.encode())])
        assert job["state"] == "done", job
        rejected = job["report"]["rejected"]["rows"]
        assert [(r["row"], r["column"], r["reason"]) for r in rejected] == [(2, "customer_ref", ERASED_CUSTOMER_ROW)]
        row = await db.fetchrow("SELECT name, email, phone FROM customer.customer WHERE id = $1", customer_id)
        assert tuple(row) == (None, None, None)
        assert await db.fetchval("SELECT name FROM customer.customer WHERE external_ref = 'CRM-10'") == "Grace Hopper"
        # The refused row still named her: the import is hers to know of, its row's fields are not kept.
        named = await db.fetch(
            "SELECT import_id, role, rows, first_row FROM customer.import_customer WHERE customer_id = $1"
            " ORDER BY import_id",
            customer_id,
        )
        assert [tuple(r) for r in named][-1] == (job["id"], "customers", 1, 2)


async def _export_part(database_url: str, customer_id: int) -> dict[str, list[dict]]:
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as session:
            return (await customer_part(session, customer_id=customer_id)).tables
    finally:
        await engine.dispose()


async def test_the_export_lists_each_import_that_named_the_customer_and_the_rows_it_merged_into_them(
    database_url: str, db: asyncpg.Connection, tmp_path: Path
):
    header = "customer_ref,name,email,city\n"
    first_file = [
        "CRM-1,Ada Lovelace,ada@example.org,London",
        "CRM-2,Grace Hopper,grace@example.org,Arlington",
        "CRM-1,A. Lovelace,countess@example.org,Ockham",  # the same key again: merged into row 2's record
    ]
    second_file = ["CRM-1,Ada King,ada.king@example.org,Ockham"]  # a later file naming her once more
    bills = [
        "CRM-1,2026-03-02T10:00:00Z,12.50,,",
        "CRM-3,2026-03-02T11:00:00Z,8.00,,",
        "CRM-1,2026-03-09T10:00:00Z,30.00,,",
    ]
    async with customer_service(database_url, import_dir=tmp_path / "imports") as customer:
        jobs, reports = [], []
        for preset, name, text_ in (
            ("patron", "customers.csv", header + "\n".join(first_file) + "\n"),
            ("patron", "customers.csv", header + "\n".join(second_file) + "\n"),
            ("minimal", "bills.csv", "client_id,ordered_at,amount,email,name\n" + "\n".join(bills) + "\n"),
        ):
            job = await run_import(customer, preset, [(name, text_.encode())])
            assert job["state"] == "done", job
            jobs.append(job["id"])
            reports.append(job["report"])
    ada = await db.fetchval("SELECT id FROM customer.customer WHERE external_ref = 'CRM-1'")
    grace = await db.fetchval("SELECT id FROM customer.customer WHERE external_ref = 'CRM-2'")
    # The first row naming a key is the one loaded; a later one changes nothing.
    assert await db.fetchval("SELECT name FROM customer.customer WHERE id = $1", ada) == "Ada Lovelace"

    # Row numbers count the header as row 1; the bills file names her in its rows 2 and 4.
    def rows_naming(lines: list[str], ref: str) -> list[int]:
        return [number for number, line in enumerate(lines, start=2) if line.split(",")[0] == ref]

    held = await _export_part(database_url, ada)
    imports = [(i["import_id"], i["role"], i["rows"], i["first_row"], i["state"]) for i in held["import_customer"]]
    assert imports == [
        (jobs[0], "customers", len(rows_naming(first_file, "CRM-1")), rows_naming(first_file, "CRM-1")[0], "done"),
        (jobs[1], "customers", 1, 2, "done"),
        (jobs[2], "bills", len(rows_naming(bills, "CRM-1")), rows_naming(bills, "CRM-1")[0], "done"),
    ]
    assert [i["preset"] for i in held["import_customer"]] == ["patron", "patron", "minimal"]
    merges = [(m["import_id"], m["matched_on"], m["kept"], m["merged_rows"]) for m in held["customer_merge"]]
    assert merges == [
        (jobs[0], "external_ref", "created", rows_naming(first_file, "CRM-1")[1:]),
        (jobs[1], "external_ref", "existing", [2]),
    ]

    assert [report["merged"] for report in reports] == [{"customers": 1}, {"customers": 1}, {}]

    # Grace: named once by the first import, nothing merged into her; no part of Ada's shows in hers.
    held = await _export_part(database_url, grace)
    assert [(i["import_id"], i["role"], i["rows"]) for i in held["import_customer"]] == [(jobs[0], "customers", 1)]
    assert held["customer_merge"] == []


async def test_retention_deletes_export_documents_and_import_reports_and_keeps_the_audit(
    database_url: str, db: asyncpg.Connection
):
    await db.execute(
        "INSERT INTO customer.privacy_request (kind, customer_id, requested_by, state, document, finished_at) VALUES"
        " ('export', 1, 'staff:1', 'done', '{\"parts\": {}}', now() - interval '3 hours'),"
        " ('export', 2, 'staff:1', 'done', '{\"parts\": {}}', now())"
    )
    await db.execute(
        "INSERT INTO customer.import_job (preset, state, report, finished_at) VALUES"
        " ('minimal', 'done', '{\"rejections\": [{\"reason\": \"x\"}]}', now() - interval '3 hours'),"
        " ('minimal', 'running', '{}', NULL)"
    )
    engine = create_engine(database_url)
    try:
        purged = await purge_expired(engine, retention=timedelta(hours=2))
        assert purged == {"export_documents": 1, "import_reports": 1}
        assert await purge_expired(engine, retention=timedelta(hours=2)) == {"export_documents": 0, "import_reports": 0}
        async with engine.connect() as connection:
            documents = (
                await connection.execute(
                    text("SELECT customer_id, document IS NULL FROM customer.privacy_request ORDER BY customer_id")
                )
            ).all()
    finally:
        await engine.dispose()
    assert [tuple(r) for r in documents] == [(1, True), (2, False)]  # the audit rows both stay
    reports = await db.fetch("SELECT state, report FROM customer.import_job ORDER BY id")
    assert [r["report"] for r in reports] == ['{"purged": true}', "{}"]
