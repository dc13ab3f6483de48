"""Lifetime value through the API: the summary follows SPEC §4 on a hand-made shop, the CDNOW sample imported
through the customer service and fed to analytics gives the published BG/NBD and Gamma-Gamma parameters, and a
model that cannot be fitted is a 422 naming why."""

import csv
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import text

from services.analytics.clv import rules
from services.analytics.clv.service import cents
from tests.analytics.cdnow import BGNBD, CALIBRATION_END, GAMMA_GAMMA, minimal_csv, summary
from tests.conftest import ServiceClient
from tests.imports.conftest import MAX_BYTES, customer_service, run_import
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_customer, make_product

CLV = "/api/v1/analytics/clv"


async def test_the_summary_merges_same_day_bills_and_counts_repeat_days_until_the_calibration_end(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    lamp = await make_product(customer, price="10.00", stock=None)
    ann, bob, cy, dee = [await make_customer(customer) for _ in range(4)]
    # Ann: two bills on 1 March (one day, 30.00), 8 March (40.00, 10.00 of it returned), a cancelled bill on
    # 15 March, 22 March (50.00); 30 March is after the calibration end.
    await bill(customer, [(lamp, 1)], "2026-03-01T09:00:00Z", ann)
    await bill(customer, [(lamp, 2)], "2026-03-01T17:00:00Z", ann)
    returned = await bill(customer, [(lamp, 4)], "2026-03-08T10:00:00Z", ann)
    await give_back(customer, returned, 0, 1)
    cancelled = await bill(customer, [(lamp, 9)], "2026-03-15T10:00:00Z", ann)
    assert (await customer.post(f"/api/v1/purchases/{cancelled['id']}/cancel", json={})).status_code == 200
    await bill(customer, [(lamp, 5)], "2026-03-22T10:00:00Z", ann)
    await bill(customer, [(lamp, 7)], "2026-03-30T10:00:00Z", ann)
    await bill(customer, [(lamp, 2)], "2026-03-15T10:00:00Z", bob)  # one purchase day: frequency 0
    await bill(customer, [(lamp, 3)], "2026-03-29T10:00:00Z", cy)  # on the calibration end: T 0
    await bill(customer, [(lamp, 3)], "2026-03-30T10:00:00Z", dee)  # first purchase after the end: not there
    await bill(customer, [(lamp, 8)], "2026-03-02T10:00:00Z")  # a guest: never summarised
    await feed.deliver()

    params = {"calibration_end": "2026-03-29", "unit_days": 7}
    reply = (await analytics.get(f"{CLV}/summary", params={**params, "limit": 1})).json()
    assert reply["filters"] == {"calibration_end": "2026-03-29", "unit_days": 7}
    assert reply["rows"] == [
        {
            "customer_id": ann["id"],
            "first_purchase": "2026-03-01",
            "last_purchase": "2026-03-22",
            "purchase_days": 3,
            "frequency": 2,
            "recency": 3.0,  # 21 days
            "T": 4.0,  # 28 days
            "monetary_value": "40.00",  # (30.00 + 50.00) / 2: the first day's 30.00 is not a repeat
        }
    ]
    rest = (await analytics.get(f"{CLV}/summary", params={**params, "cursor": reply["next_cursor"]})).json()
    assert [(r["customer_id"], r["frequency"], r["recency"], r["T"], r["monetary_value"]) for r in rest["rows"]] == [
        (bob["id"], 0, 0.0, 2.0, "0.00"),
        (cy["id"], 0, 0.0, 0.0, "0.00"),
    ]
    assert rest["next_cursor"] is None

    daily = (await analytics.get(f"{CLV}/summary/{ann['id']}", params={**params, "unit_days": 1})).json()["rows"]
    assert [(r["recency"], r["T"]) for r in daily] == [(21.0, 28.0)]
    assert (await analytics.get(f"{CLV}/summary/{dee['id']}", params=params)).status_code == 404

    download = await analytics.get(f"{CLV}/summary", params={**params, "format": "csv"})
    table = list(csv.reader(io.StringIO(download.text)))
    assert table[0] == [
        "customer_id",
        "first_purchase",
        "last_purchase",
        "purchase_days",
        "frequency",
        "recency",
        "T",
        "monetary_value",
    ]
    assert [row[0] for row in table[1:]] == [str(ann["id"]), str(bob["id"]), str(cy["id"])]


async def test_models_that_cannot_be_fitted_are_a_422_naming_why(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed, monkeypatch: pytest.MonkeyPatch
) -> None:
    nothing = await analytics.post(f"{CLV}/fits")  # today, in weeks
    assert nothing.status_code == 422, nothing.text
    assert nothing.headers["content-type"].startswith("application/problem+json")
    assert "no customer has a purchase" in nothing.json()["reason"]
    future = await analytics.post(f"{CLV}/fits", json={"calibration_end": "2999-01-01"})
    assert future.status_code == 422 and future.json()["errors"][0]["field"] == "body.calibration_end"

    lamp = await make_product(customer, price="10.00", stock=None)
    for n in range(12):
        someone = await make_customer(customer)
        await bill(customer, [(lamp, 1)], "2026-03-01T10:00:00Z", someone)
        if n < 3:
            await bill(customer, [(lamp, 2)], "2026-03-09T10:00:00Z", someone)
    await feed.deliver()
    few = await analytics.post(f"{CLV}/fits", json={"calibration_end": "2026-03-31"})
    assert few.status_code == 422, few.text
    assert few.json()["reason"] == "3 customers bought again; the models need at least 10"
    assert (await analytics.get(f"{CLV}/fits")).json() == {"items": [], "next_cursor": None}

    for n in range(8):  # now 11 customers came back
        someone = await make_customer(customer)
        await bill(customer, [(lamp, 1)], f"2026-03-0{n + 1}T10:00:00Z", someone)
        await bill(customer, [(lamp, n % 4 + 1)], f"2026-03-2{n + 1}T10:00:00Z", someone)
    await feed.deliver()

    def stuck(negative: Any, start: Any) -> Any:
        return np.exp(start), -1.0, False

    with monkeypatch.context() as patched:
        patched.setattr(rules, "_maximise", stuck)
        unconverged = await analytics.post(f"{CLV}/fits", json={"calibration_end": "2026-03-31"})
    assert unconverged.status_code == 422 and unconverged.json()["reason"] == "the BG/NBD fit did not converge"

    def nan(negative: Any, start: Any) -> Any:
        return np.full(len(start), np.nan), np.nan, True

    with monkeypatch.context() as patched:
        patched.setattr(rules, "_maximise", nan)
        broken = await analytics.post(f"{CLV}/fits", json={"calibration_end": "2026-03-31"})
    assert broken.status_code == 422 and "NaN" not in broken.text
    assert broken.json()["reason"] == "the BG/NBD fit gave non-finite parameters"

    # Eleven customers who came back once each, a week or three apart: no spread of rates to learn from.
    alike = await analytics.post(f"{CLV}/fits", json={"calibration_end": "2026-03-31"})
    assert alike.status_code == 422 and "NaN" not in alike.text, alike.text
    # Refused either way the optimum of such data shows: parameters at the edge, or predictions not finite.
    reason = alike.json()["reason"]
    assert (
        reason.startswith("the BG/NBD fit ran off to")
        or reason == "the fitted models' predictions are not finite numbers"
    )
    assert (await analytics.get(f"{CLV}/fits")).json() == {"items": [], "next_cursor": None}
    assert (await analytics.get(f"{CLV}/fits/1/predictions")).status_code == 404


def close(fitted: dict[str, Any], published: dict[str, float]) -> dict[str, tuple[float, float]]:
    """The parameters more than 1 % away from the published ones."""
    return {k: (fitted[k], v) for k, v in published.items() if abs(fitted[k] - v) > 0.01 * v}


@pytest.fixture
async def importer(database_url: str, tmp_path: Path) -> AsyncIterator[ServiceClient]:
    """The customer service, its imports stored under ``tmp_path``."""
    async with customer_service(database_url, import_dir=tmp_path / "imports", import_max_bytes=MAX_BYTES) as client:
        yield client


@pytest.mark.timeout(300)
async def test_the_cdnow_sample_imported_and_fitted_gives_the_published_parameters(
    importer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed, engine: Any
) -> None:
    job = await run_import(importer, "minimal", [("cdnow.csv", minimal_csv())])
    assert job["state"] == "done", job["error"]
    assert job["report"]["rejected"]["count"] == 0
    await feed.deliver()

    created = await analytics.post(f"{CLV}/fits", json={"calibration_end": CALIBRATION_END.isoformat()})
    assert created.status_code == 201, created.text
    fit = created.json()
    # Both published fits use the 39-week calibration summary: BG/NBD on its 2,357 customers, Gamma-Gamma on the
    # 946 of them with a repeat purchase (lifetimes' cdnow_customers_summary_with_transactions is that summary).
    assert (fit["customers"], fit["repeat_customers"], fit["unit_days"]) == (2357, 946, 7)
    assert close(fit, BGNBD) == {} and close(fit, GAMMA_GAMMA) == {}
    assert fit["bgnbd_converged"] and fit["gamma_gamma_converged"]
    assert fit["bgnbd_log_likelihood"] == pytest.approx(-9582.43, abs=0.05)

    # The summary in SQL is the one computed from the raw file.
    expected = summary()
    rows = list(
        csv.DictReader(
            io.StringIO(
                (await analytics.get(f"{CLV}/summary", params={"calibration_end": "1997-09-30", "format": "csv"})).text
            )
        )
    )
    assert len(rows) == len(expected) == 2357
    from_sql = sorted((int(r["frequency"]), float(r["recency"]), float(r["T"]), r["monetary_value"]) for r in rows)
    from_file = sorted((x, round(t_x, 6), round(T, 6), str(cents(m))) for x, t_x, T, m in expected.values())
    assert from_sql == from_file
    by_id = (await analytics.get(f"{CLV}/fits/{fit['id']}")).json()
    assert by_id == fit

    # Predictions a page at a time agree with the models' functions on the file's own summary.
    page = (await analytics.get(f"{CLV}/fits/{fit['id']}/predictions", params={"limit": 3, "horizon": 39})).json()
    assert len(page["rows"]) == 3 and page["next_cursor"]
    purchases = rules.BgNbd(fit["r"], fit["alpha"], fit["a"], fit["b"], 0, True)
    spend = rules.GammaGamma(fit["p"], fit["q"], fit["gamma"], 0, True)
    sums = {r["customer_id"]: r for r in rows}
    for row in page["rows"]:
        x, t_x, T, m = (
            float(sums[str(row["customer_id"])][k]) for k in ("frequency", "recency", "T", "monetary_value")
        )
        assert row["expected_purchases"] == pytest.approx(float(rules.expected_purchases(purchases, 39, x, t_x, T)))
        assert row["probability_alive"] == pytest.approx(float(rules.probability_alive(purchases, x, t_x, T)))
        value = rules.lifetime_value(purchases, spend, x, t_x, T, m, months=12, discount_rate=0.01, unit_days=7)
        assert float(row["clv"]) == pytest.approx(float(value), abs=0.01)
    download = await analytics.get(f"{CLV}/fits/{fit['id']}/predictions", params={"format": "csv"})
    assert len(list(csv.DictReader(io.StringIO(download.text)))) == 2357

    totals = (await analytics.get(f"{CLV}/fits/{fit['id']}/totals", params={"horizon": 39})).json()["rows"]
    assert [t["segment"] for t in totals] == ["all"] and totals[0]["customers"] == 2357
    # The population's expected repeat purchases in the 39 weeks after the calibration: the holdout had 1,788.
    assert 1500 < totals[0]["expected_purchases"] < 2100

    # Per segment of an RFM run: customers it did not score are in the segment null.
    first_two = [int(r["customer_id"]) for r in rows[:2]]
    async with engine.begin() as connection:
        run_id = (
            await connection.execute(
                text(
                    """INSERT INTO analytics.rfm_run (reference_date, scheme, customers, revenue, no_purchase,
                                                      guest_bills, guest_lines, guest_revenue)
               VALUES ('1997-09-30', 'quintile', 2, 0, 0, 0, 0, 0) RETURNING id"""
                )
            )
        ).scalar_one()
        for customer_id, segment in zip(first_two, ("Champions", "Lost"), strict=True):
            await connection.execute(
                text("""INSERT INTO analytics.rfm_score VALUES (:run, :customer, 1, 1, 1, 1, 1, 1, :segment)"""),
                {"run": run_id, "customer": customer_id, "segment": segment},
            )
    segmented = (await analytics.get(f"{CLV}/fits/{fit['id']}/totals", params={"rfm_run_id": run_id})).json()["rows"]
    assert [(t["segment"], t["customers"]) for t in segmented] == [("Champions", 1), ("Lost", 1), (None, 2355)]
    assert (await analytics.get(f"{CLV}/fits/{fit['id']}/totals", params={"rfm_run_id": run_id + 1})).status_code == 404
