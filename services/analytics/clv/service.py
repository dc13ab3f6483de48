"""Lifetime value fits and predictions: the summary read from SQL, the models fitted and the predictions
computed off the event loop (``asyncio.to_thread``), the fits stored."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.clv import repository
from services.analytics.clv.rules import (
    BgNbd,
    CannotFit,
    GammaGamma,
    expected_purchases,
    expected_spend,
    fit_bgnbd,
    fit_gamma_gamma,
    lifetime_value,
    probability_alive,
)
from services.kit.errors import InvalidInput

DEFAULT_HORIZON_DAYS = 364


def cannot(reason: str, what: str = "The lifetime value models cannot be fitted") -> InvalidInput:
    """The 422 problem of models that cannot be fitted (or predictions that cannot be made), naming why."""
    return InvalidInput(f"{what}: {reason}.", reason=reason)


def _columns(rows: Sequence[Sequence[Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    x = np.array([float(r[4]) for r in rows], dtype=np.float64)
    t_x = np.array([float(r[5]) for r in rows], dtype=np.float64)
    T = np.array([float(r[6]) for r in rows], dtype=np.float64)
    m = np.array([float(r[7]) for r in rows], dtype=np.float64)
    return x, t_x, T, m


def _fit(rows: Sequence[Sequence[Any]], unit_days: int) -> tuple[BgNbd, GammaGamma]:
    """Both models fitted, and their default predictions for every customer checked to be finite numbers."""
    x, t_x, T, m = _columns(rows)
    purchases, spend = fit_bgnbd(x, t_x, T), fit_gamma_gamma(x, m)
    with np.errstate(all="ignore"):
        checked = (
            expected_purchases(purchases, DEFAULT_HORIZON_DAYS / unit_days, x, t_x, T),
            probability_alive(purchases, x, t_x, T),
            lifetime_value(purchases, spend, x, t_x, T, m, months=12, discount_rate=0.01, unit_days=unit_days),
        )
    if not all(np.isfinite(values).all() for values in checked):
        raise CannotFit("the fitted models' predictions are not finite numbers")
    return purchases, spend


async def create_fit(session: AsyncSession, calibration_end: date, unit_days: int) -> dict[str, Any]:
    rows = await repository.summary_all(session, calibration_end, unit_days)
    try:
        purchases, spend = await asyncio.to_thread(_fit, rows, unit_days)
    except CannotFit as exc:
        raise cannot(str(exc)) from exc
    stored = await repository.add_fit(
        session,
        {
            "calibration_end": calibration_end,
            "unit_days": unit_days,
            "customers": len(rows),
            "repeat_customers": sum(1 for r in rows if r[4] > 0),
            "r": purchases.r,
            "alpha": purchases.alpha,
            "a": purchases.a,
            "b": purchases.b,
            "bgnbd_log_likelihood": purchases.log_likelihood,
            "bgnbd_converged": purchases.converged,
            "p": spend.p,
            "q": spend.q,
            "gamma": spend.v,
            "gamma_gamma_log_likelihood": spend.log_likelihood,
            "gamma_gamma_converged": spend.converged,
        },
    )
    return stored


@dataclass(frozen=True)
class Horizon:
    """What a prediction looks ahead: ``horizon`` time units of purchases, ``months`` months of value
    discounted at ``discount_rate`` a month."""

    horizon: float
    months: int
    discount_rate: float


def models_of(fit: dict[str, Any]) -> tuple[BgNbd, GammaGamma]:
    return (
        BgNbd(fit["r"], fit["alpha"], fit["a"], fit["b"], fit["bgnbd_log_likelihood"], fit["bgnbd_converged"]),
        GammaGamma(fit["p"], fit["q"], fit["gamma"], fit["gamma_gamma_log_likelihood"], fit["gamma_gamma_converged"]),
    )


PREDICTION_COLUMNS = (
    "customer_id",
    "frequency",
    "recency",
    "T",
    "monetary_value",
    "expected_purchases",
    "probability_alive",
    "expected_spend",
    "clv",
)


def cents(value: Decimal | float) -> Decimal:
    """An amount to the cent, half-up."""
    exact = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _predict(fit: dict[str, Any], rows: Sequence[Sequence[Any]], ahead: Horizon) -> list[list[Any]]:
    if not rows:
        return []
    purchases, spend = models_of(fit)
    x, t_x, T, m = _columns(rows)
    expected = expected_purchases(purchases, ahead.horizon, x, t_x, T)
    alive = probability_alive(purchases, x, t_x, T)
    each = expected_spend(spend, x, m)
    value = lifetime_value(
        purchases,
        spend,
        x,
        t_x,
        T,
        m,
        months=ahead.months,
        discount_rate=ahead.discount_rate,
        unit_days=fit["unit_days"],
    )
    if not all(np.isfinite(v).all() for v in (expected, alive, each, value)):
        raise CannotFit("its predictions for these customers are not finite numbers")
    return [
        [
            r[0],
            int(r[4]),
            round(float(r[5]), 6),
            round(float(r[6]), 6),
            cents(r[7]),
            float(e),
            float(p),
            cents(float(s)),
            cents(float(v)),
        ]
        for r, e, p, s, v in zip(rows, expected, alive, each, value, strict=True)
    ]


async def predict(fit: dict[str, Any], rows: Sequence[Sequence[Any]], ahead: Horizon) -> list[list[Any]]:
    """The PREDICTION_COLUMNS of these summary rows under a fit."""
    try:
        return await asyncio.to_thread(_predict, fit, rows, ahead)
    except CannotFit as exc:
        raise cannot(str(exc), "The lifetime value predictions cannot be made") from exc


TOTAL_COLUMNS = ("segment", "customers", "expected_purchases", "expected_alive", "clv")


async def totals(
    session: AsyncSession, fit: dict[str, Any], ahead: Horizon, segments: dict[int, str] | None
) -> list[list[Any]]:
    """Per RFM segment (customers not scored in the run: segment none), or over every customer (segment
    ``all``): customers, expected purchases over the horizon, the expected number still alive, total CLV."""
    rows = await repository.summary_all(session, fit["calibration_end"], fit["unit_days"])
    predicted = await predict(fit, rows, ahead)
    groups: dict[str | None, list[Any]] = {}
    for row in predicted:
        key = "all" if segments is None else segments.get(int(row[0]))
        group = groups.setdefault(key, [0, 0.0, 0.0, Decimal(0)])
        group[0] += 1
        group[1] += row[5]
        group[2] += row[6]
        group[3] += row[8]
    ordered = sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or ""))
    return [[key, n, round(e, 4), round(a, 4), v] for key, (n, e, a, v) in ordered]
