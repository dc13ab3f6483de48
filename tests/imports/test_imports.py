"""Import jobs through the API: the minimal layout, idempotency, events, cleaning and broken files."""

import asyncio
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import httpx2

from services.contracts.customer import PurchasesImported
from tests.imports.conftest import run_import, upload, wait_for
from tests.support.problems import assert_problem, snapshot

MINIMAL = (
    b"client_id,ordered_at,amount,email,name\n"
    b'c1,2024-03-01 10:00,"$1,234.50 ", Ann@Example.COM ,Ann\n'
    b"c1,2024-03-02 11:00,12.00,ann@example.com,Ann\n"
    b",2024-03-02 12:00,5.00,,\n"
    b"c2,2024-03-03 09:30,7.25,bob@example.com,  Bob \n"
)


async def counts(db: asyncpg.Connection) -> dict[str, int]:
    tables = ("customer", "product", "purchase", "purchase_line", "event_outbox", "event_sequence", "stock_movement")
    return {table: await db.fetchval(f"SELECT count(*) FROM customer.{table}") for table in tables}


async def test_minimal_layout_makes_one_bill_per_row_and_twice_adds_nothing(importer, db) -> None:
    job = await run_import(importer, "minimal", [("bills.csv", MINIMAL)])

    assert job["state"] == "done", job
    assert job["progress"] == {"rows_done": 4, "rows_total": 4, "percent": 100.0}
    report = job["report"]
    assert report["rows"] == {"read": 4, "accepted": 4, "skipped": 0, "rejected": 0}
    assert report["created"] == {"customers": 2, "purchases": 4, "purchase_lines": 4}
    cleaning = report["files"][0]["cleaning"]
    assert cleaning["amount"] == {"money_parsed": 1}
    assert cleaning["email"] == {"email_normalised": 1}
    assert cleaning["name"] == {"trimmed": 1}
    assert cleaning["ordered_at"] == {"datetime_parsed": 4, "naive_time_in_business_zone": 4}

    bills = await db.fetch(
        "SELECT p.*, l.product_id, l.quantity, l.base_total AS line_total FROM customer.purchase p"
        " JOIN customer.purchase_line l ON l.purchase_id = p.id ORDER BY p.purchased_at"
    )
    assert (bills[0]["base_total"], bills[0]["line_total"], bills[0]["quantity"]) == (
        Decimal("1234.50"),
        Decimal("1234.50"),
        1,
    )
    assert {b["source"] for b in bills} == {"import"}
    assert bills[2]["customer_id"] is None  # a guest sale
    service_product = await db.fetchrow("SELECT * FROM customer.product WHERE id = $1", bills[0]["product_id"])
    assert service_product["sku"] == "SERVICE" and not service_product["track_stock"]
    ann = await db.fetchrow("SELECT * FROM customer.customer WHERE external_ref = 'c1'")
    assert ann["email"] == "ann@example.com" and ann["name"] == "Ann"

    # Announced in a batch event whose items are the live bills' events: valid payloads, each its
    # aggregate's seq 1 (with its sequence row).
    (chunk,) = await db.fetch("SELECT * FROM customer.event_outbox WHERE type = 'purchases.imported'")
    # The import's third event, after its service product's and its customers' batch events.
    assert chunk["seq"] == 3 and chunk["aggregate_id"] == f"import:{job['id']}"
    records = PurchasesImported.model_validate(json.loads(chunk["payload"])).records()
    assert len(records) == 4
    for payload in records:
        assert payload.source == "import" and payload.lines[0].quantity == 1
        aggregate = f"purchase:{payload.purchase_id}"
        assert await db.fetchval("SELECT last_seq FROM customer.event_sequence WHERE aggregate_id = $1", aggregate) == 1

    before = await counts(db)
    again = await run_import(importer, "minimal", [("bills-again.csv", MINIMAL)])
    assert again["state"] == "done"
    assert again["report"]["created"] == {}
    assert again["report"]["already_present"] == {"purchases": 4}
    assert await counts(db) == before


