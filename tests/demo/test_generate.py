"""The demo generator: the same seed gives the same bytes, and the retailer it makes looks like a real one."""

import csv
from collections import Counter, defaultdict
from datetime import date, datetime
from pathlib import Path

import pytest

from patron.demo.generate import BILLS_PER_CUSTOMER, FILES, build, generate
from tests.demo.levels import levels_reached, monthly_figures


def _rows(folder: Path, kind: str) -> list[dict[str, str]]:
    with (folder / f"{kind}.csv").open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture(scope="module")
def retailer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("retailer")
    generate(folder, customers=2_000, seed=1)
    return folder


def test_the_same_seed_gives_the_same_bytes_and_another_seed_other_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", customers=150, seed=5)
    generate(tmp_path / "b", customers=150, seed=5)
    generate(tmp_path / "c", customers=150, seed=6)
    for kind in FILES:
        assert (tmp_path / "a" / f"{kind}.csv").read_bytes() == (tmp_path / "b" / f"{kind}.csv").read_bytes(), kind
    assert (tmp_path / "a" / "bills.csv").read_bytes() != (tmp_path / "c" / "bills.csv").read_bytes()


@pytest.mark.parametrize("customers", [200, 1_000, 4_000])
def test_bills_grow_in_proportion_to_customers(customers: int) -> None:
    counts = build(customers=customers, seed=2).counts()
    assert counts["customers"] == customers
    assert abs(counts["bills"] - BILLS_PER_CUSTOMER * customers) < 0.1 * BILLS_PER_CUSTOMER * customers


def test_every_reference_resolves_and_every_rate_needed_exists(retailer: Path) -> None:
    stores = {row["store_ref"] for row in _rows(retailer, "stores")}
    assert "0" in stores and len(stores) == 14
    customers = _rows(retailer, "customers")
    refs = {row["customer_ref"] for row in customers}
    assert len({row["username"] for row in customers}) == len(customers)
    assert {row["home_store_ref"] for row in customers} <= stores
    skus = {row["sku"] for row in _rows(retailer, "products")}
    bills = _rows(retailer, "bills")
    assert {row["sku"] for row in bills} <= skus
    assert {row["customer_ref"] for row in bills} - {""} <= refs
    assert {row["store_ref"] for row in bills} <= stores
    rates = _rows(retailer, "exchange_rates")
    assert {row["currency"] for row in bills} == {"USD", "EUR", "GBP", "CAD", "AUD"}
    days = Counter(row["currency"] for row in rates)
    assert set(days) == {"EUR", "GBP", "CAD", "AUD"} and len(set(days.values())) == 1  # daily, all four
    for currency in days:
        dates = sorted(row["date"] for row in rates if row["currency"] == currency)
        # a rate on or before every bill's day, and every day of the three years
        assert dates[0] < min(row["ordered_at"][:10] for row in bills if row["currency"] == currency)
        assert len(dates) == len(set(dates)) == (date.fromisoformat(dates[-1]) - date.fromisoformat(dates[0])).days + 1


def test_the_bills_follow_seasons_and_weekdays_over_three_years(retailer: Path) -> None:
    heads = {row["bill"]: row for row in _rows(retailer, "bills")}.values()
    moments = [datetime.fromisoformat(row["ordered_at"].replace("Z", "+00:00")) for row in heads]
    months = Counter((m.year, m.month) for m in moments)
    # Three years of local days; a few evenings west of UTC land on the next UTC day.
    assert [m for m, n in sorted(months.items()) if n > 10] == [
        (y, m) for y in (2023, 2024, 2025) for m in range(1, 13)
    ]
    assert min(months) >= (2022, 12) and max(months) <= (2026, 1)
    for year in (2023, 2024, 2025):
        ordinary = sum(months[year, month] for month in range(1, 11)) / 10
        assert months[year, 12] > 1.5 * ordinary, (year, months[year, 12], ordinary)
        assert months[year, 2] < ordinary
    assert sum(months[2025, m] for m in range(1, 13)) > sum(months[2023, m] for m in range(1, 13))  # growth
    weekdays = Counter(m.weekday() for m in moments)
    assert weekdays[5] > 1.3 * weekdays[1]  # Saturdays are busier than Tuesdays


