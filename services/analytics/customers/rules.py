"""The customer reports' arithmetic: shares, rates and month offsets, with no database."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

RATE = Decimal("0.0001")
CENT = Decimal("0.01")


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """``part / whole`` to four places (0.2500 is a quarter), half-up; none of nothing."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(RATE, rounding=ROUND_HALF_UP)


def per(amount: int | Decimal, count: int) -> Decimal | None:
    """``amount / count`` to the cent, half-up (revenue per customer, orders per customer); none of nobody."""
    if count == 0:
        return None
    return (Decimal(amount) / count).quantize(CENT, rounding=ROUND_HALF_UP)


def months_between(start: date, later: date) -> int:
    """Whole calendar months from ``start``'s month to ``later``'s: a cohort's month offset (0 is its own)."""
    return (later.year - start.year) * 12 + later.month - start.month
