"""The customer service's half of privacy, in process on a real database: a customers file naming an erased
customer loads nothing personal, retention deletes export documents and import reports, the audit rows stay."""

from datetime import timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import text

from services.customer.imports.loader import ERASED_CUSTOMER_ROW
from services.customer.privacy.service import purge_expired
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
