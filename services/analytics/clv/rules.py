"""Lifetime value models, pure numbers: the BG/NBD model of purchase frequency (Fader, Hardie and Lee 2005,
"Counting your customers the easy way") and the Gamma-Gamma model of spend (Fader and Hardie 2013, "The
Gamma-Gamma model of monetary value"), their log-likelihoods, maximum-likelihood fits and predictions.

Every customer is (x, t_x, T, m): repeat purchase days, recency and age in time units, and the mean value of
the repeat purchase days. Likelihoods are written with log-gamma and log-sum-exp, and predictions in logs, so
a customer with thousands of purchases neither overflows nor turns into NaN.
"""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.special import expit, gammaln, hyp2f1, logsumexp

Array = npt.NDArray[np.float64]

MIN_REPEAT_CUSTOMERS = 10
"""Fewer customers with a repeat purchase than this and neither model can be fitted."""

DAYS_PER_MONTH = 30
"""A month of the lifetime value's horizon, in days."""


class CannotFit(ValueError):
    """The model cannot be fitted on these customers (or its predictions are not finite); says why."""


@dataclass(frozen=True)
class BgNbd:
    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float
    converged: bool


@dataclass(frozen=True)
class GammaGamma:
    p: float
    q: float
    v: float
    log_likelihood: float
    converged: bool


def _arrays(*values: npt.ArrayLike) -> list[Array]:
    return [np.asarray(v, dtype=np.float64) for v in values]


def bgnbd_log_likelihoods(
    r: float, alpha: float, a: float, b: float, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike
) -> Array:
    """Each customer's log-likelihood under BG/NBD (Fader, Hardie and Lee 2005, equation 6):

    L = B(a, b + x)/B(a, b) · Γ(r + x)/Γ(r) · α^r · [ (α + T)^-(r+x) + 1{x>0} · a/(b + x - 1) · (α + t_x)^-(r+x) ]
    """
    x, t_x, T = _arrays(x, t_x, T)
    a1 = gammaln(r + x) - gammaln(r) + r * np.log(alpha)
    a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x), -np.inf)
    return np.asarray(a1 + a2 + logsumexp(np.stack([a3, a4]), axis=0), dtype=np.float64)


def gamma_gamma_log_likelihoods(p: float, q: float, v: float, x: npt.ArrayLike, m: npt.ArrayLike) -> Array:
    """Each repeat customer's log-likelihood of their mean spend m over x purchases under Gamma-Gamma (Fader and
    Hardie 2013, equation 1a): the mean of x gamma(p, ν) spends, ν ~ gamma(q, γ)."""
    x, m = _arrays(x, m)
    return np.asarray(
        gammaln(p * x + q)
        - gammaln(p * x)
        - gammaln(q)
        + q * np.log(v)
        + (p * x - 1) * np.log(m)
        + p * x * np.log(x)
        - (p * x + q) * np.log(x * m + v),
        dtype=np.float64,
    )


def _maximise(negative: object, start: Array) -> tuple[Array, float, bool]:
    """Minimise ``negative`` over log-parameters: Nelder-Mead to get close, then L-BFGS-B to polish."""
    fn = negative  # a callable of the log-parameters

    def safe(log_params: Array) -> float:
        with np.errstate(all="ignore"):
            value = float(fn(log_params))  # type: ignore[operator]
        return value if np.isfinite(value) else 1e300

    # L-BFGS-B alone reaches the optimum in a few hundred evaluations (2 s for 85,000 customers, where a
    # Nelder-Mead start took minutes and stopped short of it on a flat ridge); Nelder-Mead only rescues a
    # start L-BFGS-B cannot leave.
    tried = [minimize(safe, start, method="L-BFGS-B")]
    if not (tried[0].success and np.isfinite(tried[0].fun) and tried[0].fun < 1e300):
        rough = minimize(safe, start, method="Nelder-Mead", options={"maxiter": 4000, "xatol": 1e-7, "fatol": 1e-10})
        tried += [rough, minimize(safe, rough.x, method="L-BFGS-B")]
    best = min(tried, key=lambda result: float(result.fun))
    converged = any(bool(result.success) for result in tried)
    return np.exp(best.x), -float(best.fun), converged


def _finite(*values: float) -> bool:
    return all(np.isfinite(v) for v in values)


