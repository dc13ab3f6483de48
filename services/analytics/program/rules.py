"""Loyalty effectiveness arithmetic with no database: shares, means, boosts, trends, the sales lift and
the highlights among the rewarded products."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from services.analytics.customers.rules import per
from services.analytics.customers.rules import share as share

# The shares and per-customer means are the customer reports' own: a share to four places, a mean to the cent.
mean = per


def boost(with_reward: int, units: int) -> Decimal | None:
    """Units sold with a reward over units sold without one, to four places; none when none sold without."""
    return share(with_reward, units - with_reward)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period as long as ``date_from``..``date_to`` (both included) that ends the day before it starts."""
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


def difference(after: Decimal | None, before: Decimal | None) -> Decimal | None:
    if after is None or before is None:
        return None
    return after - before


@dataclass(frozen=True)
class Rewarded:
    """A product's redemptions among the rewards in a report's range, and its median time to redemption."""

    product_id: int
    name: str | None
    redeemed: int
    median_hours: Decimal


def highlights(products: Sequence[Rewarded]) -> list[tuple[str, Rewarded]]:
    """The most appealing reward (shortest median time from allocation to redemption; ties: more redeemed,
    then the lower product id) and the most redeemed (ties: the shorter median, then the lower id)."""
    redeemed = [p for p in products if p.redeemed > 0]
    if not redeemed:
        return []
    appealing = min(redeemed, key=lambda p: (p.median_hours, -p.redeemed, p.product_id))
    most = min(redeemed, key=lambda p: (-p.redeemed, p.median_hours, p.product_id))
    return [("most_appealing", appealing), ("most_redeemed", most)]
