"""Budget allocation: plan a month's budget over its levels and groups, store every share, read runs back.

The level run is the month's latest (or the one named; computed now when the month has none), so
an allocation and the levels it was computed from can always be read together again.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.kit.errors import InvalidInput, NotFound
from services.kit.pagination import PageParams
from services.loyalty.budgets import repository
from services.loyalty.budgets.models import budget_run
from services.loyalty.budgets.rules import plan_budget
from services.loyalty.budgets.schemas import BudgetLevelPublic, BudgetRunCreate, BudgetRunPublic, BudgetSharePublic
from services.loyalty.levels import repository as levels_repository
from services.loyalty.levels import service as levels
from services.loyalty.levels.rules import quantile_fractions
from services.loyalty.runs import page_of_runs


async def level_run_for(session: AsyncSession, *, month: date, run_id: int | None, zone: ZoneInfo, at: datetime) -> Any:
    if run_id is not None:
        run = await levels.get_run_or_raise(session, run_id=run_id)
        if run.month != month:
            raise InvalidInput.field("body.level_run_id", f"run {run_id} is of {run.month:%Y-%m}, not {month:%Y-%m}")
        return run
    run = await levels_repository.latest_run(session, month)
    if run is None:
        computed = await levels.compute_levels(session, month=month, zone=zone, at=at)
        run = await levels_repository.run_by_id(session, computed.id)
    return run


async def allocate_budget(
    session: AsyncSession, *, request: BudgetRunCreate, by: str, zone: ZoneInfo, at: datetime
) -> BudgetRunPublic:
    """Allocate ``request``'s amounts over its month's levels and groups, store the run and its shares."""
    level_run = await level_run_for(session, month=request.month, run_id=request.level_run_id, zone=zone, at=at)
    retention, promotion = quantile_fractions(request.band)
    stats = await repository.level_stats(session, run_id=level_run.id, retention=retention, promotion=promotion)
    plan = plan_budget(amount=request.amount, level0_amount=request.level0_amount, selected=request.levels, stats=stats)
    run_id = await repository.insert_run(
        session,
        {
            "month": request.month,
            "band": request.band,
            "amount": request.amount,
            "level0_amount": request.level0_amount,
            "levels": request.levels,
            "city": request.city,
            "store_id": request.store_id,
            "level_run_id": level_run.id,
            "computed_at": at,
            "created_by": by,
            "allocated": plan.allocated,
            "unspent": plan.unspent,
            "level0_allocated": plan.level0_allocated,
            "level0_unspent": plan.level0_unspent,
        },
    )
    await repository.insert_levels(session, [{"run_id": run_id, **vars(budget)} for budget in plan.levels])
    await repository.insert_shares(
        session,
        budget_run_id=run_id,
        level_run_id=level_run.id,
        retention=retention,
        promotion=promotion,
        pools=plan.pools(),
    )
    return await read_run(session, run_id=run_id)


async def get_run_or_raise(session: AsyncSession, *, run_id: int) -> Any:
    row = await repository.run_by_id(session, run_id)
    if row is None:
        raise NotFound(f"no budget run {run_id}")
    return row


async def read_run(session: AsyncSession, *, run_id: int) -> BudgetRunPublic:
    """A run with its levels and what the customers it returns (its city and store) receive."""
    row = await get_run_or_raise(session, run_id=run_id)
    (public,) = await _public(session, [row])
    if row.city is None and row.store_id is None:
        # Nationally, the run returns every customer it pays: its totals, without reading the shares.
        paid = [level for level in public.per_level if level.allocated > 0]
        customers = sum(
            level.customers if level.level == 0 else level.promotion_customers + level.retention_customers
            for level in paid
        )
        amount = row.allocated + row.level0_allocated
    else:
        shown = await repository.shown_totals(session, repository.shares_query(row))
        customers, amount = shown.customers, shown.amount
    return public.model_copy(update={"shown_customers": customers, "shown_amount": amount})


async def _public(session: AsyncSession, rows: Sequence[Any]) -> list[BudgetRunPublic]:
    per_run: dict[int, list[BudgetLevelPublic]] = {}
    for level in await repository.levels_of(session, [row.id for row in rows]):
        per_run.setdefault(level.run_id, []).append(BudgetLevelPublic.model_validate(level._mapping))
    return [BudgetRunPublic.model_validate({**row._mapping, "per_level": per_run.get(row.id, [])}) for row in rows]


async def list_runs(
    session: AsyncSession, *, month: date | None, page: PageParams
) -> tuple[list[BudgetRunPublic], str | None]:
    ids, next_cursor = await page_of_runs(session, budget_run, month=month, page=page)
    return await _public(session, await repository.runs_by_id(session, ids)), next_cursor


async def list_shares(
    session: AsyncSession, *, run: Any, level: int | None, group: str | None, after: int, limit: int
) -> tuple[list[BudgetSharePublic], int | None]:
    """A page of the shares a run returns, by customer id; the last customer id when there are more."""
    statement = repository.shares_query(run, level=level, group=group)
    rows = await repository.shares_page(session, statement, after=after, limit=limit + 1)
    items = [BudgetSharePublic.model_validate(row._mapping) for row in rows[:limit]]
    return items, (items[-1].customer_id if len(rows) > limit else None)


def export_shares(
    connection: AsyncConnection, run: Any, *, level: int | None, group: str | None
) -> AsyncIterator[Sequence[Any]]:
    return repository.stream_shares(connection, repository.shares_query(run, level=level, group=group))
