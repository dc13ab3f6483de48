"""The sales SQL: the daily orders answer what concerns whole bills (time, store, channel, country,
currency); the sales cube answers what concerns products, with the bills counted from the facts."""

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.reporting.filters import ReportFilters, where


@dataclass(frozen=True)
class Key:
    """What a report groups by: its SQL over ``x`` and the joined dimensions, and a label for its rows."""

    sql: str
    needs: frozenset[str] = frozenset()
    label: str = "NULL"
    by_product: bool = False
    ordered_by_key: bool = False


def _key(sql: str, *needs: str, label: str = "NULL", by_product: bool = False, by_key: bool = False) -> Key:
    return Key(sql, frozenset(needs), label, by_product, by_key)


KEYS: dict[str, Key] = {
    "total": _key("0", by_key=True),
    "day": _key("x.day", by_key=True),
    "week": _key("c.week", "calendar", by_key=True),
    "month": _key("c.month", "calendar", by_key=True),
    "quarter": _key("c.quarter", "calendar", by_key=True),
    "year": _key("c.year", "calendar", by_key=True),
    "month_of_year": _key("c.month_of_year", "calendar", by_key=True),
    "weekday": _key("c.weekday", "calendar", by_key=True),
    "product": _key("x.product_id", "product", label="p.name", by_product=True),
    "category": _key("p.category", "product", by_product=True),
    "subcategory": _key("p.subcategory", "product", by_product=True),
    "brand": _key("p.brand", "product", by_product=True),
    "store": _key("x.store_id", "store", label="s.name"),
    "channel": _key("CASE s.online WHEN true THEN 'online' WHEN false THEN 'physical' END", "store"),
    "country": _key("nullif(x.country, '')"),
    "currency": _key("x.currency"),
}


@dataclass(frozen=True)
class SalesFigures:
    key: Any
    label: str | None
    units: int
    revenue: Decimal
    local_revenue: Decimal
    cost: Decimal
    orders: int


_NOT_ALL_ZERO = "HAVING sum(x.units) <> 0 OR sum(x.base_revenue) <> 0 OR sum(x.cost) <> 0"


async def sales(session: AsyncSession, key_name: str, filters: ReportFilters) -> list[SalesFigures]:
    """The figures per value of the key, ordered by the key (time) or by revenue, largest first."""
    key = KEYS[key_name]
    head = f"SELECT {key.sql} AS key, {key.label} AS label"
    if not (key.by_product or filters.by_product):
        w = where(filters, products=False)
        rows = await session.execute(
            text(f"""{head}, sum(x.units), sum(x.base_revenue), sum(x.local_revenue), sum(x.cost), sum(x.orders)
                     {w.sql("orders_daily", extra_joins=key.needs)}
                     GROUP BY 1, 2 {_NOT_ALL_ZERO} OR sum(x.orders) <> 0"""),
            w.parameters,
        )
        figures = [SalesFigures(r[0], r[1], int(r[2]), r[3], r[4], r[5], int(r[6])) for r in rows]
    else:
        w = where(filters)
        money = await session.execute(
            text(f"""{head}, sum(x.units), sum(x.base_revenue), sum(x.local_revenue), sum(x.cost)
                     {w.sql("sales_daily", extra_joins=key.needs)}
                     GROUP BY 1, 2 {_NOT_ALL_ZERO}"""),
            w.parameters,
        )
        bills = await session.execute(
            text(f"""SELECT {key.sql} AS key, count(DISTINCT x.purchase_id)
                     {w.sql("sale_line", extra_joins=key.needs)} AND x.status = 'recorded'
                     GROUP BY 1"""),
            w.parameters,
        )
        orders = {r[0]: int(r[1]) for r in bills}
        figures = [SalesFigures(r[0], r[1], int(r[2]), r[3], r[4], r[5], orders.get(r[0], 0)) for r in money]
    if key.ordered_by_key:
        return sorted(figures, key=lambda f: f.key)
    return sorted(figures, key=lambda f: (-f.revenue, f.key is None, str(f.key)))
