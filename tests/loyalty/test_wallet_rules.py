"""The wallet's pure rules, with hand-worked numbers: lots spent oldest first, expiry of what is left,
refunds with the lots' own expiries, calendar months, and the money points are worth."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from services.loyalty.wallet.rules import (
    Entry,
    LedgerInconsistent,
    Take,
    add_months,
    points_value,
    refunds_of,
    replay,
)

JAN, FEB, MAR, APR = (datetime(2025, month, 1, tzinfo=UTC) for month in (1, 2, 3, 4))


def earn(id: int, points: int, expires_at: datetime) -> Entry:
    return Entry(id, "earn", points, expires_at)


def test_a_spend_takes_the_lots_that_expire_first_and_the_older_lot_on_a_tie():
    ledger = replay(
        [
            earn(1, 100, MAR),
            earn(2, 50, FEB),  # written later, expires sooner: spent first
            earn(3, 30, MAR),  # ties with lot 1 on expiry: lot 1 is older
            Entry(4, "spend", -120),
        ]
    )
    assert ledger.takes[4] == [Take(2, 50, FEB), Take(1, 70, MAR)]
    assert {lot.id: lot.remaining for lot in ledger.lots.values()} == {1: 30, 2: 0, 3: 30}
    assert ledger.balance == 60


def test_entries_are_replayed_in_id_order_whatever_order_they_come_in():
    entries = [Entry(3, "spend", -10), earn(1, 10, FEB), earn(2, 10, JAN)]
    assert replay(entries).takes[3] == [Take(2, 10, JAN)]


def test_a_negative_adjustment_takes_oldest_first_like_a_spend():
    ledger = replay([earn(1, 40, FEB), Entry(2, "adjust", 25, MAR), Entry(3, "adjust", -50)])
    assert ledger.takes[3] == [Take(1, 40, FEB), Take(2, 10, MAR)]
    assert ledger.balance == 15


def test_expiry_of_a_partly_spent_lot_expires_only_its_remainder():
    ledger = replay([earn(1, 100, FEB), earn(2, 80, MAR), Entry(3, "spend", -30)])
    due = ledger.due(FEB)
    assert [(lot.id, lot.remaining) for lot in due] == [(1, 70)]
    ledger.apply(Entry(4, "expire", -70, lot_id=1))
    assert ledger.takes[4] == [Take(1, 70, FEB)]
    assert ledger.balance == 80 and ledger.due(FEB) == []
    assert ledger.next_expiry() == (MAR, 80)


def test_an_expiry_takes_from_the_lot_it_names_not_the_oldest():
    ledger = replay([earn(1, 10, JAN), earn(2, 20, FEB), Entry(3, "expire", -20, lot_id=2)])
    assert {lot.id: lot.remaining for lot in ledger.lots.values()} == {1: 10, 2: 0}


def test_a_refund_gives_back_each_lot_its_points_with_the_lots_expiry():
    ledger = replay([earn(1, 50, JAN), earn(2, 100, MAR), Entry(3, "spend", -80)])
    refunds = refunds_of(ledger, 3)
    assert refunds == [Take(1, 50, JAN), Take(2, 30, MAR)]
    # Written back as refund entries, they are lots again, expiring when the points would have.
    for id, take in enumerate(refunds, start=4):
        ledger.apply(Entry(id, "refund", take.points, take.expires_at, lot_id=take.lot_id))
    assert ledger.balance == 150
    # The refunded January points are already past their expiry at February: the next run takes them.
    assert [(lot.id, lot.remaining) for lot in ledger.due(FEB)] == [(4, 50)]
    assert ledger.available(FEB) == 100
    assert refunds_of(ledger, 99) == []


def test_next_expiry_sums_the_lots_expiring_first_and_skips_what_is_past():
    ledger = replay([earn(1, 10, FEB), earn(2, 15, FEB), earn(3, 7, APR), Entry(4, "spend", -5)])
    assert ledger.next_expiry() == (FEB, 20)
    assert ledger.next_expiry(after=FEB) == (APR, 7)
    assert ledger.available(FEB) == 7
    assert replay([]).next_expiry() is None and replay([]).balance == 0


def test_a_replay_refuses_entries_that_take_more_than_the_lots_hold():
    with pytest.raises(LedgerInconsistent):
        replay([earn(1, 10, FEB), Entry(2, "spend", -11)])
    with pytest.raises(LedgerInconsistent):
        replay([earn(1, 10, FEB), Entry(2, "expire", -11, lot_id=1)])
    with pytest.raises(LedgerInconsistent):
        replay([Entry(1, "expire", -1, lot_id=7)])
    with pytest.raises(LedgerInconsistent):
        replay([Entry(1, "earn", 10)])  # a lot without an expiry
    with pytest.raises(LedgerInconsistent):
        replay([Entry(1, "gift", 10, FEB)])


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2025, 1, 31, 9, 30, tzinfo=UTC), 1, datetime(2025, 2, 28, 9, 30, tzinfo=UTC)),
        (datetime(2024, 1, 31, tzinfo=UTC), 1, datetime(2024, 2, 29, tzinfo=UTC)),  # a leap year
        (datetime(2024, 2, 29, tzinfo=UTC), 12, datetime(2025, 2, 28, tzinfo=UTC)),
        (datetime(2025, 3, 31, tzinfo=UTC), 1, datetime(2025, 4, 30, tzinfo=UTC)),
        (datetime(2025, 11, 15, tzinfo=UTC), 3, datetime(2026, 2, 15, tzinfo=UTC)),
        (datetime(2025, 12, 31, tzinfo=UTC), 12, datetime(2026, 12, 31, tzinfo=UTC)),
        (datetime(2025, 5, 10, tzinfo=UTC), 120, datetime(2035, 5, 10, tzinfo=UTC)),
    ],
)
def test_months_are_calendar_months_with_the_day_clamped(start, months, expected):
    assert add_months(start, months) == expected


@pytest.mark.parametrize(
    ("points", "per_unit", "value"),
    [
        (150, 100, "1.50"),
        (155, 150, "1.03"),  # 1.0333… rounded down
        (199, 100, "1.99"),
        (1, 100, "0.01"),
        (1, 150, "0.00"),  # less than a cent is worth nothing
        (0, 100, "0.00"),
        (2, 3, "0.66"),  # 0.666… never rounded up
        (10_000_000, 1, "10000000.00"),
    ],
)
def test_points_are_worth_their_value_rounded_down_to_the_cent(points, per_unit, value):
    assert points_value(points, per_unit) == Decimal(value)
    assert str(points_value(points, per_unit)) == value


def test_points_have_no_value_without_a_positive_rate():
    with pytest.raises(ValueError):
        points_value(100, 0)
