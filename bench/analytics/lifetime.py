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
