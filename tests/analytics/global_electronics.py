"""The analytics reports' figures for the Global Electronics dataset, straight from its raw files.

Nothing here comes from Patron's code: the figures are what docs/analytics.md says the reports show,
computed from the CSV files with the SPEC's rules (revenue = quantity × Unit Price USD; cost = quantity
× Unit Cost USD; the local price of a line is the unit price × the day's rate rounded half-up to the
cent, times the quantity; store 0 is the online shop; a line's country is its customer's).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from tests.imports.test_global_electronics import _month_first, _rows, _usd

CENT = Decimal("0.01")
RATE = Decimal("0.0001")
ONLINE_STORE_KEY = "0"


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def rate(part: int | Decimal, whole: int | Decimal) -> Decimal:
    """A share to four places, half-up (0.2500 is a quarter)."""
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def months_between(start: date, later: date) -> int:
    return (later.year - start.year) * 12 + later.month - start.month


@dataclass
class Sales:
    """Revenue, cost, units and orders of a set of sales lines (and, per currency, the local revenue)."""

    revenue: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    local_revenue: Decimal = Decimal(0)
    units: int = 0
    order_numbers: set[str] = field(default_factory=set)
    first_day: date | None = None
    last_day: date | None = None

    @property
    def orders(self) -> int:
        return len(self.order_numbers)

    @property
    def margin(self) -> Decimal:
        return self.revenue - self.cost

    @property
    def average_order_value(self) -> Decimal:
        return cents(self.revenue / self.orders)

    def add(self, order: str, day: date, quantity: int, price: Decimal, cost: Decimal, local_price: Decimal) -> None:
        self.first_day = min(self.first_day or day, day)
        self.last_day = max(self.last_day or day, day)
        self.revenue += quantity * price
        self.cost += quantity * cost
        self.local_revenue += quantity * local_price
        self.units += quantity
        self.order_numbers.add(order)

    def row(self) -> dict[str, Any]:
        """The figures every sales report row carries, as the JSON reply spells them."""
        return {
            "revenue": str(cents(self.revenue)),
            "cost": str(cents(self.cost)),
            "margin": str(cents(self.margin)),
            "units": self.units,
            "orders": self.orders,
            "average_order_value": str(self.average_order_value),
        }


def age_on(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def age_band(age: int) -> str:
    if age < 10:
        return "under 10"
    if age >= 60:
        return "60 and above"
    return f"{age // 10 * 10}-{age // 10 * 10 + 9}"


@dataclass
class Figures:
    total: Sales
    by_currency: dict[str, Sales]
    by_category: dict[str, Sales]
    by_subcategory: dict[str, Sales]
    by_brand: dict[str, Sales]
    by_month: dict[date, Sales]  # the month's first day (months of Order Date)
    by_quarter: dict[date, Sales]  # the quarter's first day
    by_year: dict[int, Sales]
    by_month_of_year: dict[int, Sales]  # 1-12
    by_weekday: dict[int, Sales]  # ISO: 1 Monday - 7 Sunday
    by_country: dict[str, Sales]
    by_channel: dict[str, Sales]  # "online" (store 0) and "physical"
    by_product: dict[str, Sales]  # by ProductKey
    by_customer: dict[str, Sales]  # by CustomerKey
    customer_months: dict[str, dict[date, Decimal]]  # CustomerKey -> month -> revenue
    product_names: dict[str, str]
    customer_names: dict[str, str]
    customers: dict[str, Counter[str | None]]  # every customer, per gender, age band, city, ...
    buyers: dict[str, Counter[str | None]]  # the same over the customers with at least one order
    age_bands_on: date

    def top_products(self, count: int = 10) -> list[tuple[str, Decimal]]:
        """ProductKey and revenue of the ``count`` best-selling products by revenue."""
        ranked = sorted(self.by_product.items(), key=lambda item: (-item[1].revenue, int(item[0])))
        return [(key, sales.revenue) for key, sales in ranked[:count]]

    def top_customers(self, count: int = 10) -> list[tuple[str, Decimal]]:
        """CustomerKey and revenue of the ``count`` customers who spent most."""
        ranked = sorted(self.by_customer.items(), key=lambda item: (-item[1].revenue, int(item[0])))
        return [(key, sales.revenue) for key, sales in ranked[:count]]

    def patterns(self) -> dict[str, Any]:
        """The customers who bought: their orders, units, revenue, frequency, and those who came back."""
        customers = len(self.by_customer)
        repeat = sum(1 for sales in self.by_customer.values() if sales.orders >= 2)
        return {
            "customers": customers,
            "orders": self.total.orders,
            "units": self.total.units,
            "revenue": str(cents(self.total.revenue)),
            "average_order_value": str(self.total.average_order_value),
            "purchase_frequency": str(cents(Decimal(self.total.orders) / customers)),
            "repeat_customers": repeat,
            "repeat_share": str(rate(repeat, customers)),
        }

    def new_and_returning(self) -> dict[str, dict[str, Any]]:
        """Per month (its first day): the customers who bought, the new ones (first purchase ever in it), and the
        revenue of each."""
        periods: dict[date, dict[str, Any]] = defaultdict(
            lambda: {"customers": 0, "new": 0, "new_revenue": Decimal(0), "revenue": Decimal(0)}
        )
        for months in self.customer_months.values():
            first = min(months)
            for month, revenue in months.items():
                period = periods[month]
                period["customers"] += 1
                period["revenue"] += revenue
                if month == first:
                    period["new"] += 1
                    period["new_revenue"] += revenue
        return {
            month.isoformat(): {
                "customers": p["customers"],
                "new": p["new"],
                "returning": p["customers"] - p["new"],
                "new_revenue": str(cents(p["new_revenue"])),
                "returning_revenue": str(cents(p["revenue"] - p["new_revenue"])),
                "new_share": str(rate(p["new"], p["customers"])),
            }
            for month, p in periods.items()
        }

    def cohorts(self) -> dict[tuple[str, int], dict[str, Any]]:
        """(cohort, month offset) -> the cohort's customers buying in that month, the cohort's size, the share."""
        cells: Counter[tuple[date, date]] = Counter()
        for months in self.customer_months.values():
            first = min(months)
            cells.update((first, month) for month in months)
        sizes = {cohort: n for (cohort, month), n in cells.items() if cohort == month}
        return {
            (cohort.isoformat(), months_between(cohort, month)): {
                "customers": n,
                "cohort_size": sizes[cohort],
                "retention": str(rate(n, sizes[cohort])),
            }
            for (cohort, month), n in cells.items()
        }

    def online_share(self) -> dict[str, Decimal]:
        """The online shop's share of revenue and of orders (exact fractions)."""
        online = self.by_channel["online"]
        return {
            "revenue": online.revenue / self.total.revenue,
            "orders": Decimal(online.orders) / Decimal(self.total.orders),
        }


