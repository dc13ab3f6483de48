"""The customer reports' SQL. Without sales filters they read the customer aggregates the feed keeps
(summaries, months, cohort cells); with a filter they compute the same from the purchase-line facts, so
every report answers for any date range and dimension. Guest sales are never part of them."""

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.analytics.reporting.filters import ReportFilters, where

_LIVE = "x.status = 'recorded' AND x.customer_id IS NOT NULL"
_NET = "x.quantity - x.returned_quantity"
_REVENUE = "x.base_amount - x.base_returned"


def _facts(filters: ReportFilters, customer_id: int | None = None, needs: frozenset[str] = frozenset()) -> Any:
    w = where(filters)
    if customer_id is not None:
        w.add("x.customer_id = :customer_id", "customer_id", customer_id)
    return w.sql("sale_line", extra_joins=needs) + f" AND {_LIVE}", w.parameters


def _filtered(filters: ReportFilters) -> bool:
    return bool(filters.given())


async def distribution(session: AsyncSession, column: str, filters: ReportFilters) -> list[tuple[Any, int]]:
    """Customers (not deleted) per value of ``column``; with filters, only those who bought under them."""
    parameters: dict[str, Any] = {}
    buyers = ""
    if _filtered(filters):
        sql, parameters = _facts(filters)
        buyers = f"AND cu.id IN (SELECT x.customer_id {sql})"
    rows = await session.execute(
        text(f"""SELECT cu.{column}, count(*) FROM analytics.customer AS cu
                 WHERE cu.status <> 'deleted' {buyers} GROUP BY 1 ORDER BY 2 DESC, 1"""),
        parameters,
    )
    return [(r[0], int(r[1])) for r in rows]


def _per_customer(filters: ReportFilters, customer_id: int | None) -> tuple[str, dict[str, Any]]:
    """One row per customer: orders, units and revenue, from the summaries or, filtered, from the facts."""
    if not _filtered(filters) and customer_id is None:
        return "SELECT customer_id, orders, units, base_revenue AS revenue FROM analytics.customer_summary", {}
    sql, parameters = _facts(filters, customer_id)
    return (
        f"""SELECT x.customer_id, count(DISTINCT x.purchase_id) AS orders, sum({_NET}) AS units,
                   sum({_REVENUE}) AS revenue {sql} GROUP BY 1""",
        parameters,
    )


async def patterns(session: AsyncSession, filters: ReportFilters, customer_id: int | None) -> Sequence[Any]:
    """Customers, orders, units, revenue, and the customers with two orders or more."""
    per, parameters = _per_customer(filters, customer_id)
    return (
        await session.execute(
            text(f"""SELECT count(*), coalesce(sum(orders), 0), coalesce(sum(units), 0), coalesce(sum(revenue), 0.00),
                            count(*) FILTER (WHERE orders >= 2)
                     FROM ({per}) AS c"""),
            parameters,
        )
    ).one()


PREFERENCE_KEYS = {"product": ("x.product_id", "p.name"), "category": ("p.category", "NULL")}


async def preferences(
    session: AsyncSession, by: str, filters: ReportFilters, customer_id: int | None, limit: int
) -> list[Sequence[Any]]:
    """Products or categories by how many customers bought them, then by revenue."""
    key, label = PREFERENCE_KEYS[by]
    sql, parameters = _facts(filters, customer_id, frozenset({"product"}))
    rows = await session.execute(
        text(f"""SELECT {key}, {label}, count(DISTINCT x.customer_id), count(DISTINCT x.purchase_id),
                        sum({_NET}), sum({_REVENUE}) {sql}
                 GROUP BY 1, 2 ORDER BY 3 DESC, 6 DESC, 1 LIMIT :limit"""),
        {**parameters, "limit": limit},
    )
    return [tuple(r) for r in rows]


async def repeat_purchases(
    session: AsyncSession, filters: ReportFilters, customer_id: int | None, limit: int
) -> list[Sequence[Any]]:
    """Per product: its buyers, those who bought it on two bills or more, and its bills."""
    sql, parameters = _facts(filters, customer_id)
    rows = await session.execute(
        text(f"""WITH per AS (
                     SELECT x.product_id, x.customer_id, count(DISTINCT x.purchase_id) AS bills {sql} GROUP BY 1, 2
                 )
                 SELECT per.product_id, p.name, count(*) AS buyers, count(*) FILTER (WHERE bills >= 2) AS repeaters,
                        CAST(sum(bills) AS bigint) AS bills
                 FROM per JOIN analytics.product AS p ON p.id = per.product_id
                 GROUP BY 1, 2 ORDER BY 4 DESC, 3 DESC, 1 LIMIT :limit"""),
        {**parameters, "limit": limit},
    )
    return [tuple(r) for r in rows]


