"""HTTP routes of the sales reports (analysts, managers, admins; partners with ``analytics:read``)."""

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from starlette.responses import Response

from services.analytics.reporting.filters import FiltersDep
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.analytics.sales import repository
from services.analytics.sales.repository import SalesFigures
from services.analytics.sales.rules import average_order_value, margin
from services.kit.db import SessionDep

router = APIRouter(prefix="/analytics/sales", tags=["sales"], responses=REPORT_RESPONSES)

MEASURES = ("revenue", "cost", "margin", "units", "orders", "average_order_value")


class Grain(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class Season(StrEnum):
    MONTH = "month"
    WEEKDAY = "weekday"


class Dimension(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"
    SUBCATEGORY = "subcategory"
    BRAND = "brand"
    STORE = "store"
    CHANNEL = "channel"
    COUNTRY = "country"
    CURRENCY = "currency"


def _measures(f: SalesFigures) -> list[Any]:
    return [f.revenue, f.cost, margin(f.revenue, f.cost), f.units, f.orders, average_order_value(f.revenue, f.orders)]


@router.get("/summary")
async def summary(session: SessionDep, filters: FiltersDep, format: FormatQuery = Format.JSON) -> Response:
    """Revenue (base currency, after discounts, net of returns), cost, margin, units, orders and average order value."""
    figures = await repository.sales(session, "total", filters)
    total = figures[0] if figures else SalesFigures(0, None, 0, Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), 0)
    report = Report("sales-summary", MEASURES, [_measures(total)], label="orders", series=("revenue",))
    return await reply(session, report, filters, format)


@router.get("/over-time")
async def over_time(
    session: SessionDep,
    filters: FiltersDep,
    grain: Annotated[Grain, Query(description="Days, ISO weeks, months, quarters or years.")] = Grain.MONTH,
    format: FormatQuery = Format.JSON,
) -> Response:
    """The sales figures per period; `period` is its first day (a year: the year)."""
    rows = [[f.key, *_measures(f)] for f in await repository.sales(session, grain.value, filters)]
    report = Report(
        "sales-over-time",
        ("period", *MEASURES),
        rows,
        label="period",
        series=("revenue", "cost", "margin"),
        about={"grain": grain.value},
    )
    return await reply(session, report, filters, format)


@router.get("/seasonality")
async def seasonality(
    session: SessionDep,
    filters: FiltersDep,
    by: Annotated[Season, Query(description="Month of the year (1-12) or ISO weekday (1 Monday - 7 Sunday).")],
    format: FormatQuery = Format.JSON,
) -> Response:
    """The sales figures per month of the year or per weekday, over every year in the range."""
    key = "month_of_year" if by is Season.MONTH else "weekday"
    rows = [[f.key, *_measures(f)] for f in await repository.sales(session, key, filters)]
    report = Report(
        "sales-seasonality",
        (by.value, *MEASURES),
        rows,
        label=by.value,
        series=("revenue", "orders"),
        about={"by": by.value},
    )
    return await reply(session, report, filters, format)


@router.get("/by/{dimension}")
async def by_dimension(
    session: SessionDep,
    filters: FiltersDep,
    dimension: Annotated[Dimension, Path(description="What to break the sales down by.")],
    format: FormatQuery = Format.JSON,
) -> Response:
    """The sales figures per product, category, subcategory, brand, store, channel (online or physical), country
    (the customer's, else the store's) or currency (with the revenue in that currency), largest revenue first."""
    figures = await repository.sales(session, dimension.value, filters)
    columns: tuple[str, ...] = ("key", "label", *MEASURES)
    rows = [[f.key, f.label, *_measures(f)] for f in figures]
    if dimension is Dimension.CURRENCY:
        columns = (*columns, "local_revenue")
        rows = [[*row, f.local_revenue] for row, f in zip(rows, figures, strict=True)]
    report = Report(
        f"sales-by-{dimension.value}",
        columns,
        rows,
        label="key",
        series=("revenue", "margin"),
        about={"dimension": dimension.value},
    )
    return await reply(session, report, filters, format)
