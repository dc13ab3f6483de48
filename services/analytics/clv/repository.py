"""The lifetime value SQL: the frequency/recency/T/monetary summary from the purchase-line facts, and the
stored fits. Guest sales and cancelled lines are never part of a summary; returns are taken off."""

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.analytics.clv.models import clv_fit

SUMMARY_COLUMNS = (
    "customer_id",
    "first_purchase",
    "last_purchase",
    "purchase_days",
    "frequency",
    "recency",
    "T",
    "monetary_value",
)


def summary_query(
    calibration_end: date, unit_days: int, *, after: int | None = None, customer_id: int | None = None
) -> tuple[str, dict[str, Any]]:
    """One row per customer with a purchase on or before ``calibration_end``, by customer id (after ``after``):
    the SUMMARY_COLUMNS. Same-day bills are one purchase day whose value is their net amount (returns taken
    off); frequency is the days after the first; recency and T are in units of ``unit_days`` days; the
    monetary value is the mean of the repeat days' values (0 without one)."""
    conditions = ["x.status = 'recorded'", "x.customer_id IS NOT NULL", "x.day <= :calibration_end"]
    parameters: dict[str, Any] = {"calibration_end": calibration_end, "unit_days": unit_days}
    if after is not None:
        conditions.append("x.customer_id > :after")
        parameters["after"] = after
    if customer_id is not None:
        conditions.append("x.customer_id = :customer_id")
        parameters["customer_id"] = customer_id
    query = f"""
        WITH purchase_day AS (
            SELECT x.customer_id, x.day, sum(x.base_amount - x.base_returned) AS value
            FROM analytics.sale_line AS x WHERE {" AND ".join(conditions)} GROUP BY 1, 2
        ), customer AS (
            SELECT customer_id, min(day) AS first_day, max(day) AS last_day, count(*) AS days, sum(value) AS total,
                   (array_agg(value ORDER BY day))[1] AS first_value
            FROM purchase_day GROUP BY 1
        )
        SELECT customer_id, first_day, last_day, days, days - 1,
               CAST(last_day - first_day AS double precision) / :unit_days,
               CAST(CAST(:calibration_end AS date) - first_day AS double precision) / :unit_days,
               CASE WHEN days > 1 THEN (total - first_value) / (days - 1) ELSE 0 END
        FROM customer ORDER BY customer_id"""
    return query, parameters


async def summary_page(
    session: AsyncSession, calibration_end: date, unit_days: int, after: int | None, limit: int
) -> list[Sequence[Any]]:
    query, parameters = summary_query(calibration_end, unit_days, after=after)
    rows = await session.execute(text(f"{query} LIMIT :limit"), {**parameters, "limit": limit})
    return [tuple(r) for r in rows]


async def summary_of(session: AsyncSession, calibration_end: date, unit_days: int, customer_id: int) -> Any:
    query, parameters = summary_query(calibration_end, unit_days, customer_id=customer_id)
    row = (await session.execute(text(query), parameters)).first()
    return None if row is None else tuple(row)


async def summary_all(session: AsyncSession, calibration_end: date, unit_days: int) -> list[Sequence[Any]]:
    """Every customer's summary, in one query."""
    query, parameters = summary_query(calibration_end, unit_days)
    return [tuple(r) for r in await session.execute(text(query), parameters)]


async def stream(connection: AsyncConnection, query: str, parameters: dict[str, Any]) -> AsyncIterator[Sequence[Any]]:
    result = await connection.stream(text(query), parameters)
    async for row in result:
        yield tuple(row)


async def add_fit(session: AsyncSession, values: dict[str, Any]) -> dict[str, Any]:
    row = (await session.execute(insert(clv_fit).values(**values).returning(*clv_fit.c))).mappings().one()
    return dict(row)


async def fit(session: AsyncSession, fit_id: int) -> dict[str, Any] | None:
    row = (await session.execute(select(clv_fit).where(clv_fit.c.id == fit_id))).mappings().first()
    return None if row is None else dict(row)


async def fits(session: AsyncSession, before: int | None, limit: int) -> list[dict[str, Any]]:
    """Fits, newest first."""
    query = select(clv_fit).order_by(clv_fit.c.id.desc()).limit(limit)
    if before is not None:
        query = query.where(clv_fit.c.id < before)
    return [dict(r) for r in (await session.execute(query)).mappings()]


async def segments(session: AsyncSession, rfm_run_id: int) -> dict[int, str] | None:
    """The RFM segment of each customer scored in a run; none when there is no such run."""
    found = (await session.execute(text("SELECT 1 FROM analytics.rfm_run WHERE id = :id"), {"id": rfm_run_id})).first()
    if found is None:
        return None
    rows = await session.execute(
        text("SELECT customer_id, segment FROM analytics.rfm_score WHERE run_id = :id"), {"id": rfm_run_id}
    )
    return {int(r[0]): str(r[1]) for r in rows}
