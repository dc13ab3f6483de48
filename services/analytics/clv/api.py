"""HTTP routes of lifetime value: the frequency/recency/T/monetary summary per customer, the BG/NBD and
Gamma-Gamma fits (stored runs), and their predictions per customer and in total (docs/analytics.md)."""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, ConfigDict, Field
from starlette.responses import Response

from services.analytics.clv import repository, service
from services.analytics.clv.repository import SUMMARY_COLUMNS
from services.analytics.clv.service import PREDICTION_COLUMNS, TOTAL_COLUMNS, Horizon, cents
from services.analytics.reporting.filters import ReportFilters
from services.analytics.reporting.replies import REPORT_RESPONSES, Format, FormatQuery, Report, reply
from services.kit.api import IsoDate
from services.kit.clock import business_today
from services.kit.db import SessionDep
from services.kit.errors import BadCursor, InvalidInput, NotFound
from services.kit.pagination import PageDep, decode_cursor, encode_cursor

router = APIRouter(prefix="/analytics/clv", tags=["clv"])

CSV_BATCH = 500
ID = Annotated[int, Path(ge=1, le=2**63 - 1)]
UnitQuery = Annotated[int, Query(ge=1, le=365, description="The time unit in days (7: weeks).")]
HorizonQuery = Annotated[
    float, Query(gt=0, le=10_000, description="Expected purchases over this many time units ahead.")
]
MonthsQuery = Annotated[int, Query(ge=1, le=600, description="The lifetime value's horizon, in months of 30 days.")]
DiscountQuery = Annotated[float, Query(ge=0, le=1, description="The monthly discount rate (0.01: 1 % a month).")]
NO_FILTERS = ReportFilters()


def _today(request: Request) -> date:
    return business_today(request.app.state.settings.business_timezone)


def _calibration_end(request: Request, given: date | None, field: str) -> date:
    """The calibration end asked for, else today; a day still to come would count time not yet observed."""
    today = _today(request)
    if given is not None and given > today:
        raise InvalidInput.field(field, "must not be after today (business time zone)", "future")
    return given or today


def _after(cursor: str | None, sort: str) -> int | None:
    if cursor is None:
        return None
    (after,) = decode_cursor(cursor, sort, 1)
    if type(after) is not int or not 0 <= after < 2**63:
        raise BadCursor()
    return after


def _summary_row(row: Sequence[Any]) -> list[Any]:
    customer_id, first, last, days, frequency, recency, age, value = row
    return [customer_id, first, last, int(days), int(frequency), round(recency, 6), round(age, 6), cents(value)]


@router.get("/summary", responses=REPORT_RESPONSES)
async def summary(
    request: Request,
    session: SessionDep,
    page: PageDep,
    calibration_end: Annotated[
        IsoDate | None,
        Query(description="Only purchases on or before this day (default: today, business time zone)."),
    ] = None,
    unit_days: UnitQuery = 7,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Each customer's summary, by customer id: first and last purchase days, purchase days, frequency (repeat
    purchase days), recency and T (in time units) and monetary value (the mean of the repeat purchase days'
    net amounts); the CSV holds every customer."""
    end = _calibration_end(request, calibration_end, "query.calibration_end")
    sort = f"clv-summary-{end.isoformat()}"
    found = await repository.summary_page(session, end, unit_days, _after(page.cursor, sort), page.limit + 1)
    rows = [_summary_row(r) for r in found[: page.limit]]
    more = len(found) > page.limit
    engine = request.app.state.engine

    async def every_row() -> AsyncIterator[Sequence[Any]]:
        query, parameters = repository.summary_query(end, unit_days)
        async with engine.connect() as connection:
            async for row in repository.stream(connection, query, parameters):
                yield _summary_row(row)

    report = Report(
        "clv-summary",
        SUMMARY_COLUMNS,
        rows,
        label="customer_id",
        series=("frequency", "monetary_value"),
        next_cursor=encode_cursor(sort, [rows[-1][0]]) if more else None,
        stream=every_row,
        about={"calibration_end": end, "unit_days": unit_days},
    )
    return await reply(session, report, NO_FILTERS, format)


@router.get("/summary/{customer_id}", responses=REPORT_RESPONSES)
async def customer_summary(
    request: Request,
    session: SessionDep,
    customer_id: Annotated[int, Path(ge=0, le=2**63 - 1)],
    calibration_end: Annotated[IsoDate | None, Query(description="Only purchases on or before this day.")] = None,
    unit_days: UnitQuery = 7,
    format: FormatQuery = Format.JSON,
) -> Response:
    """One customer's summary; 404 when the customer has no purchase on or before the calibration end."""
    end = _calibration_end(request, calibration_end, "query.calibration_end")
    found = await repository.summary_of(session, end, unit_days, customer_id)
    if found is None:
        raise NotFound(f"Customer {customer_id} has no purchase on or before {end.isoformat()}.")
    report = Report(
        "clv-customer-summary",
        SUMMARY_COLUMNS,
        [_summary_row(found)],
        label="customer_id",
        series=("frequency",),
        about={"calibration_end": end, "unit_days": unit_days, "customer_id": customer_id},
    )
    return await reply(session, report, NO_FILTERS, format)


class NewFit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    calibration_end: date | None = Field(
        None, description="Fit on purchases on or before this day (default: today, business time zone)."
    )
    unit_days: int = Field(7, ge=1, le=365, description="The time unit in days (7: weeks).")


