"""HTTP routes for levels: compute a month's levels (managers), read runs, levels and groups (managers, analysts)."""

from collections.abc import AsyncIterator, Sequence
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Query, Request, status
from starlette.responses import StreamingResponse

from services.kit.api import IdPath
from services.kit.clock import utcnow
from services.kit.csv_export import csv_response
from services.kit.db import SessionDep
from services.kit.errors import BadCursor
from services.kit.pagination import PageDep, decode_cursor, encode_cursor
from services.loyalty.levels import repository, service
from services.loyalty.levels.rules import Group
from services.loyalty.levels.schemas import (
    Band,
    CustomerLevelsPublic,
    GroupMembersPublic,
    GroupsPublic,
    Level,
    LevelRunCreate,
    LevelRunPublic,
    LevelRunsPublic,
    Month,
)

router = APIRouter(prefix="/loyalty/levels", tags=["levels"])

MonthQuery = Annotated[Month | None, Query(description="The month, `YYYY-MM`.")]
RunQuery = Annotated[int | None, Query(ge=1, description="A run of the month; none: its latest run.")]
LevelQuery = Annotated[Level | None, Query(description="Only customers of this level.")]
CityQuery = Annotated[str | None, Query(min_length=1, max_length=200, description="Only customers of this city.")]
StoreQuery = Annotated[int | None, Query(ge=1, description="Only customers of this home store.")]
BandQuery = Annotated[Band, Query()]


@router.post("/runs", status_code=status.HTTP_201_CREATED, response_model=LevelRunPublic)
async def compute_levels(request: Request, session: SessionDep, body: LevelRunCreate) -> LevelRunPublic:
    """Compute a month's levels now, with the thresholds in force when the month ended, as a new run.

    Every active customer who existed before the month ended gets a row: level 0 without purchases,
    none for a volume strictly between 0 and 1. Earlier runs of the month stay as they were.
    """
    zone = ZoneInfo(request.app.state.settings.business_timezone)
    return await service.compute_levels(session, month=body.month, zone=zone, at=utcnow())


@router.get("/runs", response_model=LevelRunsPublic)
async def list_level_runs(session: SessionDep, page: PageDep, month: MonthQuery = None) -> LevelRunsPublic:
    """Level runs, newest first, of one month or of all."""
    items, next_cursor = await service.list_runs(session, month=month, page=page)
    return LevelRunsPublic(items=items, next_cursor=next_cursor)


@router.get("/runs/{run_id}", response_model=LevelRunPublic)
async def read_level_run(session: SessionDep, run_id: IdPath) -> LevelRunPublic:
    """A level run: its month, thresholds, and customers and volume per level."""
    return await service.read_run(session, run_id=run_id)


@router.get("", response_model=CustomerLevelsPublic)
async def list_levels(
    session: SessionDep,
    page: PageDep,
    month: MonthQuery = None,
    run_id: RunQuery = None,
    level: LevelQuery = None,
    city: CityQuery = None,
    store_id: StoreQuery = None,
) -> CustomerLevelsPublic:
    """Customers' levels in a month's latest run (or the run named), by customer id, with their figures."""
    run = await service.run_of(session, month=month, run_id=run_id)
    conditions = repository.levels_filter(run.id, level=level, city=city, store_id=store_id)
    items, next_cursor = await service.list_levels(session, run_id=run.id, conditions=conditions, page=page)
    return CustomerLevelsPublic(run_id=run.id, month=run.month, items=items, next_cursor=next_cursor)


@router.get(
    ".csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One line per customer, by customer id."}},
)
async def export_levels(
    request: Request,
    session: SessionDep,
    month: MonthQuery = None,
    run_id: RunQuery = None,
    level: LevelQuery = None,
    city: CityQuery = None,
    store_id: StoreQuery = None,
) -> StreamingResponse:
    """The same customers as the listing, all of them, as CSV."""
    run = await service.run_of(session, month=month, run_id=run_id)
    conditions = repository.levels_filter(run.id, level=level, city=city, store_id=store_id)
    engine = request.app.state.engine

    async def rows() -> AsyncIterator[Sequence[Any]]:
        async with engine.connect() as connection:
            async for row in service.export_levels(connection, conditions):
                yield row

    return csv_response(f"levels-{run.month:%Y-%m}-run-{run.id}.csv", repository.LEVEL_COLUMNS, rows())


@router.get("/groups", response_model=GroupsPublic)
async def read_groups(
    session: SessionDep, band: BandQuery, month: MonthQuery = None, run_id: RunQuery = None
) -> GroupsPublic:
    """Per level 1 to 5: the retention and promotion quantiles of band b and the size of each group.

    Promotion: volume at or above the (10 − b)/10 quantile; retention: at or below the b/10 quantile
    (retention wins a tie); consistent: strictly between.
    """
    run = await service.run_of(session, month=month, run_id=run_id)
    return await service.groups(session, run=run, band=band)


@router.get("/groups/customers", response_model=GroupMembersPublic)
async def list_group_members(
    session: SessionDep,
    band: BandQuery,
    page: PageDep,
    month: MonthQuery = None,
    run_id: RunQuery = None,
    level: Annotated[int | None, Query(ge=1, le=5, description="Only customers of this level.")] = None,
    group: Annotated[Group | None, Query(description="Only customers of this group.")] = None,
    city: CityQuery = None,
    store_id: StoreQuery = None,
) -> GroupMembersPublic:
    """The customers of levels 1 to 5 with their group under band b, by customer id."""
    run = await service.run_of(session, month=month, run_id=run_id)
    after = 0
    if page.cursor:
        (after,) = decode_cursor(page.cursor, "customer_id", 1)
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
            raise BadCursor()
    items, last = await service.group_members(
        session,
        run=run,
        band=band,
        level=level,
        group=group,
        city=city,
        store_id=store_id,
        after=after,
        limit=page.limit,
    )
    next_cursor = None if last is None else encode_cursor("customer_id", [last])
    return GroupMembersPublic(run_id=run.id, month=run.month, band=band, items=items, next_cursor=next_cursor)
