"""The rules of levels and groups that need no database: months, the level conditions as SQL, the quantile fractions.

The levels themselves are computed in SQL (``repository``) over every customer of a month at once;
this module only turns a program's thresholds into that SQL's conditions and its parameters, so the
rule "each later matching level overrides, every threshold at least, the self-order share more than"
is written in one place.
"""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal
from zoneinfo import ZoneInfo

from services.loyalty.program.rules import LevelThresholds

BANDS = (1, 2, 3, 4)
Group = Literal["promotion", "consistent", "retention"]
GROUPS: tuple[Group, ...] = ("promotion", "consistent", "retention")


def first_of_month(month: date) -> date:
    return date(month.year, month.month, 1)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_end(month: date, zone: ZoneInfo) -> datetime:
    """The instant the month ends in the business time zone: the first instant of the next month."""
    following = next_month(month)
    return datetime(following.year, following.month, 1, tzinfo=zone)


def quantile_fractions(band: int) -> tuple[Decimal, Decimal]:
    """The retention and promotion fractions of ``band``: ``b/10`` and ``(10 − b)/10``, exact decimals.

    Written as decimals (0.7, never 0.1 × 7, which is 0.7000000000000001 in floating point and moves the
    boundary past a customer): PostgreSQL reads the decimal ``0.7`` as the double nearest to it.
    """
    if band not in BANDS:
        raise ValueError(f"band must be one of {BANDS}")
    return Decimal(band) / 10, Decimal(10 - band) / 10


def level_case(levels: Sequence[LevelThresholds], figures: str = "f") -> tuple[str, dict[str, Any]]:
    """A SQL ``CASE`` giving a customer's level from their month's figures (alias ``figures``), and its parameters.

    No figures or a zero volume: level 0. Otherwise the highest level whose every threshold is met (each
    later matching rule overrides the earlier), or none (NULL: a volume strictly between 0 and 1 under
    the default thresholds). Every threshold is "at least", except the self-order share, which must be
    strictly greater; a customer with neither self nor assisted orders has no share and fails it. The
    share is compared in whole numbers (``self × 100 > percent × (self + assisted)``), never as a float.
    """
    f = figures
    whens = [f"WHEN coalesce({f}.volume, 0) = 0 THEN 0"]
    parameters: dict[str, Any] = {}
    for thresholds in sorted(levels, key=lambda t: t.level, reverse=True):
        n = thresholds.level
        conditions = [
            f"{f}.volume >= CAST(:volume_{n} AS numeric)",
            f"{f}.orders >= CAST(:orders_{n} AS integer)",
            f"{f}.brands >= CAST(:brands_{n} AS integer)",
            f"{f}.own_brand_volume >= CAST(:own_brand_volume_{n} AS numeric)",
        ]
        parameters |= {
            f"volume_{n}": thresholds.volume,
            f"orders_{n}": thresholds.orders,
            f"brands_{n}": thresholds.brands,
            f"own_brand_volume_{n}": thresholds.own_brand_volume,
        }
        if thresholds.self_order_share_above is not None:
            conditions.append(
                f"{f}.self_orders + {f}.assisted_orders > 0 AND "
                f"{f}.self_orders * 100 > CAST(:share_{n} AS numeric) * ({f}.self_orders + {f}.assisted_orders)"
            )
            parameters[f"share_{n}"] = thresholds.self_order_share_above
        whens.append(f"WHEN {' AND '.join(conditions)} THEN {n}")
    return "CASE " + " ".join(whens) + " END", parameters


def level_of(
    thresholds: Sequence[LevelThresholds],
    *,
    volume: Decimal,
    orders: int,
    brands: int,
    own_brand_volume: Decimal,
    self_orders: int,
    assisted_orders: int,
) -> int | None:
    """The same rule as ``level_case``, in Python: for the tests and the documentation's examples."""
    if volume == 0:
        return 0
    found: int | None = None
    for t in sorted(thresholds, key=lambda t: t.level):
        share_ok = t.self_order_share_above is None or (
            self_orders + assisted_orders > 0
            and self_orders * 100 > t.self_order_share_above * (self_orders + assisted_orders)
        )
        if (
            volume >= t.volume
            and orders >= t.orders
            and brands >= t.brands
            and own_brand_volume >= t.own_brand_volume
            and share_ok
        ):
            found = t.level
    return found
