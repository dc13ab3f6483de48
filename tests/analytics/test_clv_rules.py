"""The lifetime value models' pure functions: likelihoods and predictions against the papers' formulas worked
out by hand for tiny inputs, no overflow for a customer with a thousand purchases, refusals with a reason, and
the published CDNOW parameters from the sample file's own summary (no database)."""

import math

import numpy as np
import pytest

from services.analytics.clv import rules
from services.analytics.clv.rules import BgNbd, CannotFit, GammaGamma
from tests.analytics.cdnow import BGNBD, GAMMA_GAMMA, summary

MODEL = BgNbd(r=0.25, alpha=4.0, a=0.8, b=2.5, log_likelihood=0.0, converged=True)
SPEND = GammaGamma(p=6.0, q=4.0, v=15.0, log_likelihood=0.0, converged=True)


def beta(a: float, b: float) -> float:
    return math.gamma(a) * math.gamma(b) / math.gamma(a + b)


def test_the_bgnbd_likelihood_is_the_papers_equation() -> None:
    r, alpha, a, b = MODEL.r, MODEL.alpha, MODEL.a, MODEL.b
    # x = 0: only the "still alive" term, (α / (α + T))^r.
    assert rules.bgnbd_log_likelihoods(r, alpha, a, b, 0, 0, 10)[()] == pytest.approx(r * math.log(alpha / 14))
    # x = 2, t_x = 3, T = 10: Fader, Hardie and Lee (2005), equation 6.
    x, t_x, T = 2, 3.0, 10.0
    head = beta(a, b + x) / beta(a, b) * math.gamma(r + x) / math.gamma(r) * alpha**r
    by_hand = head * ((alpha + T) ** -(r + x) + a / (b + x - 1) * (alpha + t_x) ** -(r + x))
    assert rules.bgnbd_log_likelihoods(r, alpha, a, b, x, t_x, T)[()] == pytest.approx(math.log(by_hand))


def test_the_gamma_gamma_likelihood_of_one_purchase_is_the_compound_gamma_density() -> None:
    # x = 1: z ~ gamma(p, ν), ν ~ gamma(q, γ): f(z) = Γ(p+q)/(Γ(p)Γ(q)) γ^q z^(p-1) / (z + γ)^(p+q).
    p, q, v, z = SPEND.p, SPEND.q, SPEND.v, 20.0
    density = math.gamma(p + q) / (math.gamma(p) * math.gamma(q)) * v**q * z ** (p - 1) / (z + v) ** (p + q)
    assert rules.gamma_gamma_log_likelihoods(p, q, v, 1, z)[()] == pytest.approx(math.log(density))


def test_predictions_are_the_papers_expressions() -> None:
    from scipy.special import hyp2f1

    r, alpha, a, b = MODEL.r, MODEL.alpha, MODEL.a, MODEL.b
    x, t_x, T, t = 2, 3.0, 10.0, 5.0
    alive = 1 / (1 + a / (b + x - 1) * ((alpha + T) / (alpha + t_x)) ** (r + x))
    assert rules.probability_alive(MODEL, x, t_x, T)[()] == pytest.approx(alive)
    assert rules.probability_alive(MODEL, 0, 0, T)[()] == 1.0
    # Equation 10, its hypergeometric term taken directly.
    z = t / (alpha + T + t)
    bracket = 1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, z)
    expected = (a + b + x - 1) / (a - 1) * bracket * alive
    assert rules.expected_purchases(MODEL, t, x, t_x, T)[()] == pytest.approx(expected)
    # A new customer (x = 0, T = 0) expects equation 9's population figure.
    population = (a + b - 1) / (a - 1) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    assert rules.expected_purchases(MODEL, t, 0, 0, 0)[()] == pytest.approx(population)
    # Spend: the population's mean pγ/(q-1) = 30 weighted against the customer's 50 by px/(px + q - 1) = 0.8.
    assert rules.expected_spend(SPEND, 2, 50)[()] == pytest.approx(0.2 * 30 + 0.8 * 50)
    assert rules.expected_spend(SPEND, 0, 0)[()] == pytest.approx(30)


