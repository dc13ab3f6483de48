"""HTTP routes of the product reports (analysts, managers, admins; partners with ``analytics:read``)."""

from collections.abc import AsyncIterator, Callable, Sequence
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import Response

from services.analytics.products import repository
from services.analytics.products.repository import Listing
from services.analytics.products.rules import DEFAULT_LOW_STOCK, RESTOCK_SUGGESTIONS, unit_margin
from services.analytics.reporting.filters import FiltersDep, ReportFilters
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.analytics.sales.rules import margin_rate
from services.kit.db import SessionDep
from services.kit.errors import InvalidInput
from services.kit.pagination import PageDep, PageParams

router = APIRouter(prefix="/analytics/products", tags=["product-analytics"], responses=REPORT_RESPONSES)

RANKING_COLUMNS = (
    "product_id",
    "name",
    "sku",
    "category",
    "subcategory",
    "brand",
    "units",
    "revenue",
    "cost",
    "margin",
)
PROFITABILITY_SQL = ("product_id", "name", "category", "unit_cost", "unit_price", "units", "revenue", "cost", "margin")
PROFITABILITY_COLUMNS = (
    "product_id",
    "name",
    "category",
    "unit_cost",
    "unit_price",
    "unit_margin",
    "units",
    "revenue",
    "cost",
    "margin",
    "margin_rate",
)
LOW_STOCK_COLUMNS = ("product_id", "name", "sku", "category", "quantity", "changed_at")

Shape = Callable[[Sequence[Any]], Sequence[Any]]


class RankBy(StrEnum):
    UNITS = "units"
    REVENUE = "revenue"


class RankOrder(StrEnum):
    BEST = "best"
    LEAST = "least"


def _as_is(row: Sequence[Any]) -> Sequence[Any]:
    return tuple(row)


async def _listing(
    request: Request,
    session: AsyncSession,
    report: Report,
    listing: Listing,
    page: PageParams,
    filters: ReportFilters,
    fmt: Format,
    shape: Shape = _as_is,
) -> Response:
    """One page as JSON or chart; as CSV every row, streamed (the cursor and limit are a page's)."""
    if fmt is Format.CSV:
        stream = repository.every_row(request.app.state.engine, listing)
        # The first row read here: an error of the query (a NUL in a filter) is answered, not a broken download.
        first = await anext(stream, None)

        async def every_row() -> AsyncIterator[Sequence[Any]]:
            if first is None:
                return
            yield shape(first)
            async for row in stream:
                yield shape(row)

        report.stream = every_row
    else:
        rows, next_cursor = await repository.page(session, listing, page)
        report.rows = [shape(row) for row in rows]
        report.next_cursor = next_cursor
    return await reply(session, report, filters, fmt)


@router.get("/ranking")
async def ranking(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    page: PageDep,
    by: Annotated[RankBy, Query(description="Rank by units sold or by revenue (base currency).")] = RankBy.UNITS,
    order: Annotated[
        RankOrder, Query(description="`best` (most first) or `least` (fewest first, with products that sold nothing).")
    ] = RankOrder.BEST,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Products ranked by units or revenue in the range (ties by product id), with their cost and margin.

    Every product that sold in the range and every active product that did not (units 0) is ranked;
    service lines (postage, fees...) are not products here. Paginated; `format=csv` downloads every row."""
    listing = repository.figures(
        filters,
        RANKING_COLUMNS,
        by.value,
        descending=order is RankOrder.BEST,
        sort=f"product-ranking:{by.value}:{order.value}",
    )
    report = Report(
        "product-ranking",
        RANKING_COLUMNS,
        [],
        label="name",
        series=("units", "revenue"),
        about={"by": by.value, "order": order.value},
    )
    return await _listing(request, session, report, listing, page, filters, format)


def _profitability(row: Sequence[Any]) -> Sequence[Any]:
    product_id, name, category, unit_cost, unit_price, units, revenue, cost, margin = row
    return (
        product_id,
        name,
        category,
        unit_cost,
        unit_price,
        unit_margin(unit_price, unit_cost),
        units,
        revenue,
        cost,
        margin,
        margin_rate(revenue, cost),
    )


@router.get("/profitability")
async def profitability(
    request: Request, session: SessionDep, filters: FiltersDep, page: PageDep, format: FormatQuery = Format.JSON
) -> Response:
    """Each product's unit cost, price and margin now, and its units, revenue, cost, margin and margin rate
    (margin over revenue, none without revenue) in the range; largest margin first (ties by product id).

    The same products as the ranking. Paginated; `format=csv` downloads every row."""
    listing = repository.figures(filters, PROFITABILITY_SQL, "margin", descending=True, sort="product-profitability")
    report = Report("product-profitability", PROFITABILITY_COLUMNS, [], label="name", series=("revenue", "margin"))
    return await _listing(request, session, report, listing, page, filters, format, _profitability)


_NOT_STOCK_FILTERS = ("date_from", "date_to", "store_id", "online", "country", "currency")


@router.get("/low-stock")
async def low_stock(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    page: PageDep,
    at_most: Annotated[
        int, Query(ge=0, le=1_000_000_000, description="Products with this many on hand or fewer.")
    ] = DEFAULT_LOW_STOCK,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Active products whose stock is tracked with `at_most` units on hand or fewer, fewest first (ties by
    product id); `changed_at` is the time of the last stock movement (none: never stocked).

    Stock is one quantity per product now: only the product filters apply. What to order is the customer
    service's restock suggestions, linked as `links.restock_suggestions`."""
    given = [name for name in _NOT_STOCK_FILTERS if getattr(filters, name) is not None]
    if given:
        raise InvalidInput.field(f"query.{given[0]}", "stock levels are per product now: only product filters apply")
    listing = repository.low_stock(filters, at_most, LOW_STOCK_COLUMNS)
    report = Report(
        "product-low-stock",
        LOW_STOCK_COLUMNS,
        [],
        label="name",
        series=("quantity",),
        about={"at_most": at_most},
        links={"restock_suggestions": RESTOCK_SUGGESTIONS},
    )
    return await _listing(request, session, report, listing, page, filters, format)
