"""HTTP routes of the loyalty effectiveness reports (analysts, managers, admins; partners with ``analytics:read``).

Every report takes a date range (``date_from``, ``date_to``, days in the business time zone, both
included) and answers JSON, CSV or a chart-ready series."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query
from starlette.responses import Response

from services.analytics.program import service
from services.analytics.program.repository import Range
from services.analytics.program.rules import previous_period
from services.analytics.program.schemas import (
    DEFAULT_CLAIM_DAYS,
    DEFAULT_LIFT_DAYS,
    DEFAULT_LIMIT,
    LIFT_METHOD,
    PeriodGrain,
    RewardDimension,
    Trend,
)
from services.analytics.reporting.filters import ReportFilters
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.kit.api import IsoDate
from services.kit.db import SessionDep
from services.kit.errors import InvalidInput

router = APIRouter(prefix="/analytics/loyalty", tags=["loyalty-analytics"], responses=REPORT_RESPONSES)


def date_range(
    date_from: Annotated[IsoDate | None, Query(description="First day (business time zone), included.")] = None,
    date_to: Annotated[IsoDate | None, Query(description="Last day (business time zone), included.")] = None,
) -> ReportFilters:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise InvalidInput.field("query.date_to", "must not be before date_from", "range")
    return ReportFilters(date_from=date_from, date_to=date_to)


DatesDep = Annotated[ReportFilters, Depends(date_range)]
GrainQuery = Annotated[PeriodGrain, Query(description="ISO weeks, months, quarters or years.")]
LimitQuery = Annotated[int, Query(ge=1, le=10_000, description="At most this many products.")]


def _span(filters: ReportFilters) -> Range:
    return Range(filters.date_from, filters.date_to)


@router.get("/customers")
async def customers(
    session: SessionDep, filters: DatesDep, grain: GrainQuery = PeriodGrain.MONTH, format: FormatQuery = Format.JSON
) -> Response:
    """The buyers of each period as new, repeating or loyal customers, and the loyal share.

    A buyer of a period bought in it (a bill not cancelled). As of the period's last day (or the range's,
    when it ends first) a buyer with a redemption is *loyal*, one with several bills and no redemption
    *repeating*, one with a single bill *new*: new + repeating + loyal = buyers. `loyal_share` is loyal
    over buyers, to four places."""
    rows = await service.customers(session, _span(filters), grain)
    report = Report(
        "loyalty-customers",
        service.CUSTOMER_COLUMNS,
        rows,
        label="period",
        series=("new", "repeating", "loyal"),
        about={"grain": grain.value},
    )
    return await reply(session, report, filters, format)


@router.get("/rewards/by/{dimension}")
async def rewards_by(
    session: SessionDep,
    filters: DatesDep,
    dimension: Annotated[RewardDimension, Path(description="The reward's category (0: a gift) or its product.")],
    format: FormatQuery = Format.JSON,
) -> Response:
    """The rewards allocated in the range per category or product, and what became of them.

    Of the rewards allocated: redeemed, voided (their bill cancelled), expired, still open; the
    redemption ratio is redeemed over allocated, and the median hours from allocation to redemption of
    those redeemed. Most allocated first."""
    rows = await service.rewards_by(session, _span(filters), dimension)
    report = Report(
        f"loyalty-rewards-by-{dimension.value}",
        service.BY_COLUMNS,
        rows,
        label="key",
        series=("allocated", "redeemed"),
        about={"dimension": dimension.value},
    )
    return await reply(session, report, filters, format)


@router.get("/rewards/over-time")
async def rewards_over_time(
    session: SessionDep, filters: DatesDep, grain: GrainQuery = PeriodGrain.MONTH, format: FormatQuery = Format.JSON
) -> Response:
    """The redemption ratio over time: per period of allocation, the rewards allocated and what became of them.

    `redemptions` counts the rewards redeemed in the period, whenever they were allocated."""
    rows = await service.rewards_over_time(session, _span(filters), grain)
    report = Report(
        "loyalty-rewards-over-time",
        service.OVER_TIME_COLUMNS,
        rows,
        label="period",
        series=("allocated", "redeemed", "redemption_ratio"),
        about={"grain": grain.value},
    )
    return await reply(session, report, filters, format)


@router.get("/rewards/highlights")
async def reward_highlights(session: SessionDep, filters: DatesDep, format: FormatQuery = Format.JSON) -> Response:
    """The most appealing reward and the most redeemed, among the rewards allocated in the range.

    The most appealing is the product whose rewards were redeemed soonest (shortest median hours from
    allocation to redemption; ties: more redeemed, then the lower product id); the most redeemed has the
    most redemptions (ties: the shorter median, then the lower id). No rows without a redemption."""
    rows = await service.highlights(session, _span(filters))
    report = Report(
        "loyalty-reward-highlights",
        service.HIGHLIGHT_COLUMNS,
        rows,
        label="highlight",
        series=("redeemed", "median_hours_to_redemption"),
    )
    return await reply(session, report, filters, format)


@router.get("/products/boost")
async def product_boost(
    session: SessionDep, filters: DatesDep, limit: LimitQuery = DEFAULT_LIMIT, format: FormatQuery = Format.JSON
) -> Response:
    """Each product's boost: units sold with a reward over units sold without one, in the range.

    A line is sold with a reward when a reward for its product was redeemed on its bill; units are the
    lines' kept units (bills not cancelled, net of returns). `boost` is none when every unit sold with a
    reward. Most boosted first, then those sold only with a reward, then the rest (ties by product id)."""
    rows = await service.product_boost(session, _span(filters), limit)
    report = Report(
        "loyalty-product-boost",
        service.BOOST_COLUMNS,
        rows,
        label="name",
        series=("units_with_reward", "units_without_reward"),
        about={"limit": limit},
    )
    return await reply(session, report, filters, format)


@router.get("/products/trending")
async def trending(
    session: SessionDep,
    filters: DatesDep,
    order: Annotated[
        Trend, Query(description="`trending` (largest rise first) or `least` (largest fall first).")
    ] = Trend.TRENDING,
    limit: LimitQuery = DEFAULT_LIMIT,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Trending and least-trending products by units sold without a reward, the range against the period before.

    The previous period is as long as the range and ends the day before it starts; both dates are
    required. `change` is the range's units less the previous period's, `change_rate` the change over
    the previous units (none when it sold none then). Ties by product id."""
    if filters.date_from is None or filters.date_to is None:
        missing = "date_from" if filters.date_from is None else "date_to"
        raise InvalidInput.field(f"query.{missing}", "both dates are required to compare two periods", "missing")
    try:
        previous_period(filters.date_from, filters.date_to)
    except OverflowError:
        raise InvalidInput.field(
            "query.date_from", "the period before the range starts before year 1", "range"
        ) from None
    rows = await service.trending(session, _span(filters), order, limit)
    report = Report(
        "loyalty-products-trending",
        service.TREND_COLUMNS,
        rows,
        label="name",
        series=("units_without_reward", "previous_units_without_reward"),
        about={"order": order.value, "limit": limit},
    )
    return await reply(session, report, filters, format)