async def spend_per_quarter(
    session: AsyncSession, filters: ReportFilters, customer_id: int | None
) -> list[Sequence[Any]]:
    """Per quarter: the customers who bought, their orders and revenue."""
    if not _filtered(filters) and customer_id is None:
        query = """SELECT date_trunc('quarter', month)::date, count(DISTINCT customer_id), sum(orders),
                          sum(base_revenue)
                   FROM analytics.customer_month GROUP BY 1 ORDER BY 1"""
        parameters: dict[str, Any] = {}
    else:
        sql, parameters = _facts(filters, customer_id, frozenset({"calendar"}))
        query = f"""SELECT c.quarter, count(DISTINCT x.customer_id), count(DISTINCT x.purchase_id), sum({_REVENUE})
                    {sql} GROUP BY 1 ORDER BY 1"""
    return [tuple(r) for r in await session.execute(text(query), parameters)]


TOP_ORDERS = {"revenue": "revenue DESC, orders DESC", "orders": "orders DESC, revenue DESC"}


def top_query(by: str, filters: ReportFilters, after: tuple[Any, int] | None) -> tuple[str, dict[str, Any]]:
    """Customers ranked by revenue or orders (ties by id), after a page's last row."""
    if not _filtered(filters):
        per = """SELECT customer_id, revenue, orders, units, first_day, last_day FROM (
                     SELECT customer_id, base_revenue AS revenue, orders, units, first_day, last_day
                     FROM analytics.customer_summary) AS s"""
        parameters: dict[str, Any] = {}
    else:
        sql, parameters = _facts(filters)
        per = f"""SELECT x.customer_id, sum({_REVENUE}) AS revenue, count(DISTINCT x.purchase_id) AS orders,
                         sum({_NET}) AS units, min(x.day) AS first_day, max(x.day) AS last_day {sql} GROUP BY 1"""
    metric = by  # "revenue" or "orders": a column of ``per``
    condition = ""
    if after is not None:
        condition = f"WHERE ({metric} < :after_value OR ({metric} = :after_value AND customer_id > :after_id))"
        parameters = {**parameters, "after_value": after[0], "after_id": after[1]}
    order = f"{metric} DESC, customer_id"
    return f"SELECT * FROM ({per}) AS ranked {condition} ORDER BY {order}", parameters


async def top(session: AsyncSession, query: str, parameters: dict[str, Any], limit: int) -> list[Sequence[Any]]:
    rows = await session.execute(text(f"{query} LIMIT :limit"), {**parameters, "limit": limit})
    return [tuple(r) for r in rows]


async def stream(connection: AsyncConnection, query: str, parameters: dict[str, Any]) -> AsyncIterator[Sequence[Any]]:
    result = await connection.stream(text(query), parameters)
    async for row in result:
        yield tuple(row)


async def new_and_returning(session: AsyncSession, grain: str, filters: ReportFilters) -> list[Sequence[Any]]:
    """Per period: customers who bought, of them those whose first purchase ever falls in it, and revenues."""
    if not _filtered(filters):
        activity = "SELECT customer_id, month AS day, base_revenue AS revenue FROM analytics.customer_month"
        parameters: dict[str, Any] = {}
    else:
        sql, parameters = _facts(filters)
        activity = f"SELECT x.customer_id, x.day, {_REVENUE} AS revenue {sql}"
    rows = await session.execute(
        text(f"""SELECT period, count(DISTINCT customer_id), count(DISTINCT customer_id) FILTER (WHERE new),
                        coalesce(sum(revenue) FILTER (WHERE new), 0.00), sum(revenue)
                 FROM (SELECT date_trunc(:grain, a.day)::date AS period, a.customer_id, a.revenue,
                              date_trunc(:grain, s.first_day) = date_trunc(:grain, a.day) AS new
                       FROM ({activity}) AS a JOIN analytics.customer_summary AS s USING (customer_id)) AS b
                 GROUP BY 1 ORDER BY 1"""),
        {**parameters, "grain": grain},
    )
    return [tuple(r) for r in rows]


async def cohorts(session: AsyncSession, filters: ReportFilters) -> list[tuple[date, date, int]]:
    """(cohort, month, customers): customers whose first purchase fell in the cohort's month buying in a month."""
    only_dates = not any(v is not None for k, v in filters.given().items() if k not in ("date_from", "date_to"))
    if only_dates:
        w_parameters: dict[str, Any] = {}
        conditions = ["true"]
        if filters.date_from is not None:
            conditions.append("cohort >= date_trunc('month', CAST(:date_from AS date))")
            w_parameters["date_from"] = filters.date_from
        if filters.date_to is not None:
            conditions.append("month <= CAST(:date_to AS date)")
            w_parameters["date_to"] = filters.date_to
        query = f"""SELECT cohort, month, customers FROM analytics.cohort_cell
                    WHERE customers > 0 AND {" AND ".join(conditions)} ORDER BY 1, 2"""
        parameters = w_parameters
    else:
        sql, parameters = _facts(filters)
        query = f"""WITH active AS (
                        SELECT DISTINCT x.customer_id, date_trunc('month', x.day)::date AS month {sql}
                    ), first AS (SELECT customer_id, min(month) AS cohort FROM active GROUP BY 1)
                    SELECT first.cohort, active.month, count(*) FROM active JOIN first USING (customer_id)
                    GROUP BY 1, 2 ORDER BY 1, 2"""
    return [(r[0], r[1], int(r[2])) for r in await session.execute(text(query), parameters)]
