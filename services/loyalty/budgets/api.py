"""HTTP routes for budget allocations: managers allocate a month's budget; managers and analysts read the runs."""

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
from services.kit.pagination import PageDep, PageParams, decode_cursor, encode_cursor
from services.kit.principal import CurrentPrincipal
from services.loyalty.budgets import service
from services.loyalty.budgets.schemas import (
    BudgetRunCreate,
    BudgetRunPublic,
    BudgetRunsPublic,
    BudgetSharesPublic,
    ShareGroup,
)
from services.loyalty.levels.schemas import Level, Month

router = APIRouter(prefix="/loyalty/budgets", tags=["budgets"])

SHARE_COLUMNS = ("customer_id", "level", "group", "amount", "city", "home_store_id")
LevelQuery = Annotated[Level | None, Query(description="Only customers of this level.")]
GroupQuery = Annotated[ShareGroup | None, Query(description="Only customers of this group.")]


def _after(page: PageParams) -> int:
    if not page.cursor:
        return 0
    (after,) = decode_cursor(page.cursor, "customer_id", 1)
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after < 2**63:
        raise BadCursor()
    return after


@router.post("/runs", status_code=status.HTTP_201_CREATED, response_model=BudgetRunPublic)
async def allocate_budget(
    request: Request, session: SessionDep, principal: CurrentPrincipal, body: BudgetRunCreate
) -> BudgetRunPublic:
    """Allocate a month's budget to the cent and store it as a run.

    Each level 1 to 5 receives its share of the amount by volume (of the whole month, selected or
    not), half to its promotion group and half to its retention group, shared equally; consistent
    customers receive nothing; level 0 shares the level-0 amount equally. A level not selected, or
    with an empty promotion or retention group, is reported unspent. The city and store narrow the
    customers the run returns, never the computation.
    """
    zone = ZoneInfo(request.app.state.settings.business_timezone)
    return await service.allocate_budget(session, request=body, by=principal.subject, zone=zone, at=utcnow())


@router.get("/runs", response_model=BudgetRunsPublic)
async def list_budget_runs(
    session: SessionDep, page: PageDep, month: Annotated[Month | None, Query(description="`YYYY-MM`.")] = None
) -> BudgetRunsPublic:
    """Budget runs, newest first, of one month or of all."""
    items, next_cursor = await service.list_runs(session, month=month, page=page)
    return BudgetRunsPublic(items=items, next_cursor=next_cursor)


@router.get("/runs/{run_id}", response_model=BudgetRunPublic)
async def read_budget_run(session: SessionDep, run_id: IdPath) -> BudgetRunPublic:
    """A budget run: its input, per-level shares, allocated and unspent, and what its returned customers receive."""
    return await service.read_run(session, run_id=run_id)


@router.get("/runs/{run_id}/shares", response_model=BudgetSharesPublic)
async def list_budget_shares(
    session: SessionDep, run_id: IdPath, page: PageDep, level: LevelQuery = None, group: GroupQuery = None
) -> BudgetSharesPublic:
    """The customers a run pays (narrowed by its city and store), by customer id, with their share."""
    run = await service.get_run_or_raise(session, run_id=run_id)
    items, last = await service.list_shares(
        session, run=run, level=level, group=group, after=_after(page), limit=page.limit
    )
    next_cursor = None if last is None else encode_cursor("customer_id", [last])
    return BudgetSharesPublic(run_id=run.id, items=items, next_cursor=next_cursor)


@router.get(
    "/runs/{run_id}/shares.csv",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/csv": {}}, "description": "One line per customer paid, by customer id."}},
)
async def export_budget_shares(
    request: Request, session: SessionDep, run_id: IdPath, level: LevelQuery = None, group: GroupQuery = None
) -> StreamingResponse:
    """The same shares as the listing, all of them, as CSV."""
    run = await service.get_run_or_raise(session, run_id=run_id)
    engine = request.app.state.engine

    async def rows() -> AsyncIterator[Sequence[Any]]:
        async with engine.connect() as connection:
            async for row in service.export_shares(connection, run, level=level, group=group):
                yield row

    return csv_response(f"budget-{run.month:%Y-%m}-run-{run.id}.csv", SHARE_COLUMNS, rows())
