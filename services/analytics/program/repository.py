"""The loyalty effectiveness reports' SQL over the reward facts, the wallet entries and the purchase lines.

A line is *sold with a reward* when a reward for its product was redeemed on its bill (and is still
redeemed): the whole line's kept units count, as the loyalty ledger counts them.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.program.schemas import PeriodGrain, RewardDimension

_REWARDED_LINE = """EXISTS (SELECT 1 FROM analytics.reward_fact AS r WHERE r.status = 'redeemed'
    AND r.redeemed_purchase_id = x.purchase_id AND r.product_id = x.product_id)"""
_KEPT = "(x.quantity - x.returned_quantity)"


@dataclass(frozen=True)
class Range:
    date_from: date | None = None
    date_to: date | None = None

    def on(self, column: str) -> str:
        """The range's conditions on a date column."""
        conditions = []
        if self.date_from is not None:
            conditions.append(f"{column} >= CAST(:date_from AS date)")
        if self.date_to is not None:
            conditions.append(f"{column} <= CAST(:date_to AS date)")
        return " AND ".join(conditions) or "true"

    @property
    def parameters(self) -> dict[str, Any]:
        return {"date_from": self.date_from, "date_to": self.date_to}


def _period(column: str, grain: PeriodGrain) -> str:
    return f"CAST(date_trunc('{grain.value}', {column}) AS date)"


_LENGTH = {
    PeriodGrain.WEEK: "7 days",
    PeriodGrain.MONTH: "1 month",
    PeriodGrain.QUARTER: "3 months",
    PeriodGrain.YEAR: "1 year",
}


def _period_end(period: str, grain: PeriodGrain) -> str:
    return f"CAST({period} + interval '{_LENGTH[grain]}' - interval '1 day' AS date)"


def _until(period: str, grain: PeriodGrain) -> str:
    """A period's last day, or the range's last day when that comes first."""
    return f"least({_period_end(period, grain)}, coalesce(CAST(:date_to AS date), CAST('infinity' AS date)))"


async def _rows(session: AsyncSession, sql: str, parameters: dict[str, Any]) -> list[Any]:
    return list((await session.execute(text(sql), parameters)).all())


