"""HTTP routes of the customer reports (analysts, managers, admins; partners with ``analytics:read``)."""

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from services.analytics.customers import repository
from services.analytics.customers.names import names_of, with_names
from services.analytics.customers.rules import months_between, per, share
from services.analytics.reporting.filters import FiltersDep
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.analytics.sales.rules import average_order_value
from services.kit.db import SessionDep
from services.kit.errors import BadCursor
from services.kit.pagination import PageDep, decode_cursor, encode_cursor

router = APIRouter(prefix="/analytics/customers", tags=["customer-analytics"], responses=REPORT_RESPONSES)

CustomerQuery = Annotated[int | None, Query(ge=0, le=2**63 - 1, description="Only this customer's purchases.")]
LimitQuery = Annotated[int, Query(ge=1, le=500, description="How many rows.")]


class Attribute(StrEnum):
    GENDER = "gender"
    AGE_BAND = "age_band"
    CITY = "city"
    STATE = "state"
    COUNTRY = "country"
    CONTINENT = "continent"


class Preference(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"


class Ranking(StrEnum):
    REVENUE = "revenue"
    ORDERS = "orders"


class Period(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


@router.get("/distribution")
async def distribution(
    session: SessionDep,
    filters: FiltersDep,
    by: Annotated[Attribute, Query(description="The attribute to count customers by.")],
    format: FormatQuery = Format.JSON,
) -> Response:
    """Customers (not deleted) per gender, age band, city, state, country or continent, and their share; with a
    sales filter, only the customers who bought under it."""
    counts = await repository.distribution(session, by.value, filters)
    total = sum(n for _, n in counts)
    rows = [[key, n, share(n, total)] for key, n in counts]
    report = Report(
        "customer-distribution",
        ("key", "customers", "share"),
        rows,
        label="key",
        series=("customers",),
        about={"by": by.value},
    )
    return await reply(session, report, filters, format)


@router.get("/patterns")
async def patterns(
    session: SessionDep, filters: FiltersDep, customer_id: CustomerQuery = None, format: FormatQuery = Format.JSON
) -> Response:
    """Customers who bought, their orders, units and revenue, average order value, purchase frequency (orders per
    customer), and the customers who came back (two orders or more) with their share."""
    customers, orders, units, revenue, repeat = await repository.patterns(session, filters, customer_id)
    columns = (
        "customers",
        "orders",
        "units",
        "revenue",
        "average_order_value",
        "purchase_frequency",
        "repeat_customers",
        "repeat_share",
    )
    row = [
        customers,
        int(orders),
        int(units),
        revenue,
        average_order_value(revenue, int(orders)),
        per(int(orders), customers),
        repeat,
        share(repeat, customers),
    ]
    about = {} if customer_id is None else {"customer_id": customer_id}
    report = Report("customer-patterns", columns, [row], label="customers", series=("orders",), about=about)
    return await reply(session, report, filters, format)


@router.get("/preferences")
async def preferences(
    session: SessionDep,
    filters: FiltersDep,
    by: Annotated[Preference, Query(description="Preferred products or categories.")] = Preference.CATEGORY,
    customer_id: CustomerQuery = None,
    limit: LimitQuery = 20,
    format: FormatQuery = Format.JSON,
) -> Response:
    """The products or categories most customers buy (then by revenue), of everyone or of one customer."""
    rows = await repository.preferences(session, by.value, filters, customer_id, limit)
    report = Report(
        "customer-preferences",
        ("key", "label", "customers", "orders", "units", "revenue"),
        rows,
        label="key",
        series=("customers", "revenue"),
        about={"by": by.value} | ({} if customer_id is None else {"customer_id": customer_id}),
    )
    return await reply(session, report, filters, format)


@router.get("/repeat-purchases")
async def repeat_purchases(
    session: SessionDep,
    filters: FiltersDep,
    customer_id: CustomerQuery = None,
    limit: LimitQuery = 20,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Products bought again by the same customer: buyers, those who bought on two bills or more, and the rate."""
    found = await repository.repeat_purchases(session, filters, customer_id, limit)
    rows = [
        [product_id, name, buyers, repeaters, share(repeaters, buyers), bills]
        for product_id, name, buyers, repeaters, bills in found
    ]
    report = Report(
        "customer-repeat-purchases",
        ("product_id", "name", "buyers", "repeat_buyers", "repeat_rate", "bills"),
        rows,
        label="name",
        series=("repeat_buyers",),
        about={} if customer_id is None else {"customer_id": customer_id},
    )
    return await reply(session, report, filters, format)


@router.get("/spend-per-quarter")
async def spend_per_quarter(
    session: SessionDep, filters: FiltersDep, customer_id: CustomerQuery = None, format: FormatQuery = Format.JSON
) -> Response:
    """Per quarter (its first day): customers who bought, their orders, revenue and revenue per customer."""
    found = await repository.spend_per_quarter(session, filters, customer_id)
    rows = [[quarter, n, int(orders), revenue, per(revenue, n)] for quarter, n, orders, revenue in found]
    report = Report(
        "customer-spend-per-quarter",
        ("quarter", "customers", "orders", "revenue", "revenue_per_customer"),
        rows,
        label="quarter",
        series=("revenue", "revenue_per_customer"),
        about={} if customer_id is None else {"customer_id": customer_id},
    )
    return await reply(session, report, filters, format)


def _after(key: list[Any], by: Ranking) -> tuple[Decimal | int, int]:
    """A page's last (revenue or orders, customer id), checked: a cursor is the caller's input."""
    value, customer_id = key
    fits = isinstance(value, Decimal) and value.is_finite() if by is Ranking.REVENUE else type(value) is int
    if not fits or type(customer_id) is not int or not 0 <= customer_id < 2**63 or abs(value) >= 10**14:
        raise BadCursor()
    return value, customer_id


TOP_COLUMNS = ("customer_id", "name", "revenue", "orders", "units", "first_purchase", "last_purchase")


@router.get("/top")
async def top(
    request: Request,
    session: SessionDep,
    filters: FiltersDep,
    page: PageDep,
    by: Annotated[Ranking, Query(description="Rank by revenue or by orders.")] = Ranking.REVENUE,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Customers ranked by revenue or orders (ties by id), with their names read from the customer service,
    a page at a time; the CSV holds every customer, its names read 500 at a time."""
    client = request.app.state.customer_client
    sort = f"top-{by.value}"
    after = None
    if page.cursor is not None:
        after = _after(decode_cursor(page.cursor, sort, 2), by)
    query, parameters = repository.top_query(by.value, filters, after)
    ranked = await repository.top(session, query, parameters, page.limit + 1)
    more = len(ranked) > page.limit
    ranked = ranked[: page.limit]
    names = await names_of(client, [int(r[0]) for r in ranked])
    rows = [[r[0], names.get(int(r[0])), *r[1:]] for r in ranked]
    metric = 1 if by is Ranking.REVENUE else 2
    next_cursor = encode_cursor(sort, [ranked[-1][metric], ranked[-1][0]]) if more else None
    engine = request.app.state.engine

    async def every_row() -> AsyncIterator[Sequence[Any]]:
        full, full_parameters = repository.top_query(by.value, filters, None)
        async with engine.connect() as connection:
            async for row in with_names(client, repository.stream(connection, full, full_parameters)):
                yield row

    report = Report(
        f"customers-top-by-{by.value}",
        TOP_COLUMNS,
        rows,
        label="name",
        series=(by.value,),
        next_cursor=next_cursor,
        stream=every_row,
        about={"by": by.value},
    )
    return await reply(session, report, filters, format)


@router.get("/new-vs-returning")
async def new_vs_returning(
    session: SessionDep,
    filters: FiltersDep,
    grain: Annotated[Period, Query(description="Months, quarters or years.")] = Period.MONTH,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Per period (its first day): customers who bought, the new ones (their first purchase ever falls in it) and
    the returning ones, and the revenue of each."""
    found = await repository.new_and_returning(session, grain.value, filters)
    rows = [
        [period, n, new, n - new, new_revenue, revenue - new_revenue, share(new, n)]
        for period, n, new, new_revenue, revenue in found
    ]
    columns = ("period", "customers", "new", "returning", "new_revenue", "returning_revenue", "new_share")
    report = Report(
        "customers-new-vs-returning",
        columns,
        rows,
        label="period",
        series=("new", "returning"),
        about={"grain": grain.value},
    )
    return await reply(session, report, filters, format)


@router.get("/cohorts")
async def cohorts(session: SessionDep, filters: FiltersDep, format: FormatQuery = Format.JSON) -> Response:
    """Cohort retention: for each month of first purchase (`cohort`), the customers buying again `month_offset`
    months later, and their share of the cohort. With a sales filter other than dates, a cohort is the month of
    the first purchase under the filter."""
    cells = await repository.cohorts(session, filters)
    sizes = {cohort: n for cohort, month, n in cells if cohort == month}
    rows = [
        [cohort, months_between(cohort, month), n, sizes.get(cohort, 0), share(n, sizes.get(cohort, 0))]
        for cohort, month, n in cells
    ]
    report = Report(
        "customer-cohorts",
        ("cohort", "month_offset", "customers", "cohort_size", "retention"),
        rows,
        label="cohort",
        series=("retention",),
    )
    return await reply(session, report, filters, format)
