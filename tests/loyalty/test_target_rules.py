"""The target rules of SPEC §3.5 as pure functions, worked by hand to the cent."""

from datetime import date
from decimal import Decimal

import pytest

from services.loyalty.targets.rules import (
    TargetMode,
    in_band,
    previous_month,
    reached,
    selected,
    target_for,
)

D = Decimal
PERCENT, VALUE = TargetMode.PERCENT, TargetMode.VALUE


@pytest.mark.parametrize(
    ("volume", "mode", "amount", "expected"),
    [
        (D("1210.00"), PERCENT, D("10"), D("1331.00")),  # 1210 × 1.10
        (D("333.33"), PERCENT, D("10"), D("366.66")),  # 366.663 rounds down
        (D("0.05"), PERCENT, D("10"), D("0.06")),  # 0.055: a half cent rounds up
        (D("12.35"), PERCENT, D("2.5"), D("12.66")),  # 12.65875
        (D("100.00"), PERCENT, D("0.01"), D("100.01")),
        (D("1210.00"), VALUE, D("250.00"), D("1460.00")),
        (D("0.50"), VALUE, D("0.01"), D("0.51")),  # a volume between 0 and 1 still grows
    ],
)
def test_a_target_is_last_months_volume_grown_by_a_percent_or_a_value_to_the_cent(volume, mode, amount, expected):
    assert target_for(volume, mode, amount) == expected


@pytest.mark.parametrize(
    ("volume", "mode", "amount"),
    [
        (D("1210.00"), PERCENT, D("0")),  # a zero percent sets no target
        (D("1210.00"), VALUE, D("0.00")),  # nor a zero value
        (D("0.00"), PERCENT, D("10")),  # nor a zero volume last month
        (D("0.00"), VALUE, D("100.00")),
    ],
)
def test_no_target_for_a_zero_percent_a_zero_value_or_a_zero_volume(volume, mode, amount):
    assert target_for(volume, mode, amount) is None


def test_the_band_takes_the_lower_limit_and_leaves_out_the_upper():
    assert in_band(D("1000.00"), D("1000.00"), D("5000.00"))
    assert in_band(D("4999.99"), D("1000.00"), D("5000.00"))
    assert not in_band(D("5000.00"), D("1000.00"), D("5000.00"))
    assert not in_band(D("999.99"), D("1000.00"), D("5000.00"))
    assert in_band(D("1000000.00"), D("0.00"), None)


def test_levels_choose_customers_and_none_chooses_everyone():
    assert selected(2, [1, 2])
    assert not selected(3, [1, 2])
    assert not selected(None, [0, 1])  # a volume between 0 and 1 has no level
    assert selected(None, None) and selected(5, None)


def test_a_target_is_reached_at_exactly_its_amount():
    assert reached(D("1331.00"), D("1331.00"))
    assert not reached(D("1330.99"), D("1331.00"))


def test_the_month_before():
    assert previous_month(date(2026, 3, 1)) == date(2026, 2, 1)
    assert previous_month(date(2026, 1, 1)) == date(2025, 12, 1)
