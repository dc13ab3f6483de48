"""The loyalty effectiveness arithmetic: shares, means, boost, the previous period, and the highlights."""

from datetime import date
from decimal import Decimal

from services.analytics.program.rules import Rewarded, boost, difference, highlights, mean, previous_period, share


def test_shares_and_means_round_half_up_and_are_none_of_nothing() -> None:
    assert share(1, 3) == Decimal("0.3333") and share(2, 3) == Decimal("0.6667") and share(0, 0) is None
    assert mean(Decimal("170.00"), 2) == Decimal("85.00") and mean(1, 60) == Decimal("0.02") and mean(5, 0) is None
    assert mean(Decimal("0.125"), 1) == Decimal("0.13")


def test_boost_is_units_with_a_reward_over_units_without() -> None:
    assert boost(3, 8) == Decimal("0.6000")
    assert boost(0, 2) == Decimal("0.0000")
    assert boost(4, 4) is None  # every unit sold with a reward


def test_the_previous_period_is_as_long_and_ends_the_day_before() -> None:
    assert previous_period(date(2026, 3, 1), date(2026, 3, 31)) == (date(2026, 1, 29), date(2026, 2, 28))
    assert previous_period(date(2026, 3, 1), date(2026, 3, 1)) == (date(2026, 2, 28), date(2026, 2, 28))


def test_a_difference_needs_both_figures() -> None:
    assert difference(Decimal("50.00"), Decimal("300.00")) == Decimal("-250.00")
    assert difference(None, Decimal("1.00")) is None


def test_the_most_appealing_is_redeemed_soonest_and_the_most_redeemed_most_often() -> None:
    radio = Rewarded(2, "Radio", 1, Decimal("216.00"))
    cable = Rewarded(3, "Cable", 2, Decimal("540.00"))
    lamp = Rewarded(1, "Lamp", 2, Decimal("540.00"))
    assert highlights([cable, radio, lamp]) == [("most_appealing", radio), ("most_redeemed", lamp)]
    # Ties on the median go to the more redeemed, then the lower id.
    quick = Rewarded(9, "Quick", 3, Decimal("216.00"))
    assert highlights([radio, quick])[0] == ("most_appealing", quick)
    assert highlights([]) == []
