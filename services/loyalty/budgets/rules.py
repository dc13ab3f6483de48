"""The rounding of a budget allocation (SPEC §3.4), as pure functions: exact money, allocated + unspent = amount.

In this order: the levels' shares of the amount by their volume, to the cent by largest remainder
(equal remainders: the lower level first); each level's promotion half its share halved and rounded
down to the cent, the retention half the rest; each group's half shared equally among its
customers, to the cent by largest remainder, the leftover cents to the lowest customer ids. A level
that is not selected, or whose promotion or retention group is empty, spends nothing: its share is
reported unspent. Level 0 shares the level-0 amount equally, the same way.

The per-customer split is done in SQL for a whole month at once (``budgets.repository``), with the
same rule as ``equal_shares`` here: every customer ``cents // n``, and one cent more for the first
``cents % n`` customers by id.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from services.kit.money import CENT, share_cents

LEVELS = (1, 2, 3, 4, 5)
ZERO = Decimal("0.00")


def to_cents(amount: Decimal) -> int:
    """An amount to the cent as a whole number of cents."""
    cents = amount / CENT
    if cents != cents.to_integral_value():
        raise ValueError(f"{amount} is not to the cent")
    return int(cents)


def level_shares(amount: Decimal, volumes: Sequence[Decimal]) -> list[Decimal]:
    """``amount`` split over the levels in proportion to their volumes (levels in ascending order), by largest
    remainder, equal remainders to the lower level; no volume at all: nothing for anyone."""
    if sum(volumes, Decimal(0)) <= 0:
        return [ZERO for _ in volumes]
    return share_cents(amount, volumes)


def halves(share: Decimal) -> tuple[Decimal, Decimal]:
    """A level's share as its promotion half (halved, rounded down to the cent) and its retention half (the rest)."""
    promotion = (share / 2).quantize(CENT, rounding=ROUND_FLOOR)
    return promotion, share - promotion


def equal_shares(amount: Decimal, count: int) -> list[Decimal]:
    """``amount`` shared equally by ``count`` customers in ascending id order, the leftover cents to the first ones."""
    if count <= 0:
        raise ValueError("no one to share with")
    each, left = divmod(to_cents(amount), count)
    return [Decimal(each + (1 if i < left else 0)) * CENT for i in range(count)]


@dataclass(frozen=True)
class LevelStats:
    """What the allocation needs of one level of a month: its volume and the size of its groups."""

    level: int
    volume: Decimal
    customers: int
    promotion: int = 0
    consistent: int = 0
    retention: int = 0


@dataclass(frozen=True)
class LevelBudget:
    """What one level receives: its share, the two halves paid (zero when unspent), allocated and unspent."""

    level: int
    selected: bool
    volume: Decimal
    customers: int
    promotion_customers: int
    consistent_customers: int
    retention_customers: int
    share: Decimal
    promotion_amount: Decimal
    retention_amount: Decimal
    allocated: Decimal
    unspent: Decimal


@dataclass(frozen=True)
class BudgetPlan:
    levels: list[LevelBudget]  # level 0 first, then 1 to 5
    allocated: Decimal  # of the amount (levels 1 to 5)
    unspent: Decimal
    level0_allocated: Decimal
    level0_unspent: Decimal

    def pools(self) -> list[tuple[int, str, Decimal, int]]:
        """Every (level, group, amount, customers) to share equally among the group's customers."""
        found: list[tuple[int, str, Decimal, int]] = []
        for budget in self.levels:
            if budget.level == 0:
                if budget.allocated > 0:
                    found.append((0, "level0", budget.allocated, budget.customers))
            elif budget.allocated > 0:
                found.append((budget.level, "promotion", budget.promotion_amount, budget.promotion_customers))
                found.append((budget.level, "retention", budget.retention_amount, budget.retention_customers))
        return found


def plan_budget(
    *, amount: Decimal, level0_amount: Decimal, selected: Sequence[int], stats: Sequence[LevelStats]
) -> BudgetPlan:
    """Each level's share and halves, what is allocated and what is unspent, for levels 0 to 5.

    Every level's share is its share of the whole month's volume (levels 1 to 5), selected or not;
    the shares of levels not selected, or with an empty promotion or retention group, are unspent.
    """
    by_level = {s.level: s for s in stats}
    ordered = [by_level.get(level, LevelStats(level, ZERO, 0)) for level in LEVELS]
    shares = level_shares(amount, [s.volume for s in ordered])
    budgets: list[LevelBudget] = []
    zero = by_level.get(0, LevelStats(0, ZERO, 0))
    paid0 = 0 in selected and zero.customers > 0 and level0_amount > 0
    budgets.append(
        LevelBudget(
            level=0,
            selected=0 in selected,
            volume=zero.volume,
            customers=zero.customers,
            promotion_customers=0,
            consistent_customers=0,
            retention_customers=0,
            share=level0_amount,
            promotion_amount=ZERO,
            retention_amount=ZERO,
            allocated=level0_amount if paid0 else ZERO,
            unspent=ZERO if paid0 else level0_amount,
        )
    )
    for s, share in zip(ordered, shares, strict=True):
        paid = s.level in selected and s.promotion > 0 and s.retention > 0 and share > 0
        promotion, retention = halves(share) if paid else (ZERO, ZERO)
        budgets.append(
            LevelBudget(
                level=s.level,
                selected=s.level in selected,
                volume=s.volume,
                customers=s.customers,
                promotion_customers=s.promotion,
                consistent_customers=s.consistent,
                retention_customers=s.retention,
                share=share,
                promotion_amount=promotion,
                retention_amount=retention,
                allocated=share if paid else ZERO,
                unspent=ZERO if paid else share,
            )
        )
    allocated = sum((b.allocated for b in budgets[1:]), ZERO)
    return BudgetPlan(
        levels=budgets,
        allocated=allocated,
        unspent=amount - allocated,
        level0_allocated=budgets[0].allocated,
        level0_unspent=budgets[0].unspent,
    )
