"""The loyalty effectiveness reports: the repository's figures made into report rows by the rules."""

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.program import repository, rules
from services.analytics.program.repository import Range
from services.analytics.program.schemas import PeriodGrain, RewardDimension, Trend

CUSTOMER_COLUMNS = ("period", "buyers", "new", "repeating", "loyal", "loyal_share")
OUTCOME_COLUMNS = ("allocated", "redeemed", "voided", "expired", "open", "redemption_ratio")
BY_COLUMNS = ("key", "label", *OUTCOME_COLUMNS, "median_hours_to_redemption")
OVER_TIME_COLUMNS = ("period", *OUTCOME_COLUMNS, "redemptions")
HIGHLIGHT_COLUMNS = ("highlight", "product_id", "name", "redeemed", "median_hours_to_redemption")
BOOST_COLUMNS = ("product_id", "name", "units", "units_with_reward", "units_without_reward", "boost")
TREND_COLUMNS = ("product_id", "name", "units_without_reward", "previous_units_without_reward", "change", "change_rate")
LIFT_COLUMNS = (
    "period",
    "redeemers",
    "redeemers_spend_before",
    "redeemers_spend_after",
    "redeemers_lift",
    "comparables",
    "comparables_spend_before",
    "comparables_spend_after",
    "comparables_lift",
    "lift_difference",
)
CLAIM_COLUMNS = (
    "product_id",
    "name",
    "claims",
    "units_before",
    "units_on_day",
    "units_after",
    "units_per_day_before",
    "units_per_claim_day",
    "units_per_day_after",
)
POINT_COLUMNS = ("period", "earned", "adjusted", "spent", "expired", "outstanding", "spent_within_validity_share")


async def customers(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[list[Any]]:
    rows = await repository.customer_kinds(session, span, grain)
    return [[p, b, n, r, loyal, rules.share(loyal, b)] for p, b, n, r, loyal in rows]


def _outcomes(allocated: int, redeemed: int, voided: int, expired: int, open_: int) -> list[Any]:
    return [allocated, redeemed, voided, expired, open_, rules.share(redeemed, allocated)]


async def rewards_by(session: AsyncSession, span: Range, dimension: RewardDimension) -> list[list[Any]]:
    rows = await repository.rewards_by(session, span, dimension)
    return [[key, label, *_outcomes(*figures), median] for key, label, *figures, median in rows]


async def rewards_over_time(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[list[Any]]:
    rows = await repository.rewards_over_time(session, span, grain)
    return [[period, *_outcomes(*figures), redemptions] for period, *figures, redemptions in rows]


async def highlights(session: AsyncSession, span: Range) -> list[list[Any]]:
    products = [
        rules.Rewarded(product_id, name, redeemed, median)
        for product_id, name, redeemed, median in await repository.redeemed_products(session, span)
    ]
    return [[kind, p.product_id, p.name, p.redeemed, p.median_hours] for kind, p in rules.highlights(products)]


async def product_boost(session: AsyncSession, span: Range, limit: int) -> list[list[Any]]:
    rows = [
        [product_id, name, units, rewarded, units - rewarded, rules.boost(rewarded, units)]
        for product_id, name, units, rewarded in await repository.units_with_reward(session, span)
    ]

    # Boosted products first, most boosted first; then those sold only with a reward, most first; then the rest.
    def order(row: list[Any]) -> tuple[int, Decimal, int, int]:
        boosted, rewarded = row[5], row[3]
        group = 0 if boosted else 1 if rewarded else 2
        return group, -(boosted or Decimal(0)), -rewarded, row[0]

    rows.sort(key=order)
    return rows[:limit]


async def trending(session: AsyncSession, span: Range, trend: Trend, limit: int) -> list[list[Any]]:
    assert span.date_from is not None and span.date_to is not None
    start, end = rules.previous_period(span.date_from, span.date_to)
    rows = [
        [product_id, name, now, before, now - before, rules.share(now - before, before)]
        for product_id, name, now, before in await repository.units_without_reward(session, span, Range(start, end))
    ]
    sign = -1 if trend is Trend.TRENDING else 1
    rows.sort(key=lambda r: (sign * r[4], r[0]))
    return rows[:limit]


async def sales_lift(session: AsyncSession, span: Range, grain: PeriodGrain, days: int) -> list[list[Any]]:
    groups: dict[Any, dict[str, tuple[int, Decimal, Decimal]]] = defaultdict(dict)
    for period, group, count, before, after in await repository.sales_lift(session, span, grain, days):
        groups[period][group] = (int(count), Decimal(before), Decimal(after))
    rows = []
    zero = (0, Decimal(0), Decimal(0))
    for period in sorted(groups):
        figures: list[Any] = [period]
        lifts = []
        for group in ("redeemers", "comparables"):
            count, before, after = groups[period].get(group, zero)
            mean_before, mean_after = rules.mean(before, count), rules.mean(after, count)
            lifts.append(rules.difference(mean_after, mean_before))
            figures += [count, mean_before, mean_after, lifts[-1]]
        figures.append(rules.difference(lifts[0], lifts[1]))
        rows.append(figures)
    return rows


async def around_claims(session: AsyncSession, span: Range, days: int) -> list[list[Any]]:
    return [
        [
            product_id,
            name,
            claims,
            before,
            on_day,
            after,
            rules.mean(before, claims * days),
            rules.mean(on_day, claims),
            rules.mean(after, claims * days),
        ]
        for product_id, name, claims, before, on_day, after in await repository.around_claims(session, span, days)
    ]


async def points(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[list[Any]]:
    return [
        [period, earned, adjusted, spent, expired, outstanding, rules.share(spent, spent + expired)]
        for period, earned, adjusted, spent, expired, outstanding in await repository.points(session, span, grain)
    ]
