"""Whether a token may discount a bill, as a pure rule: each reason it may not, in the order they are told."""

from datetime import UTC, datetime, timedelta

import pytest

from services.loyalty.redemptions.rules import TokenFacts, reservation_deadline, token_refusal

NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
USABLE = TokenFacts(
    customer_id=7, product_id=3, status="usable", expires_at=NOW + timedelta(days=1), reserved_purchase_id=None
)


def refusal(
    reward: TokenFacts | None, *, customer_id: int | None = 7, product_ids: tuple[int, ...] = (1, 3)
) -> str | None:
    found = token_refusal(reward, customer_id=customer_id, product_ids=product_ids, now=NOW)
    if found is None:
        return None
    assert found["field"] == "body.reward_token"
    return found["code"]


def test_a_usable_token_of_the_customer_for_a_product_on_the_bill_applies():
    assert refusal(USABLE) is None


@pytest.mark.parametrize(
    ("reward", "customer_id", "products", "code"),
    [
        (None, 7, (3,), "unknown"),
        (USABLE, 8, (3,), "not_yours"),
        (USABLE, None, (3,), "not_yours"),  # a guest sale
        (TokenFacts(7, 3, "redeemed", NOW + timedelta(days=1), None), 7, (3,), "redeemed"),
        (TokenFacts(7, 3, "voided", NOW + timedelta(days=1), None), 7, (3,), "voided"),
        (TokenFacts(7, 3, "expired", NOW - timedelta(days=1), None), 7, (3,), "expired"),
        (TokenFacts(7, 3, "usable", NOW, None), 7, (3,), "expired"),  # at its expiry, not yet marked by the job
        (TokenFacts(7, 3, "reserved", NOW + timedelta(days=1), 41), 7, (3,), "reserved"),
        (USABLE, 7, (1, 2), "not_on_bill"),
        # Another customer's token says so before it says anything about its state.
        (TokenFacts(8, 3, "redeemed", NOW - timedelta(days=1), None), 7, (3,), "not_yours"),
    ],
)
def test_each_reason_a_token_does_not_apply(reward, customer_id, products, code):
    assert refusal(reward, customer_id=customer_id, product_ids=products) == code


def test_a_reservation_waits_its_timeout_for_its_bill():
    assert reservation_deadline(NOW, timedelta(seconds=60)) == NOW + timedelta(minutes=1)