def test_customers_buy_with_a_skewed_frequency_in_both_channels(retailer: Path) -> None:
    heads = list({row["bill"]: row for row in _rows(retailer, "bills")}.values())
    per_customer = Counter(row["customer_ref"] for row in heads if row["customer_ref"])
    customers = len(_rows(retailer, "customers"))
    assert customers - len(per_customer) > 0.05 * customers  # some registered and never bought
    repeat = sum(1 for n in per_customer.values() if n >= 2)
    assert repeat > 0.5 * len(per_customer)
    top = sorted(per_customer.values(), reverse=True)[: len(per_customer) // 10]
    assert sum(top) > 0.35 * sum(per_customer.values())  # the best tenth place over a third of the bills
    guests = sum(1 for row in heads if not row["customer_ref"])
    assert 0.05 * len(heads) < guests < 0.12 * len(heads)
    channels = Counter(row["channel"] for row in heads)
    assert 0.2 < channels["self"] / len(heads) < 0.8
    assert all(row["channel"] == "self" for row in heads if row["store_ref"] == "0")
    lines = Counter(row["bill"] for row in _rows(retailer, "bills"))
    assert 1.5 < sum(lines.values()) / len(lines) < 4


def test_some_bills_are_cancelled_and_some_lines_come_back_later(retailer: Path) -> None:
    bills = _rows(retailer, "bills")
    heads = {row["bill"]: row for row in bills}
    quantity = {(row["bill"], row["line"]): int(row["quantity"]) for row in bills}
    cancellations = _rows(retailer, "cancellations")
    returns = _rows(retailer, "returns")
    assert 0.015 * len(heads) < len(cancellations) < 0.04 * len(heads)
    returned_bills = {row["bill"] for row in returns}
    assert 0.03 * len(heads) < len(returned_bills) < 0.1 * len(heads)
    assert not returned_bills & {row["bill"] for row in cancellations}
    for row in returns:
        assert 0 < int(row["quantity"]) <= quantity[row["bill"], row["line"]]
        assert row["returned_at"] > heads[row["bill"]]["ordered_at"]
    for row in cancellations:
        assert row["cancelled_at"] > heads[row["bill"]]["ordered_at"]


def test_customers_have_the_fields_patron_keeps(retailer: Path) -> None:
    customers = _rows(retailer, "customers")
    assert all(row["email"].endswith(("@example.com", "@example.org", "@example.net")) for row in customers)
    genders = Counter(row["gender"] for row in customers)
    assert set(genders) == {"Female", "Male"}
    ages = [2025 - date.fromisoformat(row["birth_date"]).year for row in customers]
    assert min(ages) >= 17 and 30 < sum(ages) / len(ages) < 55
    consent = sum(row["marketing_consent"] == "true" for row in customers) / len(customers)
    assert 0.5 < consent < 0.75
    assert len({row["country"] for row in customers}) == 7
    products = _rows(retailer, "products")
    assert len({row["brand"] for row in products}) >= 45
    assert 0.05 < sum(row["own_brand"] == "true" for row in products) / len(products) < 0.2
    assert all(0 < float(row["unit_cost"]) < float(row["unit_price"]) for row in products)


@pytest.mark.parametrize(("customers", "seed"), [(300, 1), (2_000, 1), (2_000, 9)])
def test_customers_reach_every_loyalty_level_in_some_month(tmp_path: Path, customers: int, seed: int) -> None:
    """SPEC §3.2's thresholds applied to monthly figures computed from the files: levels 0 to 5 all occur."""
    generate(tmp_path, customers=customers, seed=seed)
    reached = levels_reached(tmp_path)
    assert set(reached) == {0, 1, 2, 3, 4, 5}, reached
    assert reached[1] > reached[2] and reached[1] > reached[5]  # the top levels are rare
    top = [f for f in monthly_figures(tmp_path).values() if f.level() == 5]
    assert all(len(f.brands) >= 40 and len(f.orders) >= 12 and f.self_share > 0.6 for f in top)


def test_the_default_demos_busiest_month_has_customers_at_every_level(tmp_path: Path) -> None:
    """``patron demo`` as it runs by default: in its busiest month (the most bills), levels 0 to 5 all occur,
    computed from the files; the service's levels agree with these (tests/demo/test_demo_command.py)."""
    generate(tmp_path)
    bills: dict[str, set[str]] = defaultdict(set)
    for row in _rows(tmp_path, "bills"):
        bills[row["ordered_at"][:7]].add(row["bill"])
    busiest = max(bills, key=lambda month: len(bills[month]))
    figures = {ref: f for (ref, month), f in monthly_figures(tmp_path).items() if month == busiest}
    levels = Counter(
        figures[row["customer_ref"]].level() if row["customer_ref"] in figures else 0
        for row in _rows(tmp_path, "customers")
    )
    assert {level for level, n in levels.items() if level is not None and n} == {0, 1, 2, 3, 4, 5}, (busiest, levels)
