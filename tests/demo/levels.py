"""Monthly loyalty figures and levels computed straight from the demo's files, as SPEC §3.2 defines them.

Independent of the generator: it reads only the CSV files. Unit prices in the bills file are in the
base currency, so a line's base amount is ``round(unit_price × quantity, 2)``; a return gives back
the returned share of the line, to the cent (the whole line when every unit comes back); a
cancelled bill counts in no figure. Months are calendar months in UTC (the default business time
zone).
"""

import csv
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Thresholds:
    volume: Decimal
    orders: int = 0
    brands: int = 0
    own_brand_volume: Decimal = Decimal(0)
    self_share: Decimal | None = None  # strictly greater than


# SPEC §3.2's table, levels 1 to 5 (level 0: an active customer with no purchase in the month).
LEVELS = {
    1: Thresholds(Decimal(1)),
    2: Thresholds(Decimal(10_000), 3, 5),
    3: Thresholds(Decimal(20_000), 5, 10, Decimal(2_000)),
    4: Thresholds(Decimal(30_000), 8, 20, Decimal(8_000), Decimal("0.30")),
    5: Thresholds(Decimal(75_000), 12, 40, Decimal(15_000), Decimal("0.60")),
}


@dataclass
class MonthFigures:
    volume: Decimal = Decimal(0)
    own_brand_volume: Decimal = Decimal(0)
    brands: set[str] = field(default_factory=set)
    orders: set[str] = field(default_factory=set)
    self_orders: set[str] = field(default_factory=set)

    @property
    def self_share(self) -> Decimal:
        return Decimal(len(self.self_orders)) / len(self.orders) if self.orders else Decimal(0)

    def level(self) -> int | None:
        if not self.orders or self.volume == 0:
            return 0
        reached = None
        for level, need in LEVELS.items():
            if (
                self.volume >= need.volume
                and len(self.orders) >= need.orders
                and len(self.brands) >= need.brands
                and self.own_brand_volume >= need.own_brand_volume
                and (need.self_share is None or self.self_share > need.self_share)
            ):
                reached = level
        return reached


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_figures(folder: Path) -> dict[tuple[str, str], MonthFigures]:
    """(customer ref, ``YYYY-MM``) -> the month's figures, for every customer month with a bill."""
    products = {row["sku"]: row for row in _read(folder / "products.csv")}
    cancelled = {row["bill"] for row in _read(folder / "cancellations.csv")}
    returned: dict[tuple[str, str], int] = defaultdict(int)
    for row in _read(folder / "returns.csv"):
        returned[row["bill"], row["line"]] += int(row["quantity"])
    figures: dict[tuple[str, str], MonthFigures] = defaultdict(MonthFigures)
    for row in _read(folder / "bills.csv"):
        if not row["customer_ref"] or row["bill"] in cancelled:
            continue
        month = figures[row["customer_ref"], row["ordered_at"][:7]]
        quantity = int(row["quantity"])
        total = _cents(Decimal(row["unit_price"]) * quantity)
        back = returned.get((row["bill"], row["line"]), 0)
        net = total - (total if back == quantity else _cents(total * back / quantity))
        product = products[row["sku"]]
        month.volume += net
        if product["own_brand"] == "true":
            month.own_brand_volume += net
        if back < quantity:
            month.brands.add(product["brand"])
        month.orders.add(row["bill"])
        if row["channel"] == "self":
            month.self_orders.add(row["bill"])
    return dict(figures)


def levels_reached(folder: Path) -> dict[int, int]:
    """Level -> customer months at it (level 0: customer months without a purchase, in the bills' months)."""
    figures = monthly_figures(folder)
    customers = [row["customer_ref"] for row in _read(folder / "customers.csv")]
    months = sorted({month for _, month in figures})
    counts: dict[int, int] = defaultdict(int)
    for customer in customers:
        for month in months:
            found = figures.get((customer, month))
            level = 0 if found is None else found.level()
            if level is not None:
                counts[level] += 1
    return dict(sorted(counts.items()))