async def test_jobs_are_listed_and_inspected(importer) -> None:
    first = await run_import(importer, "minimal", [("a.csv", MINIMAL)])
    second = await run_import(importer, "minimal", [("b.csv", MINIMAL)])
    listed = (await importer.get("/api/v1/imports", params={"limit": 1})).json()
    assert [job["id"] for job in listed["items"]] == [second["id"]]
    rest = (await importer.get("/api/v1/imports", params={"cursor": listed["next_cursor"]})).json()
    assert [job["id"] for job in rest["items"]] == [first["id"]]
    assert (await importer.get("/api/v1/imports", params={"state": "failed"})).json()["items"] == []
    one = (await importer.get(f"/api/v1/imports/{first['id']}")).json()
    assert one["files"][0]["name"] == "a.csv" and one["files"][0]["encoding"] == "utf-8"
    assert_problem(await importer.get("/api/v1/imports/999"), 404, "not-found")
    presets = (await importer.get("/api/v1/imports/presets")).json()["items"]
    assert {p["name"] for p in presets} == {"minimal", "global-electronics", "patron"}


async def test_bad_rows_are_rejected_whole_and_listed(importer, db) -> None:
    # Row 8's email is no address: an optional column, so it is left empty and the bill kept.
    content = (
        b"client_id,ordered_at,amount,email,name\n"
        b"c1,2024-03-01 10:00,12.00,a@example.com,Ann\n"
        b"c2,2024-02-30 10:00,12.00,b@example.com,Bob\n"
        b"c3,2024-03-01 10:00,twelve,c@example.com,Cid\n"
        b"c4,2024-03-01 10:00,-4.00,d@example.com,Dan\n"
        b"c5,2024-03-01 10:00,,e@example.com,Eve\n"
        b"c6,2024-03-01 10:00,1.001,f@example.com,Fay\n"
        b"c7,2024-03-01 10:00,3.00,not an email,Gus\n"
    )
    job = await run_import(importer, "minimal", [("bills.csv", content)])

    assert job["state"] == "done"
    rejected = job["report"]["rejected"]
    assert rejected["count"] == 5
    assert [(r["row"], r["column"]) for r in rejected["rows"]] == [
        (3, "ordered_at"),
        (4, "amount"),
        (5, "amount"),
        (6, "amount"),
        (7, "amount"),
    ]
    reasons = [r["reason"] for r in rejected["rows"]]
    assert "not a valid" in reasons[0] and "not an amount of money" in reasons[1]
    assert "negative" in reasons[2] and reasons[3] == "missing value" and "two decimal places" in reasons[4]
    assert job["report"]["emptied"]["values"] == [
        {"file": "bills.csv", "row": 8, "column": "email", "reason": "'not an email' is not an email address"}
    ]
    # Rejected rows leave nothing behind: not their customer, not their bill.
    customers = await db.fetch("SELECT external_ref, email FROM customer.customer ORDER BY external_ref")
    assert [(c["external_ref"], c["email"]) for c in customers] == [("c1", "a@example.com"), ("c7", None)]
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 2


async def test_encodings_delimiters_mapping_and_custom_attributes(importer, db) -> None:
    content = "Client;When;Total;email;name;Tier\nc9;2024-01-05;9,50;jose@example.com;José Niño;gold\n"
    job = await run_import(
        importer,
        "minimal",
        [("latin.csv", content.encode("cp1252"))],
        mapping=json.dumps({"Client": "client_id", "When": "ordered_at", "Total": "amount"}),
    )
    assert job["state"] == "done", job
    file = job["report"]["files"][0]
    assert file["encoding"] == "Windows-1252" and file["delimiter"] == ";"
    assert file["unmapped_columns"] == ["Tier"]
    customer = await db.fetchrow("SELECT * FROM customer.customer WHERE external_ref = 'c9'")
    assert customer["name"] == "José Niño"
    assert json.loads(customer["custom_attributes"]) == {"Tier": "gold"}
    assert await db.fetchval("SELECT local_total FROM customer.purchase") == Decimal("9.50")

    bom = "\ufeffclient_id\tordered_at\tamount\temail\tname\nc10\t2024-01-05\t1.00\t\t\n".encode()
    job = await run_import(importer, "minimal", [("tabs.csv", bom)])
    assert job["report"]["files"][0]["bom"] is True and job["report"]["files"][0]["delimiter"] == "\t"
    assert job["report"]["created"]["purchases"] == 1