def test_lifetime_value_sums_each_months_purchases_discounted() -> None:
    x, t_x, T, m = 2, 3.0, 10.0, 50.0
    spend = rules.expected_spend(SPEND, x, m)[()]
    month = 30 / 7
    one = rules.lifetime_value(MODEL, SPEND, x, t_x, T, m, months=1, discount_rate=0.0, unit_days=7)[()]
    assert one == pytest.approx(rules.expected_purchases(MODEL, month, x, t_x, T)[()] * spend)
    two = rules.lifetime_value(MODEL, SPEND, x, t_x, T, m, months=2, discount_rate=0.1, unit_days=7)[()]
    first = rules.expected_purchases(MODEL, month, x, t_x, T)[()]
    second = rules.expected_purchases(MODEL, 2 * month, x, t_x, T)[()] - first
    assert two == pytest.approx(spend * (first / 1.1 + second / 1.1**2))


def test_a_customer_with_a_thousand_purchases_neither_overflows_nor_turns_into_nan() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        likelihood = rules.bgnbd_log_likelihoods(MODEL.r, MODEL.alpha, MODEL.a, MODEL.b, 1000, 50, 52)
        spend = rules.gamma_gamma_log_likelihoods(SPEND.p, SPEND.q, SPEND.v, 1000, 35.0)
    assert np.isfinite(likelihood).all() and np.isfinite(spend).all()
    expected = rules.expected_purchases(MODEL, 52, 1000, 52, 52)[()]
    # About 18 a week while alive (λ ≈ (r + x)/(α + T)), fewer with the chance of dropping out after each.
    assert math.isfinite(expected) and 500 < expected < 18 * 52
    assert rules.probability_alive(MODEL, 1000, 52, 52)[()] == pytest.approx(1 / (1 + 0.8 / 1001.5))
    assert rules.probability_alive(MODEL, 1000, 10, 52)[()] == pytest.approx(0.0, abs=1e-300)
    value = rules.lifetime_value(MODEL, SPEND, 1000, 52, 52, 35.0, months=24, discount_rate=0.01, unit_days=7)[()]
    assert math.isfinite(value) and value > 0


def test_models_that_cannot_be_fitted_say_why() -> None:
    with pytest.raises(CannotFit, match="no customer has a purchase"):
        rules.fit_bgnbd([], [], [])
    with pytest.raises(CannotFit, match="9 customers bought again; the models need at least 10"):
        rules.fit_bgnbd([1] * 9 + [0] * 50, [1.0] * 9 + [0] * 50, [5.0] * 59)
    with pytest.raises(CannotFit, match="first purchase is on the calibration end"):
        rules.fit_bgnbd([1] * 10, [0.0] * 10, [0.0] * 10)
    with pytest.raises(CannotFit, match="every repeat customer spent the same on average"):
        rules.fit_gamma_gamma([1, 2, 3] * 5, [10.0] * 15)
    with pytest.raises(CannotFit, match="for a positive amount"):
        rules.fit_gamma_gamma([1] * 20, [0.0] * 20)


def test_the_cdnow_summary_from_the_file_gives_the_published_parameters() -> None:
    """Both published fits use the 39-week calibration summary (to 1997-09-30): BG/NBD on all 2,357 customers,
    Gamma-Gamma on the 946 with a repeat purchase, their mean repeat spend the monetary value."""
    rows = list(summary().values())
    x, t_x, T = (np.array([row[i] for row in rows], dtype=float) for i in range(3))
    m = np.array([float(row[3]) for row in rows])
    purchases = rules.fit_bgnbd(x, t_x, T)
    spend = rules.fit_gamma_gamma(x, m)
    assert int((x > 0).sum()) == 946
    fitted = {"r": purchases.r, "alpha": purchases.alpha, "a": purchases.a, "b": purchases.b}
    assert fitted == pytest.approx(BGNBD, rel=0.01)
    assert {"p": spend.p, "q": spend.q, "gamma": spend.v} == pytest.approx(GAMMA_GAMMA, rel=0.01)
    assert purchases.log_likelihood == pytest.approx(-9582.4, abs=0.1)
