"""HTTP routes of RFM: runs created (analysts, managers, admins; partners with ``analytics:write``) and read
(``analytics:read``): segment sizes, members with their names, one customer's scores, and movements."""

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from starlette.responses import Response

from services.analytics.customers.names import names_of, with_names
from services.analytics.customers.rules import share
from services.analytics.reporting.filters import ReportFilters
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.analytics.rfm import repository, service
from services.analytics.rfm.rules import groups
from services.analytics.rfm.schemas import RfmCustomerPublic, RfmRunCreate, RfmRunPublic, RfmRunsPublic
from services.kit.api import MAX_ID, IdPath
from services.kit.clock import business_today
from services.kit.db import SessionDep
from services.kit.errors import BadCursor, InvalidInput
from services.kit.pagination import PageDep, decode_cursor, encode_cursor

router = APIRouter(prefix="/analytics/rfm", tags=["rfm"])

RunQuery = Annotated[int, Query(ge=0, le=MAX_ID, description="An RFM run's id.")]
SegmentQuery = Annotated[
    str | None,
    Query(min_length=1, max_length=50, description="Only this segment (quintile) or class (quartile), by its key."),
]
NO_FILTERS = ReportFilters()


@router.post("/runs", status_code=status.HTTP_201_CREATED, response_model=RfmRunPublic)
async def create_run(request: Request, session: SessionDep, body: RfmRunCreate) -> RfmRunPublic:
    """Score every customer who bought on or before the reference date (default today in the business time zone)
    and store the run: recency, frequency and monetary value, their scores and the segment (or class). Guests and
    customers without a purchase are left out and counted."""
    reference = body.reference_date or business_today(request.app.state.settings.business_timezone)
    return await service.create_run(session, reference=reference, scheme=body.scheme)


@router.get("/runs", response_model=RfmRunsPublic)
async def list_runs(session: SessionDep, page: PageDep) -> RfmRunsPublic:
    """RFM runs, newest first."""
    items, next_cursor = await service.list_runs(session, page)
    return RfmRunsPublic(items=items, next_cursor=next_cursor)


@router.get("/runs/{run_id}", response_model=RfmRunPublic)
async def read_run(session: SessionDep, run_id: IdPath) -> RfmRunPublic:
    """An RFM run: its reference date, scheme, customers scored and their revenue, and what it left out."""
    return await service.read_run(session, run_id)


def _about(run: RfmRunPublic) -> dict[str, Any]:
    return {"run_id": run.id, "reference_date": run.reference_date, "scheme": run.scheme.value}


@router.get("/runs/{run_id}/segments", responses=REPORT_RESPONSES)
async def run_segments(session: SessionDep, run_id: IdPath, format: FormatQuery = Format.JSON) -> Response:
    """Every segment (quintile) or class (quartile) of a run, best first: its customers and revenue, and their
    shares of the run's customers and revenue (4 places)."""
    run = await service.read_run(session, run_id)
    found = await repository.segments(session, run.id)
    rows = []
    for key, label in groups(run.scheme).items():
        customers, revenue = found.get(key, (0, None))
        revenue = revenue if revenue is not None else Decimal("0.00")
        rows.append([key, label, customers, share(customers, run.customers), revenue, share(revenue, run.revenue)])
    report = Report(
        "rfm-segments",
        ("segment", "label", "customers", "customer_share", "revenue", "revenue_share"),
        rows,
        label="label",
        series=("customers",),
        about=_about(run),
    )
    return await reply(session, report, NO_FILTERS, format)


MEMBER_COLUMNS = ("customer_id", "name", "segment", "recency", "frequency", "monetary", "r", "f", "m")


def _after(key: list[Any]) -> int:
    (customer_id,) = key
    if type(customer_id) is not int or not 0 <= customer_id <= MAX_ID:
        raise BadCursor()
    return customer_id


@router.get("/runs/{run_id}/members", responses=REPORT_RESPONSES)
async def run_members(
    request: Request,
    session: SessionDep,
    run_id: IdPath,
    page: PageDep,
    segment: SegmentQuery = None,
    format: FormatQuery = Format.JSON,
) -> Response:
    """A run's customers (of one segment or class), by id, with their figures, scores and names read from the
    customer service a page at a time; the CSV holds every one, its names read 500 at a time."""
    run = await service.read_run(session, run_id)
    if segment is not None and segment not in groups(run.scheme):
        known = ", ".join(groups(run.scheme))
        raise InvalidInput.field("query.segment", f"not a segment of a {run.scheme.value} run: one of {known}")
    client = request.app.state.customer_client
    sort = f"rfm-members-{run.id}-{segment or ''}"
    after = _after(decode_cursor(page.cursor, sort, 1)) if page.cursor is not None else None
    found = await repository.members(session, repository.members_query(run.id, segment, after), page.limit + 1)
    more = len(found) > page.limit
    found = found[: page.limit]
    names = await names_of(client, [int(r[0]) for r in found])
    rows = [[r[0], names.get(int(r[0])), *r[1:]] for r in found]
    next_cursor = encode_cursor(sort, [found[-1][0]]) if more else None
    engine = request.app.state.engine

    async def every_row() -> AsyncIterator[Sequence[Any]]:
        async with engine.connect() as connection:
            every = repository.stream(connection, repository.members_query(run.id, segment, None))
            async for row in with_names(client, every):
                yield row

    about = _about(run) | ({} if segment is None else {"segment": segment})
    report = Report(
        "rfm-members",
        MEMBER_COLUMNS,
        rows,
        label="customer_id",
        series=("monetary",),
        next_cursor=next_cursor,
        stream=every_row,
        about=about,
    )
    return await reply(session, report, NO_FILTERS, format)


@router.get("/runs/{run_id}/customers/{customer_id}", response_model=RfmCustomerPublic)
async def run_customer(session: SessionDep, run_id: IdPath, customer_id: IdPath) -> RfmCustomerPublic:
    """One customer's figures in a run (last purchase, recency in days, orders, spend), scores and segment."""
    run = await service.read_run(session, run_id)
    return await service.customer(session, run, customer_id)


def _place(keys: list[str], key: str | None) -> int:
    return keys.index(key) if key in keys else len(keys)


@router.get("/movements", responses=REPORT_RESPONSES)
async def movements(
    session: SessionDep, from_run: RunQuery, to_run: RunQuery, format: FormatQuery = Format.JSON
) -> Response:
    """How many customers moved from each segment (or class) of one run to each of another; a customer in one
    run only is counted from or to none."""
    first = await service.read_run(session, from_run, field="query.from_run")
    second = await service.read_run(session, to_run, field="query.to_run")
    before, after = list(groups(first.scheme)), list(groups(second.scheme))
    found = await repository.movements(session, first.id, second.id)
    # Best segment first, a customer in one run only (none) last.
    found.sort(key=lambda m: (_place(before, m[0]), _place(after, m[1])))
    rows = [[a, b, n, a != b] for a, b, n in found]
    report = Report(
        "rfm-movements",
        ("from_segment", "to_segment", "customers", "moved"),
        rows,
        label="from_segment",
        series=("customers",),
        about={"from_run": first.id, "to_run": second.id},
    )
    return await reply(session, report, NO_FILTERS, format)