@router.get("/sales-lift")
async def sales_lift(
    session: SessionDep,
    filters: DatesDep,
    grain: GrainQuery = PeriodGrain.MONTH,
    days: Annotated[int, Query(ge=1, le=730, description="Days before and after the anchor day.")] = DEFAULT_LIFT_DAYS,
    format: FormatQuery = Format.JSON,
) -> Response:
    """The spend of customers with redemptions against comparable customers without, before and after.

    Per period of first redemption (in the range): the redeemers' mean spend per customer in the `days`
    before their first redemption and from it on, against the customers who bought in the same period
    and redeemed nothing, anchored on their first purchase in it. The reply's `method` states it fully."""
    rows = await service.sales_lift(session, _span(filters), grain, days)
    report = Report(
        "loyalty-sales-lift",
        service.LIFT_COLUMNS,
        rows,
        label="period",
        series=("redeemers_lift", "comparables_lift", "lift_difference"),
        about={"grain": grain.value, "days": days},
        method=LIFT_METHOD.format(days=days),
    )
    return await reply(session, report, filters, format)


@router.get("/products/around-claims")
async def around_claims(
    session: SessionDep,
    filters: DatesDep,
    days: Annotated[int, Query(ge=1, le=365, description="Days before and after each claim.")] = DEFAULT_CLAIM_DAYS,
    format: FormatQuery = Format.JSON,
) -> Response:
    """A rewarded product's sales around its reward claims: the days before, the day of, the days after.

    A claim is a reward redeemed in the range (on its day). For each product: its claims, the units of it
    sold by anyone in the `days` before each claim, on the claim's day and in the `days` after, added
    over its claims, and as units per day (per claim day for the day itself). Most claimed first."""
    rows = await service.around_claims(session, _span(filters), days)
    report = Report(
        "loyalty-products-around-claims",
        service.CLAIM_COLUMNS,
        rows,
        label="name",
        series=("units_per_day_before", "units_per_claim_day", "units_per_day_after"),
        about={"days": days},
    )
    return await reply(session, report, filters, format)


@router.get("/points")
async def points(
    session: SessionDep, filters: DatesDep, grain: GrainQuery = PeriodGrain.MONTH, format: FormatQuery = Format.JSON
) -> Response:
    """Wallet points per period: earned, adjusted, spent, expired, outstanding, and the share spent in validity.

    `spent` is net of refunds; `outstanding` is every wallet's balance added up at the period's end (or
    the range's), the liability a finance team books. Points are spent only while valid, so the share
    spent within their validity is spent over spent plus expired."""
    rows = await service.points(session, _span(filters), grain)
    report = Report(
        "loyalty-points",
        service.POINT_COLUMNS,
        rows,
        label="period",
        series=("earned", "spent", "expired", "outstanding"),
        about={"grain": grain.value},
    )
    return await reply(session, report, filters, format)
