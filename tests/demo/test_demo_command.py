"""`patron demo` end to end: it generates a small retailer and loads it through the gateway, every process real."""

from collections import Counter, defaultdict
from pathlib import Path

import asyncpg
import httpx2
import pytest

from services.kit.db import create_engine
from services.loyalty.ledger.consumer import ledger_consumer
from tests.demo.levels import monthly_figures
from tests.gateway import conftest as gateway_fixtures
from tests.imports.test_gateway_upload import patron, sign_in
from tests.imports.test_patron_layout import expected_counts
from tests.loyalty.conftest import OutboxFeed, loyalty_settings
from tests.support.accounts import bearer

stack = gateway_fixtures.stack  # the whole system as processes, from the gateway tests


@pytest.fixture
def uploads(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The customer process keeps its uploads in a scratch folder (it reads the setting at start)."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("PATRON_CUSTOMER_IMPORT_DIR", str(folder))
    return folder


async def test_patron_demo_generates_a_retailer_and_loads_all_of_it(
    uploads: Path, stack: dict[str, str], db: asyncpg.Connection, tmp_path: Path, database_url: str
) -> None:
    data_dir = tmp_path / "cli"
    sign_in(stack, data_dir)
    done = patron("demo", "--customers", "300", "--seed", "3", data_dir=data_dir)
    assert done.returncode == 0, done.stderr
    folder = data_dir / "demo" / "customers-300-seed-3"
    expected = expected_counts(folder)
    assert "generating 300 customers (seed 3)" in done.stderr
    assert "uploading 7 file(s)" in done.stderr and "importing" in done.stderr
    assert "import 1 (patron): done" in done.stdout and "rejected 0" in done.stdout

    with httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=30) as client:
        job = client.get("/api/v1/imports/1").json()
    assert job["report"]["created"] == {
        "stores": expected["stores"] - 1,  # the online shop, store 0, is linked rather than created
        "customers": expected["customers"],
        "products": expected["products"],
        "exchange_rates": expected["exchange_rates"],
        "purchases": expected["purchases"],
        "purchase_lines": expected["purchase_lines"],
        "returns": expected["returns"],
        "returned_lines": expected["returned_lines"],
        "cancellations": expected["cancellations"],
    }
    counted = await db.fetchrow(
        """SELECT (SELECT count(*) FROM customer.customer) AS customers,
                  (SELECT count(*) FROM customer.product) AS products,
                  (SELECT count(*) FROM customer.store) AS stores,
                  (SELECT count(*) FROM customer.purchase) AS purchases,
                  (SELECT count(*) FROM customer.purchase_line) AS purchase_lines,
                  (SELECT count(*) FROM customer.purchase WHERE status = 'cancelled') AS cancellations,
                  (SELECT count(*) FROM customer.purchase_line WHERE returned_quantity > 0) AS returned_lines,
                  (SELECT sum(base_total) FROM customer.purchase) AS base_total"""
    )
    actual = dict(counted)
    assert actual == {name: expected[name] for name in actual}

    again = patron("demo", "--customers", "300", "--seed", "3", data_dir=data_dir)
    assert again.returncode == 0, again.stderr
    assert "import 2 (patron): done" in again.stdout and "created:" not in again.stdout  # the same files: nothing new

    # The loyalty ledger, fed the import's events, places customers at levels 1 to 5 month by month as the
    # files say (computed independently from them), and every level 0 to 5 occurs in some month.
    engine = create_engine(database_url, pool_size=2)
    try:
        settings = loyalty_settings(database_url, business_timezone="UTC")
        feed = OutboxFeed(engine, ledger_consumer(engine, settings))
        while await feed.deliver():
            pass
    finally:
        await engine.dispose()
    from_files: dict[str, Counter[int | None]] = defaultdict(Counter)
    for (_, month), figures in monthly_figures(folder).items():
        from_files[month][figures.level()] += 1
    seen: set[int] = set()
    with httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=60) as client:
        for month, expected_levels in sorted(from_files.items()):
            run = client.post("/api/v1/loyalty/levels/runs", json={"month": month})
            assert run.status_code == 201, run.text
            levels = {row["level"]: row["customers"] for row in run.json()["levels"]}
            assert {level: n for level, n in levels.items() if level} == {
                level: n for level, n in expected_levels.items() if level
            }, month
            seen |= {level for level, n in levels.items() if level is not None and n}
    assert seen == {0, 1, 2, 3, 4, 5}
