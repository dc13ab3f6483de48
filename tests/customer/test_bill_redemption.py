"""What a bill redeems, as pure rules: a reward's percent off its product's line only, points shared over
the bill by largest remainder, never more than the bill, and no redemption on a guest sale."""

from decimal import Decimal

import pytest

from services.customer.purchases.plan import BillIds, Redemption, plan_bill, request_bill
from services.kit.errors import InvalidInput
from services.kit.money import share_cents
from tests.customer.test_bill_plan import LEDGER, NOW, SHOPPER, STAFF, THREE, TWO, bill, product, read


def _ids(n: int) -> BillIds:
    return BillIds(purchase_id=42, line_ids=list(range(100, 100 + n)))


def shopper_bill(lines: list[dict], **fields):
    return request_bill(bill(lines=lines, **fields), principal=SHOPPER, ledger=LEDGER, now=NOW)


def test_shares_add_up_exactly_with_leftover_cents_to_the_largest_remainders_then_the_earlier():
    assert share_cents(Decimal("1.00"), [Decimal(1)] * 3) == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    assert share_cents(Decimal("10.00"), [Decimal("300"), Decimal("100")]) == [Decimal("7.50"), Decimal("2.50")]
    # 0.05 over 1 : 2 : 3 is 0.8333, 1.6667, 2.5 cents: floors 0 + 1 + 2, the two cents left to .8333 and .6667.
    assert share_cents(Decimal("0.05"), [Decimal(1), Decimal(2), Decimal(3)]) == [
        Decimal("0.01"),
        Decimal("0.02"),
        Decimal("0.02"),
    ]
    with pytest.raises(ValueError):
        share_cents(Decimal("1.00"), [Decimal(0)])


def test_a_reward_takes_its_percent_off_its_products_line_only_after_the_lines_own_discount():
    request = shopper_bill(
        [{"product_id": 1, "quantity": 2, "discount": "10.00"}, {"product_id": 2, "quantity": 1}],
        reward_token="t" * 32,
    )
    products = read(product(1, price="100.00"), product(2, price="50.00"))
    plan = plan_bill(request, products, TWO, Redemption(reward_product_id=1, reward_percent=20))
    rewarded, other = plan.lines
    # 200.00 - 10.00 = 190.00; 20 % of it is 38.00, so the line's discount is 48.00.
    assert (rewarded.local_discount, rewarded.local_total) == (Decimal("48.00"), Decimal("152.00"))
    assert (other.local_discount, other.local_total) == (Decimal("0.00"), Decimal("50.00"))
    assert plan.redeemed.local_reward_discount == Decimal("38.00")
    assert plan.totals.base_total == Decimal("202.00") and plan.recorded.base_discount == Decimal("48.00")


def test_a_reward_discount_is_rounded_half_up_to_the_cent():
    request = shopper_bill([{"product_id": 1, "quantity": 1}], reward_token="t" * 32)
    plan = plan_bill(request, read(product(1, price="0.25")), _ids(1), Redemption(1, 10))
    assert plan.lines[0].local_discount == Decimal("0.03")  # 10 % of 0.25 is 0.025


def test_points_are_shared_over_the_lines_in_proportion_to_what_is_left_of_each():
    request = shopper_bill(
        [{"product_id": 1, "quantity": 1}, {"product_id": 2, "quantity": 1}, {"product_id": 3, "quantity": 1}],
        reward_token="t" * 32,
        points=1000,
    )
    products = read(product(1, price="100.00"), product(2, price="100.00"), product(3, price="100.00"))
    plan = plan_bill(request, products, THREE, Redemption(1, 50, points=1000, points_value=Decimal("10.00")))
    # Left after the reward: 50.00, 100.00, 100.00; 10.00 over 1 : 2 : 2 is 2.00, 4.00, 4.00.
    assert [line.local_discount for line in plan.lines] == [Decimal("52.00"), Decimal("4.00"), Decimal("4.00")]
    assert plan.redeemed.local_points_discount == Decimal("10.00")
    assert plan.recorded.points_spent == 1000
    assert plan.totals.local_total == Decimal("240.00")


def test_points_worth_the_whole_bill_make_it_free_but_never_more():
    request = shopper_bill([{"product_id": 1, "quantity": 3}], points=3000)
    whole = plan_bill(
        request, read(product(1, price="10.00")), _ids(1), Redemption(points=3000, points_value=Decimal("30.00"))
    )
    assert whole.totals.local_total == Decimal("0.00") and whole.totals.base_total == Decimal("0.00")
    with pytest.raises(InvalidInput) as refused:
        plan_bill(
            request, read(product(1, price="10.00")), _ids(1), Redemption(points=3001, points_value=Decimal("30.01"))
        )
    assert refused.value.errors[0]["field"] == "body.points"
    assert refused.value.errors[0]["code"] == "worth_more_than_bill"


def test_points_on_a_bill_in_another_currency_are_worth_their_value_at_the_bills_rate():
    request = request_bill(
        bill(customer_id=7, currency="EUR", points=500, lines=[{"product_id": 1, "quantity": 1}]),
        principal=STAFF,
        ledger=LEDGER,
        now=NOW,
    )
    plan = plan_bill(
        request,
        read(product(1, price="100.00"), rate="0.9"),
        _ids(1),
        Redemption(points=500, points_value=Decimal("5.00")),
    )
    line = plan.lines[0]
    assert (line.local_gross, line.local_discount) == (Decimal("90.00"), Decimal("4.50"))
    assert (line.base_discount, line.base_total) == (Decimal("5.00"), Decimal("95.00"))


def test_a_reward_for_a_product_not_on_the_bill_is_refused_naming_the_token():
    request = shopper_bill([{"product_id": 1, "quantity": 1}], reward_token="t" * 32)
    with pytest.raises(InvalidInput) as refused:
        plan_bill(request, read(product(1)), _ids(1), Redemption(reward_product_id=9, reward_percent=10))
    assert (refused.value.errors[0]["field"], refused.value.errors[0]["code"]) == ("body.reward_token", "not_on_bill")


@pytest.mark.parametrize(
    ("fields", "field"), [({"reward_token": "t" * 32}, "body.reward_token"), ({"points": 5}, "body.points")]
)
def test_a_guest_sale_redeems_nothing(fields, field):
    with pytest.raises(InvalidInput) as refused:
        request_bill(bill(**fields), principal=STAFF, ledger=LEDGER, now=NOW)
    assert (refused.value.errors[0]["field"], refused.value.errors[0]["code"]) == (field, "guest")