@cache
def report_figures(today: date | None = None) -> Figures:
    """The reports' figures from the raw files; age bands as of ``today`` (UTC) like the import's events."""
    today = today or datetime.now(UTC).date()
    products = {row["ProductKey"]: row for row in _rows("Products.csv")}
    customers = {row["CustomerKey"]: row for row in _rows("Customers.csv", "cp1252")}
    rates = _rows("Exchange_Rates.csv")
    rate = {(_month_first(row["Date"]), row["Currency"]): Decimal(row["Exchange"]) for row in rates}
    price = {key: _usd(row["Unit Price USD"]) for key, row in products.items()}
    cost = {key: _usd(row["Unit Cost USD"]) for key, row in products.items()}

    total = Sales()
    groups: dict[str, dict[Any, Sales]] = defaultdict(lambda: defaultdict(Sales))
    buying: set[str] = set()
    customer_months: dict[str, dict[date, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for line in _rows("Sales.csv"):
        key, order, quantity = line["ProductKey"], line["Order Number"], int(line["Quantity"])
        day = _month_first(line["Order Date"])
        currency = line["Currency Code"]
        day_rate = Decimal(1) if currency == "USD" else rate[(day, currency)]
        local_price = cents(price[key] * day_rate)
        product = products[key]
        customer = customers[line["CustomerKey"]]  # every GE line has a known customer
        buying.add(line["CustomerKey"])
        customer_months[line["CustomerKey"]][day.replace(day=1)] += quantity * price[key]
        channel = "online" if line["StoreKey"] == ONLINE_STORE_KEY else "physical"
        figures = (order, day, quantity, price[key], cost[key], local_price)
        total.add(*figures)
        for name, value in (
            ("currency", currency),
            ("category", product["Category"]),
            ("subcategory", product["Subcategory"]),
            ("brand", product["Brand"]),
            ("month", day.replace(day=1)),
            ("quarter", date(day.year, (day.month - 1) // 3 * 3 + 1, 1)),
            ("year", day.year),
            ("month_of_year", day.month),
            ("weekday", day.isoweekday()),
            ("country", customer["Country"]),
            ("channel", channel),
            ("product", key),
            ("customer", line["CustomerKey"]),
        ):
            groups[name][value].add(*figures)

    def distributions(keys: list[str]) -> dict[str, Counter[str | None]]:
        rows = [customers[key] for key in keys]
        # The import keeps genders as customers carry them: "Female" in the file is "female".
        counts: dict[str, Counter[str | None]] = {
            by: Counter((row[column].lower() if by == "gender" else row[column]) or None for row in rows)
            for by, column in (
                ("gender", "Gender"),
                ("city", "City"),
                ("state", "State"),
                ("country", "Country"),
                ("continent", "Continent"),
            )
        }
        counts["age_band"] = Counter(
            age_band(age_on(_month_first(row["Birthday"]), today)) if row["Birthday"] else None for row in rows
        )
        return counts

    return Figures(
        total=total,
        by_currency=dict(groups["currency"]),
        by_category=dict(groups["category"]),
        by_subcategory=dict(groups["subcategory"]),
        by_brand=dict(groups["brand"]),
        by_month=dict(groups["month"]),
        by_quarter=dict(groups["quarter"]),
        by_year=dict(groups["year"]),
        by_month_of_year=dict(groups["month_of_year"]),
        by_weekday=dict(groups["weekday"]),
        by_country=dict(groups["country"]),
        by_channel=dict(groups["channel"]),
        by_product=dict(groups["product"]),
        by_customer=dict(groups["customer"]),
        customer_months={key: dict(months) for key, months in customer_months.items()},
        product_names={key: row["Product Name"] for key, row in products.items()},
        customer_names={key: row["Name"] for key, row in customers.items()},
        customers=distributions(list(customers)),
        buyers=distributions(sorted(buying)),
        age_bands_on=today,
    )
