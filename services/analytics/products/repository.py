"""The product reports' SQL: every product's figures from the sales cube (with the active products that sold
nothing, so "least selling" shows them), stock levels, and keyset pages over either."""

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.analytics.products.rules import SERVICE_SKUS
from services.analytics.reporting.filters import ReportFilters, where
from services.kit.errors import BadCursor
from services.kit.pagination import PageParams, decode_cursor, encode_cursor

_ZERO = "CAST(0 AS numeric(16, 2))"

# Every product that sold in the range (the filters' slice of the cube), and every active one that did not.
_FIGURES = f"""
    WITH sold AS (
        SELECT x.product_id, sum(x.units) AS units, sum(x.base_revenue) AS revenue, sum(x.cost) AS cost
        {{sales}}
        GROUP BY x.product_id
    ), figures AS (
        SELECT p.id AS product_id, p.name, p.sku, p.category, p.subcategory, p.brand, p.unit_cost, p.unit_price,
               CAST(coalesce(s.units, 0) AS bigint) AS units, coalesce(s.revenue, {_ZERO}) AS revenue,
               coalesce(s.cost, {_ZERO}) AS cost, coalesce(s.revenue, {_ZERO}) - coalesce(s.cost, {_ZERO}) AS margin
        FROM analytics.product AS p LEFT JOIN sold AS s ON s.product_id = p.id
        WHERE (s.product_id IS NOT NULL OR p.status = 'active')
          AND p.sku <> ALL(CAST(:service_skus AS text[])) AND {{products}}
    )
    SELECT {{columns}} FROM figures WHERE {{after}} ORDER BY {{order}} {{limit}}
"""

# Active products whose stock is tracked, at or under a quantity; one never stocked has none on hand.
_LOW_STOCK = """
    WITH levels AS (
        SELECT p.id AS product_id, p.name, p.sku, p.category, coalesce(l.quantity, 0) AS quantity, l.changed_at
        FROM analytics.product AS p LEFT JOIN analytics.stock_level AS l ON l.product_id = p.id
        WHERE p.track_stock AND p.status = 'active' AND coalesce(l.quantity, 0) <= :at_most
          AND p.sku <> ALL(CAST(:service_skus AS text[])) AND {products}
    )
    SELECT {columns} FROM levels WHERE {after} ORDER BY {order} {limit}
"""


@dataclass(frozen=True)
class Listing:
    """A query whose rows come in pages ordered by ``keys`` (the first descending or not, then the rest
    ascending; the last key is unique), or all at once for a download."""

    sort: str  # names the order, so a cursor of another order or report is refused
    template: str
    columns: tuple[str, ...]
    keys: tuple[str, ...]
    descending: bool
    parameters: dict[str, Any]

    def sql(self, *, after: bool, limit: int | None) -> str:
        order = ", ".join(f"{key} {'DESC' if i == 0 and self.descending else 'ASC'}" for i, key in enumerate(self.keys))
        return self.template.format(
            columns=", ".join(self.columns),
            after=self._after() if after else "true",
            order=order,
            limit="" if limit is None else f"LIMIT {int(limit)}",
        )

    def _after(self) -> str:
        """Rows after the cursor's: a later first key, or an equal one and a later rest (ascending)."""
        first, *rest = self.keys
        beyond = f"{first} {'<' if self.descending else '>'} CAST(:after_0 AS numeric)"
        if not rest:
            return beyond
        tail = ", ".join(rest)
        marks = ", ".join(f":after_{i + 1}" for i in range(len(rest)))
        return f"({beyond} OR ({first} = CAST(:after_0 AS numeric) AND ({tail}) > ({marks})))"


def _products(filters: ReportFilters) -> str:
    """The filters that choose products, over the product table ``p`` (their parameters are ``where``'s)."""
    conditions = ["p.id = :product_id"] if filters.product_id is not None else []
    conditions += [f"p.{name} = :{name}" for name in ("category", "subcategory", "brand") if getattr(filters, name)]
    return " AND ".join(conditions) or "true"


def figures(filters: ReportFilters, columns: tuple[str, ...], key: str, *, descending: bool, sort: str) -> Listing:
    """Each product's units, revenue, cost and margin in the filters' slice, ordered by ``key`` then id."""
    w = where(filters)
    template = _FIGURES.replace("{sales}", w.sql("sales_daily")).replace("{products}", _products(filters))
    return Listing(
        sort,
        template,
        columns,
        (key, "product_id"),
        descending,
        {**w.parameters, "service_skus": sorted(SERVICE_SKUS)},
    )


def low_stock(filters: ReportFilters, at_most: int, columns: tuple[str, ...]) -> Listing:
    parameters = {**where(filters).parameters, "at_most": at_most, "service_skus": sorted(SERVICE_SKUS)}
    template = _LOW_STOCK.replace("{products}", _products(filters))
    return Listing("low-stock", template, columns, ("quantity", "product_id"), False, parameters)


def _fits(value: Any, bound: int) -> bool:
    """An int or a finite decimal of less than ``bound`` in size (no bool, no text)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return False
    number = Decimal(value)
    return number.is_finite() and abs(number) < bound


def _cursor_values(listing: Listing, cursor: str) -> dict[str, Any]:
    values = decode_cursor(cursor, listing.sort, len(listing.keys))
    first, *rest = values
    if not _fits(first, 10**18) or not all(isinstance(v, int) and _fits(v, 2**63) for v in rest):
        raise BadCursor()
    return {f"after_{i}": value for i, value in enumerate(values)}


async def page(session: AsyncSession, listing: Listing, params: PageParams) -> tuple[list[Row[Any]], str | None]:
    """One page of the listing and the cursor of the next (none after the last)."""
    parameters = dict(listing.parameters)
    if params.cursor:
        parameters.update(_cursor_values(listing, params.cursor))
    statement = text(listing.sql(after=bool(params.cursor), limit=params.limit + 1))
    rows = list((await session.execute(statement, parameters)).all())
    if len(rows) <= params.limit:
        return rows, None
    rows = rows[: params.limit]
    last = rows[-1]._mapping
    return rows, encode_cursor(listing.sort, [last[key] for key in listing.keys])


async def every_row(engine: AsyncEngine, listing: Listing) -> AsyncIterator[Sequence[Any]]:
    """Every row of the listing in its order, streamed from a connection of its own (a download outlives
    its request's session)."""
    async with engine.connect() as connection:
        result = await connection.stream(text(listing.sql(after=False, limit=None)), listing.parameters)
        async for row in result:
            yield row
