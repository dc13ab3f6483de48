"""After the demo import, a lifetime value fit, its predictions and its totals per RFM segment run through the
API; a fit sent again with the same Idempotency-Key is the same fit."""

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from patron.demo.generate import FILES, generate
from tests.conftest import ServiceClient
from tests.imports.conftest import MAX_BYTES, customer_service, run_import
from tests.loyalty.conftest import OutboxFeed

CLV = "/api/v1/analytics/clv"


@pytest.fixture
async def importer(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    async with customer_service(database_url, import_dir=tmp_path / "imports", import_max_bytes=MAX_BYTES) as client:
        yield client


@pytest.mark.timeout(300)
async def test_a_fit_and_its_predictions_run_on_the_demo_retailer(
    importer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed, tmp_path: Path
) -> None:
    folder = tmp_path / "demo"
    generate(folder, customers=200, seed=7)
    job = await run_import(
        importer, "patron", [(f"{kind}.csv", (folder / f"{kind}.csv").read_bytes()) for kind in FILES]
    )
    assert job["state"] == "done", job["error"]
    await feed.deliver()
    with (folder / "bills.csv").open(encoding="utf-8", newline="") as stream:
        last_day = max(row["ordered_at"][:10] for row in csv.DictReader(stream))

    body = {"calibration_end": last_day, "unit_days": 7}
    created = await analytics.post(f"{CLV}/fits", json=body, headers={"Idempotency-Key": "clv-demo-1"})
    assert created.status_code == 201, created.text
    fit = created.json()
    assert fit["customers"] > 100 and fit["repeat_customers"] >= 10
    assert fit["bgnbd_converged"] and fit["gamma_gamma_converged"]
    again = await analytics.post(f"{CLV}/fits", json=body, headers={"Idempotency-Key": "clv-demo-1"})
    assert again.status_code == 201 and again.json()["id"] == fit["id"]
    assert [f["id"] for f in (await analytics.get(f"{CLV}/fits")).json()["items"]] == [fit["id"]]

    download = await analytics.get(f"{CLV}/fits/{fit['id']}/predictions", params={"format": "csv", "months": 24})
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert len(rows) == fit["customers"]
    for row in rows:
        assert 0 <= float(row["probability_alive"]) <= 1 and float(row["expected_purchases"]) >= 0
        assert float(row["clv"]) >= 0 and float(row["expected_spend"]) > 0

    run = await analytics.post("/api/v1/analytics/rfm/runs", json={"reference_date": last_day})
    assert run.status_code == 201, run.text
    totals = await analytics.get(f"{CLV}/fits/{fit['id']}/totals", params={"rfm_run_id": run.json()["id"]})
    assert totals.status_code == 200, totals.text
    segments = totals.json()["rows"]
    assert sum(s["customers"] for s in segments) == fit["customers"] and len(segments) > 1
    overall = (await analytics.get(f"{CLV}/fits/{fit['id']}/totals")).json()["rows"]
    assert sum(float(s["clv"]) for s in segments) == pytest.approx(float(overall[0]["clv"]), abs=0.01 * len(segments))
