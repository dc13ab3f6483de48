"""The analytics bench's RFM and lifetime-value baselines: pandas, DuckDB and a bare SQL floor for the RFM
scores, and the ``lifetimes`` package's BG/NBD fitter for the model, each on the same lines as Patron.

RFM (SPEC §4): per customer, recency = days from the last purchase to the reference date, frequency =
orders, monetary = spend; each scored ``ceil(5 × cume_dist)`` over the customers ordered so that better
is higher (fewer days of recency is better), equal values getting equal scores. ``cume_dist`` of a value
is k / n, k the customers at or below it in that order (pandas' ``rank(method="max")``); the baselines
compute ``ceil(5k / n)`` in integers, as Patron's numeric arithmetic does (a double would make 5 × 0.6 a 4).

The lifetime summary (SPEC §4): same-day purchases merged; frequency = repeat purchase days; recency =
last - first purchase day and T = calibration end - first purchase day, in weeks; monetary = mean of the
repeat days' spend.
"""

import time
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

RFM_COLUMNS = ["customer", "recency", "frequency", "monetary", "r", "f", "m"]


def _score(values: pd.Series) -> pd.Series:
    """``ceil(5 × cume_dist)`` of each value, ascending (better values must be the larger ones), in integers:
    ``cume_dist`` is k / n (k the values at or below), and ``ceil(5k / n)`` is ``-(-5k // n)`` exactly."""
    at_or_below = values.rank(method="max").astype("int64")
    return -(-5 * at_or_below // len(values))


def rfm_pandas(frame: pd.DataFrame, reference: date) -> pd.DataFrame:
    """The RFM scores of every customer with a purchase on or before ``reference``, by pandas."""
    lines = frame[frame["day"] <= np.datetime64(reference, "D")]
    per = lines.groupby("customer", observed=True).agg(
        last=("day", "max"), frequency=("order_number", "nunique"), monetary=("revenue", "sum")
    )
    per["recency"] = (np.datetime64(reference, "D") - per["last"].values.astype("datetime64[D]")).astype("int64")
    per["r"] = _score(-per["recency"])
    per["f"] = _score(per["frequency"])
    per["m"] = _score(per["monetary"])
    return per.reset_index()[RFM_COLUMNS]


RFM_DUCKDB = """
    WITH per AS (
        SELECT customer, date_diff('day', max(day), CAST(? AS DATE)) AS recency,
               count(DISTINCT order_number) AS frequency, sum(revenue) AS monetary
        FROM lines WHERE day <= CAST(? AS DATE) GROUP BY customer
    )
    -- ceil(5 x cume_dist) in integers: cume_dist is k / n, k the customers at or below (peers included).
    SELECT customer, recency, frequency, monetary,
           (5 * count(*) OVER (ORDER BY recency DESC) + count(*) OVER () - 1) // count(*) OVER () AS r,
           (5 * count(*) OVER (ORDER BY frequency) + count(*) OVER () - 1) // count(*) OVER () AS f,
           (5 * count(*) OVER (ORDER BY monetary) + count(*) OVER () - 1) // count(*) OVER () AS m
    FROM per
"""


def rfm_duckdb(duck: Any, reference: date) -> pd.DataFrame:
    """The same scores by DuckDB, from the same lines."""
    return duck.execute(RFM_DUCKDB, [reference, reference]).df()[RFM_COLUMNS]


# The floor: the three windows alone over the per-customer aggregates analytics already keeps, written to a
# table as a run writes its scores. Nothing else a run does (reading the lines as of a date, segments,
# counting those left out) is in it.
RFM_FLOOR = """
    CREATE TEMPORARY TABLE rfm_floor AS
    SELECT customer_id,
           CAST(ceil(5 * CAST(cume_dist() OVER (ORDER BY last_day) AS numeric)) AS integer) AS r,
           CAST(ceil(5 * CAST(cume_dist() OVER (ORDER BY orders) AS numeric)) AS integer) AS f,
           CAST(ceil(5 * CAST(cume_dist() OVER (ORDER BY base_revenue) AS numeric)) AS integer) AS m
    FROM analytics.customer_summary
"""


def lifetime_summary(frame: pd.DataFrame, calibration_end: date, unit_days: int = 7) -> pd.DataFrame:
    """frequency, recency, T and monetary value per customer, by pandas (same-day purchases merged)."""
    lines = frame[frame["day"] <= np.datetime64(calibration_end, "D")]
    days = lines.groupby(["customer", "day"], observed=True)["revenue"].sum().reset_index()
    per = days.groupby("customer", observed=True).agg(
        first=("day", "min"), last=("day", "max"), days=("day", "size"), spend=("revenue", "sum")
    )
    first_spend = days.sort_values(["customer", "day"]).groupby("customer", observed=True)["revenue"].first()
    per["frequency"] = per["days"] - 1
    end = np.datetime64(calibration_end, "D")
    per["recency"] = (per["last"] - per["first"]).dt.days / unit_days
    per["T"] = (end - per["first"].values.astype("datetime64[D]")).astype("int64") / unit_days
    repeat_spend = per["spend"] - first_spend
    per["monetary_value"] = np.where(per["frequency"] > 0, repeat_spend / per["frequency"].clip(lower=1), 0.0) / 100
    return per.reset_index()[["customer", "frequency", "recency", "T", "monetary_value"]]


def fit_lifetimes(summary: pd.DataFrame) -> dict[str, float]:
    """The ``lifetimes`` package's BG/NBD fit of the summary: r, alpha, a, b."""
    from lifetimes import BetaGeoFitter

    fitter = BetaGeoFitter()
    fitter.fit(summary["frequency"], summary["recency"], summary["T"])
    return {name: float(value) for name, value in fitter.params_.items()}


# ---------------------------------------------------------------------------------------------------------
# The comparisons: Patron over HTTP against the baselines, answers checked equal.
# ---------------------------------------------------------------------------------------------------------
RFM_RUNS = "/api/v1/analytics/rfm/runs"
PATRON_SCORES = """
    SELECT c.external_ref, s.recency, s.frequency, s.monetary, s.r, s.f, s.m
    FROM analytics.rfm_score AS s JOIN customer.customer AS c ON c.id = s.customer_id
    WHERE s.run_id = $1
"""


def _median(seconds: list[float]) -> float:
    return sorted(seconds)[len(seconds) // 2]


def _answer(rows: Any) -> dict[int, tuple[int, ...]]:
    """customer -> (recency, frequency, monetary in cents, r, f, m)."""
    return {
        int(customer): (int(recency), int(frequency), round(float(monetary) * 100), int(r), int(f), int(m))
        for customer, recency, frequency, monetary, r, f, m in rows
    }


async def _floor_seconds(database_url: str, repeat: int) -> float:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        seconds = []
        for _ in range(repeat):
            async with connection.transaction():
                started = time.perf_counter()
                await connection.execute(RFM_FLOOR)
                seconds.append(time.perf_counter() - started)
                await connection.execute("DROP TABLE rfm_floor")
        return _median(seconds)
    finally:
        await connection.close()


async def _patron_scores(database_url: str, run_id: int) -> dict[int, tuple[int, ...]]:
    import asyncpg

    connection = await asyncpg.connect(database_url)
    try:
        return _answer(tuple(row) for row in await connection.fetch(PATRON_SCORES, run_id))
    finally:
        await connection.close()


def compare_rfm(client: Any, database_url: str, frame: pd.DataFrame, duck: Any, repeat: int, baseline: int) -> bool:
    """Time an RFM run in Patron (a POST scoring and storing every customer), pandas, DuckDB and the SQL floor on
    the day after the last sale; check the scores agree; print; True if they differ."""
    import asyncio

    reference = (pd.Timestamp(frame["day"].max()) + pd.Timedelta(days=1)).date()
    seconds, run_id = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post(RFM_RUNS, json={"reference_date": reference.isoformat()})
        seconds.append(time.perf_counter() - started)
        if response.status_code != 201:
            print(f"RFM: Patron answered {response.status_code}: {response.text[:300]}")
            return True
        run_id = int(response.json()["id"])
    patron_seconds = _median(seconds)
    pandas_times, duck_times = [], []
    for _ in range(baseline):
        started = time.perf_counter()
        by_pandas = rfm_pandas(frame, reference)
        pandas_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        by_duckdb = rfm_duckdb(duck, reference)
        duck_times.append(time.perf_counter() - started)
    floor = asyncio.run(_floor_seconds(database_url, baseline))
    patron = asyncio.run(_patron_scores(database_url, run_id))
    pandas_answer = _answer(by_pandas.assign(monetary=by_pandas["monetary"] / 100).itertuples(index=False))
    duck_answer = _answer(by_duckdb.assign(monetary=by_duckdb["monetary"] / 100).itertuples(index=False))
    differ = [
        f"{who}: {len(answer)} customers, {sum(1 for k, v in answer.items() if patron.get(k) != v)} differ"
        for who, answer in (("pandas", pandas_answer), ("DuckDB", duck_answer))
        if answer != patron
    ]
    print(f"\nRFM scores as of {reference} ({len(patron):,} customers scored):")
    print("  " + ("; ".join(f"DIFFERS from Patron's: {line}" for line in differ) or "the answers agree"))
    pandas_s, duck_s = _median(pandas_times), _median(duck_times)
    print(
        f"  Patron {patron_seconds:.3f} s (a run: POST, scores stored), pandas {pandas_s:.3f} s, "
        f"DuckDB {duck_s:.3f} s, SQL floor {floor:.3f} s (three windows over the summaries, into a table)"
    )
    print(
        f"  pandas/Patron {pandas_s / patron_seconds:.2f} (aim >= 10), Patron/floor {patron_seconds / floor:.2f} "
        f"(aim <= 1.5), DuckDB/Patron {duck_s / patron_seconds:.2f}",
        flush=True,
    )
    return bool(differ)


CLV_FITS = "/api/v1/analytics/clv/fits"
BGNBD = ("r", "alpha", "a", "b")


def compare_fit(client: Any, frame: pd.DataFrame, repeat: int, baseline: int) -> bool:
    """Time a BG/NBD and Gamma-Gamma fit in Patron (a POST: the summary in SQL, both models fitted, stored)
    next to the ``lifetimes`` package's BG/NBD fitter on the same summary made by pandas (not timed); check
    the parameters agree within 1 %; print; True if they do not."""
    try:
        import lifetimes  # noqa: F401
    except ImportError:
        print("\nBG/NBD fit: the lifetimes package is not installed (pip install lifetimes): not compared")
        return False
    calibration_end = pd.Timestamp(frame["day"].max()).date()
    seconds, fit = [], {}
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.post(CLV_FITS, json={"calibration_end": calibration_end.isoformat(), "unit_days": 7})
        seconds.append(time.perf_counter() - started)
        if response.status_code != 201:
            print(f"\nBG/NBD fit: Patron answered {response.status_code}: {response.text[:300]}")
            return True
        fit = response.json()
    summary = lifetime_summary(frame, calibration_end)
    fitted, theirs = [], {}
    for _ in range(baseline):
        started = time.perf_counter()
        theirs = fit_lifetimes(summary)
        fitted.append(time.perf_counter() - started)
    patron_s, lifetimes_s = _median(seconds), _median(fitted)
    apart = {name: abs(fit[name] - theirs[name]) / abs(theirs[name]) for name in BGNBD}
    agree = all(gap <= 0.01 for gap in apart.values())
    print(
        f"\nBG/NBD fit, calibration ending {calibration_end} ({fit['customers']:,} customers, "
        f"{fit['repeat_customers']:,} repeat):"
    )
    print(
        "  "
        + ", ".join(f"{name} {fit[name]:.5g} vs {theirs[name]:.5g}" for name in BGNBD)
        + ("  (within 1 %)" if agree else "  DIFFER by more than 1 %")
    )
    print(
        f"  Patron {patron_s:.2f} s (a fit: POST, the summary in SQL, BG/NBD and Gamma-Gamma, stored), "
        f"lifetimes {lifetimes_s:.2f} s (BG/NBD alone, on a summary made beforehand): "
        f"lifetimes/Patron {lifetimes_s / patron_s:.2f} (aim >= 1)",
        flush=True,
    )
    return not agree