class Fit(BaseModel):
    """A stored fit: BG/NBD's r, α (``alpha``), a, b and Gamma-Gamma's p, q, γ (``gamma``), with each model's
    log-likelihood and whether its optimiser converged."""

    id: int
    created_at: datetime
    calibration_end: date
    unit_days: int
    customers: int
    repeat_customers: int
    r: float
    alpha: float
    a: float
    b: float
    bgnbd_log_likelihood: float
    bgnbd_converged: bool
    p: float
    q: float
    gamma: float
    gamma_gamma_log_likelihood: float
    gamma_gamma_converged: bool


class Fits(BaseModel):
    items: list[Fit]
    next_cursor: str | None = None


CANNOT_FIT: dict[int | str, dict[str, Any]] = {
    422: {"description": "The models cannot be fitted (the problem's `reason` says why)."}
}


@router.post("/fits", status_code=201, responses=CANNOT_FIT)
async def create_fit(request: Request, session: SessionDep, body: NewFit | None = None) -> Fit:
    """Fit BG/NBD and Gamma-Gamma by maximum likelihood on the customers' summary at the calibration end, and
    store the fit. A 422 problem names why when the models cannot be fitted: no purchase, fewer than 10
    customers with a repeat purchase, an optimiser not converging, or non-finite results."""
    body = body or NewFit()
    stored = await service.create_fit(
        session, _calibration_end(request, body.calibration_end, "body.calibration_end"), body.unit_days
    )
    return Fit.model_validate(stored)


@router.get("/fits")
async def fits(session: SessionDep, page: PageDep) -> Fits:
    """The stored fits, newest first."""
    found = await repository.fits(session, _after(page.cursor, "clv-fits"), page.limit + 1)
    more = len(found) > page.limit
    items = [Fit.model_validate(f) for f in found[: page.limit]]
    return Fits(items=items, next_cursor=encode_cursor("clv-fits", [items[-1].id]) if more else None)


async def _stored(session: SessionDep, fit_id: int) -> dict[str, Any]:
    found = await repository.fit(session, fit_id)
    if found is None:
        raise NotFound(f"No lifetime value fit {fit_id}.")
    return found


@router.get("/fits/{fit_id}")
async def fit(session: SessionDep, fit_id: ID) -> Fit:
    """One stored fit."""
    return Fit.model_validate(await _stored(session, fit_id))


@router.get("/fits/{fit_id}/predictions", responses={**REPORT_RESPONSES, **CANNOT_FIT})
async def predictions(
    request: Request,
    session: SessionDep,
    page: PageDep,
    fit_id: ID,
    horizon: HorizonQuery = 52,
    months: MonthsQuery = 12,
    discount_rate: DiscountQuery = 0.01,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Per customer of the fit's calibration (by id): the summary, the purchases expected over ``horizon`` time
    units, the probability of being alive, the expected spend per purchase and the lifetime value over
    ``months`` months discounted at ``discount_rate`` a month. The summaries are read again from the facts at
    the fit's calibration end. The CSV holds every customer."""
    stored = await _stored(session, fit_id)
    ahead = Horizon(horizon, months, discount_rate)
    end, unit = stored["calibration_end"], stored["unit_days"]
    sort = f"clv-predictions-{fit_id}"
    found = await repository.summary_page(session, end, unit, _after(page.cursor, sort), page.limit + 1)
    rows = await service.predict(stored, found[: page.limit], ahead)
    more = len(found) > page.limit
    engine = request.app.state.engine

    async def every_row() -> AsyncIterator[Sequence[Any]]:
        query, parameters = repository.summary_query(end, unit)
        batch: list[Sequence[Any]] = []
        async with engine.connect() as connection:
            async for row in repository.stream(connection, query, parameters):
                batch.append(row)
                if len(batch) == CSV_BATCH:
                    for predicted in await service.predict(stored, batch, ahead):
                        yield predicted
                    batch = []
        for predicted in await service.predict(stored, batch, ahead):
            yield predicted

    report = Report(
        "clv-predictions",
        PREDICTION_COLUMNS,
        rows,
        label="customer_id",
        series=("expected_purchases", "clv"),
        next_cursor=encode_cursor(sort, [rows[-1][0]]) if more else None,
        stream=every_row,
        about={"fit_id": fit_id, "horizon": horizon, "months": months, "discount_rate": discount_rate},
    )
    return await reply(session, report, NO_FILTERS, format)


@router.get("/fits/{fit_id}/totals", responses={**REPORT_RESPONSES, **CANNOT_FIT})
async def totals(
    session: SessionDep,
    fit_id: ID,
    horizon: HorizonQuery = 52,
    months: MonthsQuery = 12,
    discount_rate: DiscountQuery = 0.01,
    rfm_run_id: Annotated[
        int | None, Query(ge=1, le=2**63 - 1, description="Total per segment of this RFM run.")
    ] = None,
    format: FormatQuery = Format.JSON,
) -> Response:
    """Over every customer of the fit's calibration (segment ``all``), or per segment of an RFM run (customers
    the run did not score: segment null): customers, purchases expected over the horizon, the expected number
    of customers alive and the total lifetime value."""
    stored = await _stored(session, fit_id)
    segments = None
    if rfm_run_id is not None:
        segments = await repository.segments(session, rfm_run_id)
        if segments is None:
            raise NotFound(f"No RFM run {rfm_run_id}.")
    rows = await service.totals(session, stored, Horizon(horizon, months, discount_rate), segments)
    about: dict[str, Any] = {"fit_id": fit_id, "horizon": horizon, "months": months, "discount_rate": discount_rate}
    if rfm_run_id is not None:
        about["rfm_run_id"] = rfm_run_id
    report = Report("clv-totals", TOTAL_COLUMNS, rows, label="segment", series=("clv",), about=about)
    return await reply(session, report, NO_FILTERS, format)