SHAPE_RANGE = (1e-6, 1e6)
"""Where the dimensionless parameters (r, a, b, p, q) of a usable fit lie: a likelihood still rising at the
edge of it is data that cannot tell customers apart (every customer alike, nobody dropping out)."""


def _off_the_edge(**shapes: float) -> str | None:
    low, high = SHAPE_RANGE
    off = {name: value for name, value in shapes.items() if not low < value < high}
    if not off:
        return None
    return ", ".join(f"{name} = {value:.3g}" for name, value in off.items())


def _rises_towards_infinity(negative: object, params: Array, **directions: tuple[float, ...]) -> str | None:
    """The first named direction (in log-parameters) along which the likelihood is no lower ten times
    further out than at the optimum found: its maximum lies at infinity, wherever the optimiser stopped."""
    fn = negative  # a callable of the log-parameters
    here = np.log(params)
    with np.errstate(all="ignore"):
        level = float(fn(here))  # type: ignore[operator]
        for name, direction in directions.items():
            further = float(fn(here + np.log(10.0) * np.asarray(direction)))  # type: ignore[operator]
            if np.isfinite(further) and further <= level + 1e-9 * max(1.0, abs(level)):
                return name
    return None


def fit_bgnbd(x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> BgNbd:
    """BG/NBD's maximum-likelihood r, α, a, b on these customers."""
    x, t_x, T = _arrays(x, t_x, T)
    if x.size == 0:
        raise CannotFit("no customer has a purchase on or before the calibration end")
    repeat = int((x > 0).sum())
    if repeat < MIN_REPEAT_CUSTOMERS:
        raise CannotFit(f"{repeat} customers bought again; the models need at least {MIN_REPEAT_CUSTOMERS}")
    if not (T > 0).any():
        raise CannotFit("every customer's first purchase is on the calibration end: no time was observed")
    scale = float(T.mean()) or 1.0

    def negative(log_params: Array) -> float:
        r, alpha, a, b = np.exp(log_params)
        return -float(bgnbd_log_likelihoods(r, alpha, a, b, x, t_x, T).sum())

    (r, alpha, a, b), ll, converged = _maximise(negative, np.log([1.0, scale, 1.0, 1.0]))
    if not _finite(r, alpha, a, b, ll):
        raise CannotFit("the BG/NBD fit gave non-finite parameters")
    if not converged:
        raise CannotFit("the BG/NBD fit did not converge")
    edge = _off_the_edge(r=r, a=a, b=b) or _rises_towards_infinity(
        negative, np.array([r, alpha, a, b]), **{"r, α → ∞": (1, 1, 0, 0), "a, b → ∞": (0, 0, 1, 1)}
    )
    if edge is not None:
        raise CannotFit(
            f"the BG/NBD fit ran off to {edge}: these purchases do not tell customers' rates and dropouts apart"
        )
    return BgNbd(float(r), float(alpha), float(a), float(b), ll, converged)


def fit_gamma_gamma(x: npt.ArrayLike, m: npt.ArrayLike) -> GammaGamma:
    """Gamma-Gamma's maximum-likelihood p, q, γ on the customers with a repeat purchase of positive value."""
    x, m = _arrays(x, m)
    keep = (x > 0) & (m > 0)
    x, m = x[keep], m[keep]
    if x.size < MIN_REPEAT_CUSTOMERS:
        raise CannotFit(
            f"{x.size} customers bought again for a positive amount; the spend model needs at least "
            f"{MIN_REPEAT_CUSTOMERS}"
        )

    if np.ptp(m) == 0:
        raise CannotFit("every repeat customer spent the same on average: the spend model needs some spread")

    def negative(log_params: Array) -> float:
        p, q, v = np.exp(log_params)
        return -float(gamma_gamma_log_likelihoods(p, q, v, x, m).sum())

    (p, q, v), ll, converged = _maximise(negative, np.log([1.0, 1.0, float(m.mean()) or 1.0]))
    if not _finite(p, q, v, ll):
        raise CannotFit("the Gamma-Gamma fit gave non-finite parameters")
    if not converged:
        raise CannotFit("the Gamma-Gamma fit did not converge")
    edge = _off_the_edge(p=p, q=q) or _rises_towards_infinity(negative, np.array([p, q, v]), **{"q, γ → ∞": (0, 1, 1)})
    if edge is not None:
        raise CannotFit(f"the Gamma-Gamma fit ran off to {edge}: these spends do not tell customers apart")
    if q <= 1:
        raise CannotFit(f"the Gamma-Gamma fit's q is {q:.3g}: the expected spend is infinite unless q > 1")
    return GammaGamma(float(p), float(q), float(v), ll, converged)


def _log_odds_dead(model: BgNbd, x: Array, t_x: Array, T: Array) -> Array:
    """log(P(dead) / P(alive)) given a customer's history; -inf for customers without a repeat purchase."""
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(divide="ignore"):
        return np.where(
            x > 0,
            np.log(a) - np.log(b + np.maximum(x, 1) - 1) + (r + x) * (np.log(alpha + T) - np.log(alpha + t_x)),
            -np.inf,
        )


def probability_alive(model: BgNbd, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> Array:
    """P(alive | x, t_x, T) = 1 / (1 + 1{x>0} · a/(b + x - 1) · ((α + T)/(α + t_x))^(r+x))."""
    x, t_x, T = _arrays(x, t_x, T)
    return np.asarray(expit(-_log_odds_dead(model, x, t_x, T)), dtype=np.float64)


def expected_purchases(model: BgNbd, t: npt.ArrayLike, x: npt.ArrayLike, t_x: npt.ArrayLike, T: npt.ArrayLike) -> Array:
    """E[purchases in (T, T + t] | x, t_x, T] (Fader, Hardie and Lee 2005, equation 10):

    (a + b + x - 1)/(a - 1) · [1 - ((α + T)/(α + T + t))^(r+x) · ₂F₁(r + x, b + x; a + b + x - 1; t/(α + T + t))]
    · P(alive)

    The hypergeometric term is taken through Euler's transformation, ₂F₁(a, b; c; z) = (1 - z)^(c-a-b) ·
    ₂F₁(c - a, c - b; c; z), whose parameters stay small however many purchases a customer made: the bracket is
    1 - (1 - z)^(a-1) · ₂F₁(a + b - 1 - r, a - 1; a + b + x - 1; z).
    """
    t, x, t_x, T = _arrays(t, x, t_x, T)
    r, alpha, a, b = model.r, model.alpha, model.a, model.b
    z = t / (alpha + T + t)
    c = a + b + x - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        bracket = 1 - np.exp((a - 1) * np.log1p(-z)) * hyp2f1(a + b - 1 - r, a - 1, c, z)
        value = c / (a - 1) * bracket * expit(-_log_odds_dead(model, x, t_x, T))
    return np.asarray(value, dtype=np.float64)


def expected_spend(model: GammaGamma, x: npt.ArrayLike, m: npt.ArrayLike) -> Array:
    """E[mean spend | x, m] (Fader and Hardie 2013, equation 5): a weighted mean of the population's mean spend
    pγ/(q - 1) and the customer's own m, the customer's weight px/(px + q - 1); the population's mean for x = 0."""
    x, m = _arrays(x, m)
    p, q, v = model.p, model.q, model.v
    weight = p * x / (p * x + q - 1)
    return np.asarray((1 - weight) * (v * p / (q - 1)) + weight * m, dtype=np.float64)


def lifetime_value(
    purchases: BgNbd,
    spend: GammaGamma,
    x: npt.ArrayLike,
    t_x: npt.ArrayLike,
    T: npt.ArrayLike,
    m: npt.ArrayLike,
    *,
    months: int,
    discount_rate: float,
    unit_days: int,
) -> Array:
    """Discounted lifetime value over ``months`` months: the sum over months i = 1..months of the purchases
    expected in month i (the expectation up to i months less that up to i - 1, a month being 30 days, i.e.
    30/unit_days time units) times the expected spend, divided by (1 + discount_rate)^i."""
    x, t_x, T, m = _arrays(x, t_x, T, m)
    per_month = DAYS_PER_MONTH / unit_days
    spend_each = expected_spend(spend, x, m)
    total = np.zeros_like(x)
    before = np.zeros_like(x)
    for i in range(1, months + 1):
        upto = expected_purchases(purchases, i * per_month, x, t_x, T)
        total += (upto - before) * spend_each / (1 + discount_rate) ** i
        before = upto
    return total
