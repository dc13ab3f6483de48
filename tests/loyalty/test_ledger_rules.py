"""The ledger's pure rules: the month a bill belongs to, and what a batch of returns takes back."""

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from services.contracts.customer import PurchaseLineReturned, ReturnedLine
from services.loyalty.ledger.rules import LineReturn, merge_returns, month_of

SYDNEY = ZoneInfo("Australia/Sydney")
NEW_YORK = ZoneInfo("America/New_York")


@pytest.mark.parametrize(
    ("at", "zone", "month"),
    [
        (datetime(2026, 1, 31, 12, 59, tzinfo=UTC), SYDNEY, date(2026, 1, 1)),  # 23:59 in Sydney
        (datetime(2026, 1, 31, 13, 0, tzinfo=UTC), SYDNEY, date(2026, 2, 1)),  # midnight in Sydney
        (datetime(2026, 3, 1, 3, 0, tzinfo=UTC), NEW_YORK, date(2026, 2, 1)),  # still 28 February there
        (datetime(2026, 12, 31, 23, 59, tzinfo=UTC), ZoneInfo("UTC"), date(2026, 12, 1)),
        (datetime(2027, 1, 1, 0, 0, tzinfo=timezone(timedelta(hours=2))), ZoneInfo("UTC"), date(2026, 12, 1)),
    ],
)
def test_a_bill_belongs_to_the_month_of_its_time_in_the_business_time_zone(
    at: datetime, zone: ZoneInfo, month: date
) -> None:
    assert month_of(at, zone) == month


def test_a_time_without_an_offset_has_no_month() -> None:
    with pytest.raises(ValueError, match="offset"):
        month_of(datetime(2026, 1, 1), SYDNEY)


def _returned(purchase_id: int, *lines: tuple[int, int, int, str]) -> PurchaseLineReturned:
    return PurchaseLineReturned(
        purchase_id=purchase_id,
        customer_id=1,
        source="live",
        returned_at=datetime(2026, 2, 1, tzinfo=UTC),
        lines=[
            ReturnedLine(line_id=i, product_id=p, quantity=q, base_amount=Decimal(a), local_amount=Decimal(a))
            for i, p, q, a in lines
        ],
    )


def test_returns_of_one_line_in_one_batch_add_up() -> None:
    merged = merge_returns(
        [
            _returned(7, (71, 3, 1, "10.00"), (72, 4, 2, "5.50")),
            _returned(7, (71, 3, 2, "20.00")),
            _returned(8, (81, 3, 1, "9.99")),
        ]
    )
    assert merged == [
        LineReturn(purchase_id=7, line_id=71, product_id=3, quantity=3, base_amount=Decimal("30.00")),
        LineReturn(purchase_id=7, line_id=72, product_id=4, quantity=2, base_amount=Decimal("5.50")),
        LineReturn(purchase_id=8, line_id=81, product_id=3, quantity=1, base_amount=Decimal("9.99")),
    ]
