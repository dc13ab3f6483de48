"""HTTP routes for monthly targets: managers start runs and read them; a customer reads their own targets."""

from datetime import date

from fastapi import APIRouter, Request, status

from services.kit.api import IdPath, IsoDate
from services.kit.db import SessionDep
from services.kit.errors import InvalidInput
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal
from services.loyalty.targets import service
from services.loyalty.targets.levels import levels_computer
from services.loyalty.targets.schemas import (
    AchievementsPublic,
    TargetRunCreate,
    TargetRunPublic,
    TargetRunsPublic,
    TargetsPublic,
)

router = APIRouter(prefix="/loyalty", tags=["targets"])


def _month(month: date | None) -> date | None:
    if month is not None and month.day != 1:
        raise InvalidInput.field("query.month", "must be the first day of a month", "first_day")
    return month


@router.post("/targets/runs", status_code=status.HTTP_201_CREATED, response_model=TargetRunPublic)
async def create_target_run(
    request: Request, session: SessionDep, principal: CurrentPrincipal, body: TargetRunCreate
) -> TargetRunPublic:
    """Set a month's targets for the customers chosen by last month's level and volume (`lower ≤ volume <
    upper`): by percent, volume × (1 + percent/100); by value, volume + value; to the cent. A zero percent
    or value, or a zero volume, sets no target. Last month's levels are those of its latest level run,
    computed now if there is none (409 while last month is still going on)."""
    compute_levels = levels_computer(request.app.state.settings.business_timezone)
    row = await service.create_run(
        session, month=body.month, terms=body, origin="api", by=principal.subject, compute_levels=compute_levels
    )
    return await service.read_run(session, run_id=row.id)


@router.get("/targets/runs", response_model=TargetRunsPublic)
async def list_target_runs(session: SessionDep, page: PageDep, month: IsoDate | None = None) -> TargetRunsPublic:
    """Target runs, newest first, optionally of one month (its first day)."""
    items, next_cursor = await service.list_runs(session, month=_month(month), page=page)
    return TargetRunsPublic(items=items, next_cursor=next_cursor)


@router.get("/targets/runs/{run_id}", response_model=TargetRunPublic)
async def read_target_run(session: SessionDep, run_id: IdPath) -> TargetRunPublic:
    """A target run: what it was asked, the level run it read, how many targets it set and how many are reached."""
    return await service.read_run(session, run_id=run_id)


@router.get("/targets/runs/{run_id}/targets", response_model=TargetsPublic)
async def list_run_targets(
    session: SessionDep, run_id: IdPath, page: PageDep, achieved: bool | None = None
) -> TargetsPublic:
    """A run's targets in id order, each with its achievement when reached (`achieved` filters)."""
    items, next_cursor = await service.list_targets(session, run_id=run_id, achieved=achieved, page=page)
    return TargetsPublic(items=items, next_cursor=next_cursor)


@router.get("/targets/runs/{run_id}/achievements", response_model=AchievementsPublic)
async def list_target_achievements(session: SessionDep, run_id: IdPath, page: PageDep) -> AchievementsPublic:
    """A run's achievements: when each target was reached, by what volume, and the gift and points credited."""
    items, next_cursor = await service.list_achievements(session, run_id=run_id, page=page)
    return AchievementsPublic(items=items, next_cursor=next_cursor)


@router.get("/customers/{customer_id}/targets", response_model=TargetsPublic)
async def list_customer_targets(
    session: SessionDep, customer_id: IdPath, page: PageDep, month: IsoDate | None = None
) -> TargetsPublic:
    """A customer's targets, newest first: what to reach, what reaching it gives, and whether it is reached."""
    items, next_cursor = await service.customer_targets(
        session, customer_id=customer_id, month=_month(month), page=page
    )
    return TargetsPublic(items=items, next_cursor=next_cursor)