async def _refused(client: httpx2.AsyncClient, name: str, content: bytes, code: str, **fields: str) -> dict[str, Any]:
    response = await upload(client, fields.pop("preset", "minimal"), [(name, content)], **fields)
    body = assert_problem(response, 422, "validation")
    assert body["errors"][0]["code"] == code, body
    return body


async def test_broken_files_are_refused_and_write_nothing(importer, db, tmp_path: Path) -> None:
    before = await snapshot(db)
    header = "client_id,ordered_at,amount,email,name\n"
    body = await _refused(importer, "empty.csv", b"", "empty")
    assert body["errors"][0]["field"] == "file.empty.csv" and "empty" in body["errors"][0]["message"]
    await _refused(importer, "blank.csv", b"\n\n  \n", "empty")
    await _refused(importer, "utf16.csv", (header + "c1,2024-01-01,1.00,,\n").encode("utf-16"), "encoding")
    await _refused(importer, "binary.csv", header.encode() + b"c1,2024-01-01,1.00,\x81\xc3,x\n", "encoding")
    body = await _refused(importer, "cols.csv", b"client_id,email\nc1,a@b.co\n", "missing_columns")
    assert "ordered_at, amount" in body["errors"][0]["message"]
    body = await _refused(importer, "dup.csv", b"client_id,ordered_at,amount,Amount\n", "duplicate_header")
    assert "'Amount' twice" in body["errors"][0]["message"]
    response = await upload(importer, "nope", [("a.csv", header.encode())])
    assert_problem(response, 422, "validation", ["body.preset"])
    response = await importer.post("/api/v1/imports", json={"preset": "minimal"})
    assert_problem(response, 415, "unsupported-media-type")
    body = await _refused(importer, "other.csv", b"Shop,Foo\n1,2\n", "unknown_file", preset="global-electronics")
    body = await _refused(
        importer, "sales.csv", b"Order Number,Foo\n1,2\n", "missing_columns", preset="global-electronics"
    )
    assert "Line Item, Order Date" in body["errors"][0]["message"]
    assert await snapshot(db) == before
    assert await db.fetchval("SELECT count(*) FROM customer.import_job") == 0
    assert list((tmp_path / "imports").iterdir()) == []


async def test_a_column_mixing_day_first_and_month_first_fails_the_job_before_writing(importer, db) -> None:
    content = b"client_id,ordered_at,amount,email,name\nc1,13/01/2024,1.00,,\nc2,01/13/2024,1.00,,\n"
    job = await run_import(importer, "minimal", [("mixed.csv", content)])
    assert job["state"] == "failed"
    assert "mixes day-first (13/01/2024) and month-first (01/13/2024)" in job["error"]
    assert await db.fetchval("SELECT count(*) FROM customer.purchase") == 0
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 0


async def test_an_upload_over_the_limit_is_413_and_stores_nothing(small_importer, tmp_path: Path, db) -> None:
    big = b"client_id,ordered_at,amount,email,name\n" + b"c1,2024-01-01,1.00,,\n" * 200
    response = await upload(small_importer, "minimal", [("big.csv", big)])
    body = assert_problem(response, 413, "payload-too-large")
    assert body["limit"] == 2_000
    assert not (tmp_path / "small-imports").exists() or list((tmp_path / "small-imports").iterdir()) == []
    assert await db.fetchval("SELECT count(*) FROM customer.import_job") == 0


