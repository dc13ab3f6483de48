"""The pure money rules of a bill."""

from decimal import Decimal

import pytest

from services.customer.purchases.pricing import local_unit_price, price_line, refund, returned_share


def test_local_unit_price_rounds_half_up_to_the_cent():
    assert local_unit_price(Decimal("10.00"), Decimal("1.2345")) == Decimal("12.35")  # 12.345 -> 12.35
    assert local_unit_price(Decimal("0.01"), Decimal("1.5")) == Decimal("0.02")  # 0.015 -> 0.02
    assert local_unit_price(Decimal("12.99"), Decimal("1")) == Decimal("12.99")


def test_line_amount_is_quantity_times_the_rounded_local_unit_price():
    line = price_line(base_unit_price=Decimal("10.00"), quantity=3, rate=Decimal("1.2345"), local_discount=Decimal("0"))
    assert line.local_unit_price == Decimal("12.35")
    assert line.local_gross == Decimal("37.05")  # not round(37.035)
    assert line.base_gross == Decimal("30.00")


def test_discount_converts_back_to_base_and_a_free_line_is_free_in_both_currencies():
    line = price_line(base_unit_price=Decimal("10.00"), quantity=1, rate=Decimal("1.5"), local_discount=Decimal("3.00"))
    assert (line.base_discount, line.base_total, line.local_total) == (
        Decimal("2.00"),
        Decimal("8.00"),
        Decimal("12.00"),
    )
    free = price_line(base_unit_price=Decimal("0.01"), quantity=1, rate=Decimal("1.5"), local_discount=Decimal("0.02"))
    assert (free.base_total, free.local_total) == (Decimal("0.00"), Decimal("0.00"))


def test_discount_above_the_price_is_refused():
    with pytest.raises(ValueError):
        price_line(base_unit_price=Decimal("5.00"), quantity=1, rate=Decimal("1"), local_discount=Decimal("5.01"))


def test_partial_refunds_add_up_to_the_line_total_exactly():
    total = Decimal("10.00")
    parts = [refund(total, 3, 0, 1), refund(total, 3, 1, 1), refund(total, 3, 2, 1)]
    assert parts == [Decimal("3.33"), Decimal("3.34"), Decimal("3.33")]
    assert sum(parts) == total
    assert returned_share(total, 3, 3) == total
