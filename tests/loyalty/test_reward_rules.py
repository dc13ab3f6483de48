"""The reward rules of SPEC §3.1 as pure functions, and the program settings they read."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from services.kit.errors import InvalidInput
from services.loyalty.program.rules import DEFAULT_PROGRAM, ProgramSettings
from services.loyalty.rewards.rules import Offer, new_token, reward_category, reward_percent, reward_terms

NOW = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
THRESHOLDS = DEFAULT_PROGRAM.reward_thresholds


@pytest.mark.parametrize(
    ("total", "category"),
    [
        ("0.00", 0),
        ("250.00", 0),  # 250 or less earns nothing
        ("250.01", 1),
        ("500.00", 1),
        ("500.01", 2),
        ("750.01", 3),
        ("1000.00", 3),
        ("1000.01", 4),
        ("1250.00", 4),
        ("1250.01", 5),
        ("99999.99", 5),
    ],
)
def test_a_bill_total_earns_the_category_of_the_thresholds_it_exceeds(total: str, category: int) -> None:
    assert reward_category(Decimal(total), THRESHOLDS) == category


@pytest.mark.parametrize(("category", "percent"), [(1, 10), (2, 20), (3, 30), (4, 40), (5, 50)])
def test_the_default_percent_is_ten_times_the_category(category: int, percent: int) -> None:
    assert reward_percent(category, DEFAULT_PROGRAM.reward_percents) == percent


def test_no_percent_for_a_category_the_program_does_not_have() -> None:
    with pytest.raises(ValueError, match="no reward category 6"):
        reward_percent(6, DEFAULT_PROGRAM.reward_percents)


def offer(total: str, *, source: str = "live", customer_id: int | None = 7) -> Offer:
    return Offer(purchase_id=1, customer_id=customer_id, source=source, base_total=Decimal(total), recorded_at=NOW)


def test_a_qualifying_live_bill_earns_a_percent_expiring_after_the_programs_days() -> None:
    terms = reward_terms(offer("600.00"), DEFAULT_PROGRAM, now=NOW)
    assert terms is not None
    assert (terms.category, terms.percent, terms.expires_at) == (2, 20, NOW + timedelta(days=90))


@pytest.mark.parametrize(
    "bill",
    [offer("5000.00", source="import"), offer("5000.00", customer_id=None), offer("250.00")],
    ids=["imported", "guest sale", "250 or less"],
)
def test_imported_bills_guest_sales_and_small_bills_earn_nothing(bill: Offer) -> None:
    assert reward_terms(bill, DEFAULT_PROGRAM, now=NOW) is None


def test_a_program_with_other_thresholds_percents_and_expiry_is_followed() -> None:
    program = ProgramSettings(
        reward_thresholds=[Decimal(100), Decimal(200)], reward_percents=[5, 15], reward_expiry_days=30
    )
    terms = reward_terms(offer("150.00"), program, now=NOW)
    assert terms is not None and (terms.category, terms.percent) == (1, 5)
    top = reward_terms(offer("5000.00"), program, now=NOW)
    assert top is not None and (top.category, top.percent, top.expires_at) == (2, 15, NOW + timedelta(days=30))


def test_tokens_are_long_random_and_distinct() -> None:
    tokens = {new_token() for _ in range(2000)}
    assert len(tokens) == 2000
    assert all(len(token) == 32 and token.replace("-", "").replace("_", "").isalnum() for token in tokens)


def test_the_default_program_is_the_specs() -> None:
    assert DEFAULT_PROGRAM.reward_thresholds == [Decimal(v) for v in (250, 500, 750, 1000, 1250)]
    assert DEFAULT_PROGRAM.reward_percents == [10, 20, 30, 40, 50]
    assert (DEFAULT_PROGRAM.reward_expiry_days, DEFAULT_PROGRAM.points_per_currency_unit) == (90, 100)
    assert DEFAULT_PROGRAM.points_expiry_months == 12
    level5 = DEFAULT_PROGRAM.levels[4]
    assert (level5.volume, level5.orders, level5.brands, level5.own_brand_volume) == (75000, 12, 40, 15000)
    assert level5.self_order_share_above == 60 and DEFAULT_PROGRAM.levels[2].self_order_share_above is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reward_thresholds": ["500", "250"]}, "body.reward_thresholds"),
        ({"reward_thresholds": ["250", "250"], "reward_percents": [10, 20]}, "body.reward_thresholds"),
        ({"reward_percents": [10, 20]}, "body.reward_percents"),
        ({"levels": [lvl.model_dump() for lvl in reversed(DEFAULT_PROGRAM.levels)]}, "body.levels"),
    ],
)
def test_inconsistent_settings_are_refused_naming_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        ProgramSettings.model_validate(changes)
    assert [error["field"] for error in refused.value.errors] == [field]