GE_STORES = (
    b"\xef\xbb\xbfStoreKey,Country,State,Square Meters,Open Date\n"
    b"1,France,Paris,100,1/13/2015\n0,Online,Online,,01-01-2010\n"
)
GE_PRODUCTS = (
    b"ProductKey,Product Name,Brand,Color,Unit Cost USD,Unit Price USD,"
    b"SubcategoryKey,Subcategory,CategoryKey,Category\n"
    b'1,Lamp,Contoso,White,$1.00 ,"$1,000.05 ",0101,Lamps,01,Home\n'
)
GE_RATES = b"\xef\xbb\xbfDate,Currency,Exchange\n01-01-2016,EUR,0.9\n1/2/2016,EUR,0.91\n01-01-2016,USD,1\n"
GE_SALES = (
    b"Order Number,Line Item,Order Date,Delivery Date,CustomerKey,StoreKey,ProductKey,Quantity,Currency Code\n"
    b"10,1,1/1/2016,,,1,1,2,EUR\n"
    b"11,1,1/2/2016,1/5/2016,,0,1,1,EUR\n"
    b"11,2,1/2/2016,1/5/2016,,0,99,1,EUR\n"
    b"12,1,1/2/2016,,,1,1,x,USD\n"
    b"12,2,1/2/2016,,,1,1,1,USD\n"
    b"13,1,12/31/2015,,,1,1,1,EUR\n"
)


async def test_an_order_with_one_bad_line_is_rejected_whole(importer, db) -> None:
    files = [
        ("Stores.csv", GE_STORES),
        ("Products.csv", GE_PRODUCTS),
        ("Exchange_Rates.csv", GE_RATES),
        ("Sales.csv", GE_SALES),
    ]
    job = await run_import(importer, "global-electronics", files)
    assert job["state"] == "done", job
    rows = [(r["file"], r["row"], r["column"], r["reason"]) for r in job["report"]["rejected"]["rows"]]
    assert rows == [
        ("Sales.csv", 3, "Order Number", "order 11 is rejected with its row 4"),
        ("Sales.csv", 4, "ProductKey", "unknown product 99"),
        ("Sales.csv", 5, "Quantity", "'x' is not a whole number"),
        ("Sales.csv", 6, "Order Number", "order 12 is rejected with its row 5"),
        ("Sales.csv", 7, "Currency Code", "no EUR exchange rate on or before 2015-12-31"),
    ]
    bills = await db.fetch("SELECT * FROM customer.purchase")
    assert [(b["number"], b["local_total"], b["base_total"], b["channel"]) for b in bills] == [
        ("10", Decimal("1800.10"), Decimal("2000.10"), "assisted")
    ]
    assert await db.fetchval("SELECT count(*) FROM customer.purchase_line") == 1
    assert await db.fetchval("SELECT count(*) FROM customer.store") == 2
    online = await db.fetchrow("SELECT * FROM customer.store WHERE id = 0")
    assert online["external_ref"] == "0" and online["country"] is None
    attributes = await db.fetch("SELECT entity, attributes FROM customer.import_attribute ORDER BY entity")
    assert [(a["entity"], json.loads(a["attributes"])) for a in attributes] == [
        ("product", {"SubcategoryKey": "0101", "CategoryKey": "01"})
    ]