async def customer_kinds(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[Any]:
    """Per period: its buyers, and of them the new (one visit so far), repeating (several, no redemption
    so far) and loyal (a redemption so far), "so far" being the period's last day (or the range's)."""
    sql = f"""
        WITH buyers AS (
            SELECT DISTINCT {_period("x.day", grain)} AS period, x.customer_id
            FROM analytics.sale_line AS x
            WHERE x.status = 'recorded' AND x.customer_id IS NOT NULL AND {span.on("x.day")}
        ), classed AS (
            SELECT b.period,
                   (SELECT count(DISTINCT l.purchase_id) FROM analytics.sale_line AS l
                    WHERE l.customer_id = b.customer_id AND l.status = 'recorded'
                      AND l.day <= {_until("b.period", grain)}) AS visits,
                   EXISTS (SELECT 1 FROM analytics.reward_fact AS r
                           WHERE r.customer_id = b.customer_id AND r.status = 'redeemed'
                             AND r.redeemed_day <= {_until("b.period", grain)}) AS loyal
            FROM buyers AS b
        )
        SELECT period, count(*) AS buyers,
               count(*) FILTER (WHERE NOT loyal AND visits <= 1) AS new,
               count(*) FILTER (WHERE NOT loyal AND visits > 1) AS repeating,
               count(*) FILTER (WHERE loyal) AS loyal
        FROM classed GROUP BY period ORDER BY period
    """
    return await _rows(session, sql, span.parameters)


_OUTCOMES = """count(*) AS allocated,
    count(*) FILTER (WHERE x.status = 'redeemed') AS redeemed,
    count(*) FILTER (WHERE x.status = 'voided') AS voided,
    count(*) FILTER (WHERE x.status = 'expired') AS expired,
    count(*) FILTER (WHERE x.status = 'allocated') AS open"""

_MEDIAN_HOURS = """round(CAST(percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM x.redeemed_at - x.allocated_at)) FILTER (WHERE x.status = 'redeemed')
    AS numeric) / 3600, 2)"""


async def rewards_by(session: AsyncSession, span: Range, dimension: RewardDimension) -> list[Any]:
    """The rewards allocated in the range per category or product, with what became of them."""
    if dimension is RewardDimension.CATEGORY:
        key, label, join = "x.category", "CASE WHEN x.category = 0 THEN 'gift' ELSE 'category ' || x.category END", ""
    else:
        key, label, join = "x.product_id", "p.name", "LEFT JOIN analytics.product AS p ON p.id = x.product_id"
    sql = f"""
        SELECT {key} AS key, {label} AS label, {_OUTCOMES}, {_MEDIAN_HOURS} AS median_hours
        FROM analytics.reward_fact AS x {join}
        WHERE {span.on("x.allocated_day")}
        GROUP BY 1, 2 ORDER BY allocated DESC, key
    """
    return await _rows(session, sql, span.parameters)


async def rewards_over_time(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[Any]:
    """Per period: the rewards allocated in it and what became of them, and the redemptions made in it."""
    sql = f"""
        WITH allocated AS (
            SELECT {_period("x.allocated_day", grain)} AS period, {_OUTCOMES}
            FROM analytics.reward_fact AS x WHERE {span.on("x.allocated_day")} GROUP BY 1
        ), redemptions AS (
            SELECT {_period("x.redeemed_day", grain)} AS period, count(*) AS redemptions
            FROM analytics.reward_fact AS x WHERE x.status = 'redeemed' AND {span.on("x.redeemed_day")} GROUP BY 1
        )
        SELECT period, coalesce(a.allocated, 0), coalesce(a.redeemed, 0), coalesce(a.voided, 0),
               coalesce(a.expired, 0), coalesce(a.open, 0), coalesce(r.redemptions, 0)
        FROM allocated AS a FULL JOIN redemptions AS r USING (period)
        ORDER BY period
    """
    return await _rows(session, sql, span.parameters)


async def redeemed_products(session: AsyncSession, span: Range) -> list[Any]:
    """Each product's redemptions among the rewards allocated in the range, and the median hours to them."""
    sql = f"""
        SELECT x.product_id, p.name, count(*) AS redeemed, {_MEDIAN_HOURS} AS median_hours
        FROM analytics.reward_fact AS x LEFT JOIN analytics.product AS p ON p.id = x.product_id
        WHERE x.status = 'redeemed' AND {span.on("x.allocated_day")}
        GROUP BY 1, 2
    """
    return await _rows(session, sql, span.parameters)


async def units_with_reward(session: AsyncSession, span: Range) -> list[Any]:
    """Each product sold in the range: its units kept, and those on lines sold with a reward."""
    sql = f"""
        SELECT x.product_id, p.name, CAST(sum({_KEPT}) AS bigint) AS units,
               CAST(coalesce(sum({_KEPT}) FILTER (WHERE {_REWARDED_LINE}), 0) AS bigint) AS with_reward
        FROM analytics.sale_line AS x LEFT JOIN analytics.product AS p ON p.id = x.product_id
        WHERE x.status = 'recorded' AND {span.on("x.day")}
        GROUP BY 1, 2
    """
    return await _rows(session, sql, span.parameters)


async def units_without_reward(session: AsyncSession, current: Range, previous: Range) -> list[Any]:
    """Each product's units sold without a reward in the current and the previous period."""
    sql = f"""
        SELECT x.product_id, p.name,
               CAST(coalesce(sum({_KEPT}) FILTER (WHERE x.day >= CAST(:date_from AS date)), 0) AS bigint),
               CAST(coalesce(sum({_KEPT}) FILTER (WHERE x.day < CAST(:date_from AS date)), 0) AS bigint)
        FROM analytics.sale_line AS x LEFT JOIN analytics.product AS p ON p.id = x.product_id
        WHERE x.status = 'recorded' AND x.day >= CAST(:previous_from AS date) AND x.day <= CAST(:date_to AS date)
          AND NOT {_REWARDED_LINE}
        GROUP BY 1, 2
    """
    return await _rows(session, sql, {**current.parameters, "previous_from": previous.date_from})


async def sales_lift(session: AsyncSession, span: Range, grain: PeriodGrain, days: int) -> list[Any]:
    """Per period and group (redeemers, comparables): customers, and their spend before and after the anchor."""
    sql = f"""
        WITH first_redemption AS (
            SELECT customer_id, min(redeemed_day) AS day FROM analytics.reward_fact
            WHERE status = 'redeemed' GROUP BY customer_id
        ), members AS (
            SELECT 'redeemers' AS grp, {_period("f.day", grain)} AS period, f.customer_id, f.day AS anchor
            FROM first_redemption AS f WHERE {span.on("f.day")}
            UNION ALL
            SELECT 'comparables', g.period, g.customer_id, g.anchor
            FROM (SELECT {_period("x.day", grain)} AS period, x.customer_id, min(x.day) AS anchor
                  FROM analytics.sale_line AS x
                  WHERE x.status = 'recorded' AND x.customer_id IS NOT NULL AND {span.on("x.day")}
                  GROUP BY 1, 2) AS g
            LEFT JOIN first_redemption AS f ON f.customer_id = g.customer_id
            WHERE f.day IS NULL OR f.day > {_period_end("g.period", grain)} + CAST(:days AS integer)
        ), spend AS (
            SELECT m.grp, m.period,
                   (SELECT coalesce(sum(l.base_amount - l.base_returned), 0) FROM analytics.sale_line AS l
                    WHERE l.customer_id = m.customer_id AND l.status = 'recorded'
                      AND l.day >= m.anchor - CAST(:days AS integer) AND l.day < m.anchor) AS before,
                   (SELECT coalesce(sum(l.base_amount - l.base_returned), 0) FROM analytics.sale_line AS l
                    WHERE l.customer_id = m.customer_id AND l.status = 'recorded'
                      AND l.day >= m.anchor AND l.day < m.anchor + CAST(:days AS integer)) AS after
            FROM members AS m
        )
        SELECT period, grp, count(*), sum(before), sum(after) FROM spend GROUP BY 1, 2 ORDER BY 1, 2
    """
    return await _rows(session, sql, {**span.parameters, "days": days})


async def around_claims(session: AsyncSession, span: Range, days: int) -> list[Any]:
    """Per product redeemed in the range: its claims, and the units of it sold (by anyone) in the ``days``
    before each claim, on its day and in the ``days`` after, added over its claims."""
    units = (
        "(SELECT coalesce(sum(d.units), 0) FROM analytics.sales_daily AS d WHERE d.product_id = c.product_id AND {})"
    )
    sql = f"""
        WITH claim AS (
            SELECT x.product_id, x.redeemed_day AS day FROM analytics.reward_fact AS x
            WHERE x.status = 'redeemed' AND {span.on("x.redeemed_day")}
        ), sold AS (
            SELECT c.product_id,
                   {units.format("d.day >= c.day - CAST(:days AS integer) AND d.day < c.day")} AS before,
                   {units.format("d.day = c.day")} AS on_day,
                   {units.format("d.day > c.day AND d.day <= c.day + CAST(:days AS integer)")} AS after
            FROM claim AS c
        )
        SELECT s.product_id, p.name, count(*) AS claims, CAST(sum(s.before) AS bigint),
               CAST(sum(s.on_day) AS bigint), CAST(sum(s.after) AS bigint)
        FROM sold AS s LEFT JOIN analytics.product AS p ON p.id = s.product_id
        GROUP BY 1, 2 ORDER BY claims DESC, s.product_id
    """
    return await _rows(session, sql, {**span.parameters, "days": days})


async def points(session: AsyncSession, span: Range, grain: PeriodGrain) -> list[Any]:
    """Per period: points earned, adjusted (signed), spent (net of refunds) and expired, and the points
    outstanding at its end (every wallet's balance added up, from the first entry on)."""
    sql = f"""
        WITH moves AS (
            SELECT {_period("x.day", grain)} AS period,
                   coalesce(sum(x.points) FILTER (WHERE x.kind = 'earn'), 0) AS earned,
                   coalesce(sum(x.points) FILTER (WHERE x.kind = 'adjust'), 0) AS adjusted,
                   -coalesce(sum(x.points) FILTER (WHERE x.kind IN ('spend', 'refund')), 0) AS spent,
                   -coalesce(sum(x.points) FILTER (WHERE x.kind = 'expire'), 0) AS expired
            FROM analytics.wallet_entry AS x WHERE {span.on("x.day")} GROUP BY 1
        )
        SELECT m.period, CAST(m.earned AS bigint), CAST(m.adjusted AS bigint), CAST(m.spent AS bigint),
               CAST(m.expired AS bigint),
               CAST((SELECT coalesce(sum(w.points), 0) FROM analytics.wallet_entry AS w
                     WHERE w.day <= {_until("m.period", grain)}) AS bigint) AS outstanding
        FROM moves AS m ORDER BY m.period
    """
    return await _rows(session, sql, span.parameters)
