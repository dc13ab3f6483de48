"""The target rules of SPEC §3.5 as pure functions: who gets a target, what it is, and when it is reached."""

from collections.abc import Collection
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from services.kit.money import to_cent

HUNDRED = Decimal(100)


class TargetMode(StrEnum):
    PERCENT = "percent"  # last month's volume × (1 + p/100)
    VALUE = "value"  # last month's volume + v


def target_for(volume: Decimal, mode: TargetMode, amount: Decimal) -> Decimal | None:
    """The month's target for a customer who bought ``volume`` last month, rounded half-up to the cent.

    None when no target is set: a zero percent or value (nothing to reach beyond last month), or a
    zero volume last month (nothing to grow from).
    """
    if volume <= 0 or amount <= 0:
        return None
    if mode is TargetMode.PERCENT:
        return to_cent(volume * (HUNDRED + amount) / HUNDRED)
    return to_cent(volume + amount)


def in_band(volume: Decimal, lower: Decimal, upper: Decimal | None) -> bool:
    """``lower ≤ volume < upper``; no upper limit when ``upper`` is None."""
    return volume >= lower and (upper is None or volume < upper)


def selected(level: int | None, levels: Collection[int] | None) -> bool:
    """Whether a customer at ``level`` last month is chosen: any customer when no levels are named."""
    return levels is None or (level is not None and level in levels)


def reached(month_to_date: Decimal, target: Decimal) -> bool:
    """A target is reached when the month-to-date volume of live purchases is at least the target."""
    return month_to_date >= target


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def previous_month(month: date) -> date:
    """The first day of the month before ``month`` (itself a first day)."""
    return (month.replace(day=1) - timedelta(days=1)).replace(day=1)