async def _keep_files(db: asyncpg.Connection, job: dict[str, Any], content: bytes) -> None:
    files = json.loads(await db.fetchval("SELECT files FROM customer.import_job WHERE id = $1", job["id"]))
    path = Path(files[0]["path"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


async def test_an_interrupted_job_runs_again_when_the_service_starts(importer, db, database_url, tmp_path) -> None:
    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings
    from tests.conftest import TEST_SECRET, ServiceClient

    job = await run_import(importer, "minimal", [("bills.csv", MINIMAL)])
    before = await counts(db)
    await _keep_files(db, job, MINIMAL)  # a done import's files are deleted; an interrupted one's are still there
    await db.execute("UPDATE customer.import_job SET state = 'running', finished_at = NULL WHERE id = $1", job["id"])

    settings = CustomerSettings(
        database_url=database_url,
        environment="test",
        internal_secret=TEST_SECRET,
        events_relay=False,
        import_dir=tmp_path / "imports",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        resumed = await wait_for(client, job["id"])
    assert resumed["state"] == "done" and resumed["report"]["resumed"] is True
    assert resumed["report"]["already_present"] == {"purchases": 4}
    assert await counts(db) == before


async def test_an_import_whose_process_died_is_taken_over_once_its_lease_expires(importer, db) -> None:
    job = await run_import(importer, "minimal", [("bills.csv", MINIMAL)])
    before = await counts(db)
    await _keep_files(db, job, MINIMAL)  # a done import's files are deleted; an interrupted one's are still there
    # What a process killed mid-import leaves: the job running, its run leased to a process that renews no more.
    await db.execute("UPDATE customer.import_job SET state = 'running', finished_at = NULL WHERE id = $1", job["id"])
    await db.execute(
        "UPDATE customer.job_run SET state = 'running', lease_owner = 'gone:1:x',"
        " lease_expires_at = now() + interval '5 seconds' WHERE name = 'import' AND run_key = $1",
        str(job["id"]),
    )
    await asyncio.sleep(1.0)
    assert (await importer.get(f"/api/v1/imports/{job['id']}")).json()["state"] == "running"  # its lease holds

    resumed = await wait_for(importer, job["id"])
    assert resumed["state"] == "done" and resumed["report"]["resumed"] is True
    assert resumed["report"]["already_present"] == {"purchases": 4}
    assert await counts(db) == before
    run = await db.fetchrow(
        "SELECT state, attempts, lease_owner FROM customer.job_run WHERE name = 'import' AND run_key = $1",
        str(job["id"]),
    )
    assert (run["state"], run["attempts"]) == ("done", 2) and not run["lease_owner"].startswith("gone:")


async def test_batches_loaded_at_once_share_new_customers_and_number_repeated_rows_exactly(busy_importer, db) -> None:
    # 300 rows, 30 clients and 60 distinct rows, each written 5 times across the file: every batch of
    # 7 rows creates customers that other batches, loading at the same time, also hold, and each
    # repeated row is a bill of its own (numbered by its occurrence), so 300 bills.
    lines = ["client_id,ordered_at,amount,email,name"]
    for row in range(300):
        bill = (row * 7) % 60
        client = f"k{bill % 30}"
        lines.append(f"{client},2024-05-{1 + bill % 28:02d} {bill % 24:02d}:00,{bill}.50,{client}@example.com,K")
    content = ("\n".join(lines) + "\n").encode()

    job = await run_import(busy_importer, "minimal", [("repeated.csv", content)])

    assert job["state"] == "done", job["error"]
    assert job["progress"] == {"rows_done": 300, "rows_total": 300, "percent": 100.0}
    report = job["report"]
    assert report["rows"] == {"read": 300, "accepted": 300, "skipped": 0, "rejected": 0}
    assert report["created"] == {"customers": 30, "purchases": 300, "purchase_lines": 300}
    assert report["already_present"] == {}
    assert report["files"][0]["cleaning"]["ordered_at"]["datetime_parsed"] == 300
    found = await counts(db)
    assert (found["customer"], found["purchase"], found["purchase_line"]) == (30, 300, 300)
    # Each new customer, bill and the service product is one item of a batch event, with its sequence
    # row at 1, nothing twice; the batch events are the import's seqs 1..n.
    chunks = await db.fetch("SELECT seq, payload FROM customer.event_outbox ORDER BY seq")
    payloads = [json.loads(chunk["payload"]) for chunk in chunks]
    members = [(payload["member"], item[0]) for payload in payloads for item in payload["items"]]
    assert len(members) == len(set(members)) == 30 + 300 + 1
    assert [chunk["seq"] for chunk in chunks] == list(range(1, len(chunks) + 1))
    assert found["event_outbox"] == report["events"]["announced"] == len(chunks)
    assert found["event_sequence"] == 30 + 300 + 1 + 1  # and the import's own
    total = await db.fetchval("SELECT sum(base_total) FROM customer.purchase")
    assert total == 5 * sum(Decimal(f"{bill}.50") for bill in range(60))

    again = await run_import(busy_importer, "minimal", [("repeated.csv", content)])
    assert again["report"]["created"] == {} and again["report"]["already_present"] == {"purchases": 300}
    assert await counts(db) == found
