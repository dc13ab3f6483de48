"""The rounding of a budget allocation as pure functions (SPEC §3.4): shares by largest remainder with ties
to the lower level, the promotion half rounded down, equal shares with the leftover cents to the lowest ids,
and allocated + unspent = amount for any month (a property test)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.loyalty.budgets.rules import LevelStats, equal_shares, halves, level_shares, plan_budget
from services.loyalty.levels.rules import quantile_fractions

D = Decimal


def test_level_shares_go_by_largest_remainder_and_equal_remainders_to_the_lower_level():
    # 1000.00 over volumes 660, 30000, 86000, 70000 (total 186660): exact cents 353.58, 16072.00, 46073.07,
    # 37501.34; the floors leave one cent, which goes to the largest remainder (level 1's .58).
    assert level_shares(D("1000.00"), [D(660), D(30000), D(86000), D(70000), D(0)]) == [
        D("3.54"),
        D("160.72"),
        D("460.73"),
        D("375.01"),
        D("0.00"),
    ]
    # Three cents over five equal volumes: every remainder is 0.6, the lower levels get the cents.
    assert level_shares(D("0.03"), [D(1)] * 5) == [D("0.01"), D("0.01"), D("0.01"), D("0.00"), D("0.00")]
    assert level_shares(D("10.00"), [D(0)] * 5) == [D("0.00")] * 5


def test_the_promotion_half_is_rounded_down_and_retention_takes_the_rest():
    assert halves(D("460.73")) == (D("230.36"), D("230.37"))
    assert halves(D("160.72")) == (D("80.36"), D("80.36"))
    assert halves(D("0.01")) == (D("0.00"), D("0.01"))


def test_equal_shares_give_the_leftover_cents_to_the_lowest_ids():
    assert equal_shares(D("100.00"), 3) == [D("33.34"), D("33.33"), D("33.33")]
    assert equal_shares(D("1.77"), 4) == [D("0.45"), D("0.44"), D("0.44"), D("0.44")]
    assert equal_shares(D("0.02"), 3) == [D("0.01"), D("0.01"), D("0.00")]
    with pytest.raises(ValueError):
        equal_shares(D("1.00"), 0)


def test_the_band_fractions_are_exact_decimals_and_other_bands_are_refused():
    assert quantile_fractions(3) == (D("0.3"), D("0.7"))
    assert str(quantile_fractions(3)[1]) == "0.7" and float(quantile_fractions(3)[1]) != 0.1 * 7
    for band in (0, 5, -1):
        with pytest.raises(ValueError):
            quantile_fractions(band)


def test_an_empty_group_or_an_unselected_level_is_unspent():
    stats = [
        LevelStats(0, D(0), 3),
        LevelStats(1, D(660), 11, promotion=4, consistent=3, retention=4),
        LevelStats(2, D(30000), 3, promotion=0, consistent=0, retention=3),
        LevelStats(3, D(86000), 4, promotion=1, consistent=2, retention=1),
        LevelStats(4, D(70000), 2, promotion=1, consistent=0, retention=1),
    ]
    plan = plan_budget(amount=D("1000.00"), level0_amount=D("100.00"), selected=[0, 1, 2, 3, 4, 5], stats=stats)
    assert [
        (b.level, b.share, b.promotion_amount, b.retention_amount, b.allocated, b.unspent) for b in plan.levels
    ] == [
        (0, D("100.00"), D("0.00"), D("0.00"), D("100.00"), D("0.00")),
        (1, D("3.54"), D("1.77"), D("1.77"), D("3.54"), D("0.00")),
        (2, D("160.72"), D("0.00"), D("0.00"), D("0.00"), D("160.72")),
        (3, D("460.73"), D("230.36"), D("230.37"), D("460.73"), D("0.00")),
        (4, D("375.01"), D("187.50"), D("187.51"), D("375.01"), D("0.00")),
        (5, D("0.00"), D("0.00"), D("0.00"), D("0.00"), D("0.00")),
    ]
    assert (plan.allocated, plan.unspent, plan.level0_allocated, plan.level0_unspent) == (
        D("839.28"),
        D("160.72"),
        D("100.00"),
        D("0.00"),
    )
    selected = plan_budget(amount=D("1000.00"), level0_amount=D("100.00"), selected=[3], stats=stats)
    assert (selected.allocated, selected.unspent, selected.level0_allocated, selected.level0_unspent) == (
        D("460.73"),
        D("539.27"),
        D("0.00"),
        D("100.00"),
    )
    assert selected.pools() == [(3, "promotion", D("230.36"), 1), (3, "retention", D("230.37"), 1)]


cents = st.integers(min_value=0, max_value=10**11).map(lambda c: Decimal(c) / 100)
volumes = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 100)
groups = st.tuples(st.integers(0, 50), st.integers(0, 50), st.integers(0, 50))


@settings(max_examples=300, deadline=None)
@given(
    amount=cents,
    level0_amount=cents,
    level0_customers=st.integers(0, 20),
    levels=st.lists(st.tuples(volumes, groups), min_size=5, max_size=5),
    selected=st.sets(st.integers(0, 5), min_size=1),
)
def test_allocated_and_unspent_add_up_to_the_amounts_and_peers_differ_by_a_cent_at_most(
    amount, level0_amount, level0_customers, levels, selected
):
    stats = [LevelStats(0, D(0), level0_customers)] + [
        LevelStats(level, volume, sum(sizes), *sizes) for level, (volume, sizes) in enumerate(levels, start=1)
    ]
    plan = plan_budget(amount=amount, level0_amount=level0_amount, selected=sorted(selected), stats=stats)
    assert plan.allocated + plan.unspent == amount
    assert plan.level0_allocated + plan.level0_unspent == level0_amount
    assert sum(b.share for b in plan.levels[1:]) in (amount, D("0.00"))
    for budget in plan.levels:
        assert budget.allocated + budget.unspent == budget.share
        assert budget.allocated in (D("0.00"), budget.share)
        if budget.level and budget.allocated:
            assert budget.promotion_amount + budget.retention_amount == budget.share
            assert D(0) <= budget.retention_amount - budget.promotion_amount <= D("0.01")
    by_level = {b.level: b for b in plan.levels}
    for level, group, pool, count in plan.pools():
        assert count == (by_level[level].customers if group == "level0" else getattr(stats[level], group))
        shares = equal_shares(pool, count)
        assert sum(shares) == pool
        assert max(shares) - min(shares) <= D("0.01")
        assert shares == sorted(shares, reverse=True)  # the extra cents go to the lowest ids
