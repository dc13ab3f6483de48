"""Levels and groups: compute a month's levels as a stored run, read a run's levels and groups.

A run is computed with the program's level thresholds in force when the month ended, over the
customers active when it is computed who existed before the month ended. Reading a month returns
its latest run unless a run is named, so a past answer reads the same later.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.kit.errors import InvalidInput, NotFound
from services.kit.pagination import PageParams, SortKey, paginate
from services.loyalty.levels import repository
from services.loyalty.levels.models import customer_level, level_run
from services.loyalty.levels.rules import month_end, quantile_fractions
from services.loyalty.levels.schemas import (
    CustomerLevelPublic,
    GroupMemberPublic,
    GroupsPublic,
    LevelCount,
    LevelGroups,
    LevelRunPublic,
)
from services.loyalty.program.service import program_at
from services.loyalty.runs import page_of_runs

BY_CUSTOMER = SortKey("customer_id", customer_level.c.customer_id)


async def compute_levels(session: AsyncSession, *, month: date, zone: ZoneInfo, at: datetime) -> LevelRunPublic:
    """Compute ``month``'s levels now and store them as a new run."""
    end = month_end(month, zone)
    program = await program_at(session, end - timedelta(microseconds=1))
    levels = program.settings.levels
    run_id = await repository.insert_run(
        session,
        month=month,
        computed_at=at,
        program_version=program.version,
        thresholds=[level.model_dump(mode="json") for level in levels],
    )
    await repository.compute_levels(session, run_id=run_id, month=month, month_end=end, levels=levels)
    return await read_run(session, run_id=run_id)


async def read_run(session: AsyncSession, *, run_id: int) -> LevelRunPublic:
    row = await get_run_or_raise(session, run_id=run_id)
    counts = [
        LevelCount(level=c.level, customers=c.customers, volume=c.volume)
        for c in await repository.level_counts(session, run_id)
    ]
    return LevelRunPublic.model_validate({**row._mapping, "levels": counts})


async def get_run_or_raise(session: AsyncSession, *, run_id: int) -> Any:
    row = await repository.run_by_id(session, run_id)
    if row is None:
        raise NotFound(f"no level run {run_id}")
    return row


async def run_of(session: AsyncSession, *, month: date | None, run_id: int | None) -> Any:
    """The run named, or the latest run of ``month``; a 404 when there is none, a 422 when neither is given."""
    if run_id is not None:
        row = await get_run_or_raise(session, run_id=run_id)
        if month is not None and row.month != month:
            raise InvalidInput.field("query.run_id", f"run {run_id} is of {row.month:%Y-%m}, not {month:%Y-%m}")
        return row
    if month is None:
        raise InvalidInput.field("query.month", "give a month or a run", "missing")
    row = await repository.latest_run(session, month)
    if row is None:
        raise NotFound(f"no levels computed for {month:%Y-%m}: compute them first (POST /loyalty/levels/runs)")
    return row


async def list_runs(
    session: AsyncSession, *, month: date | None, page: PageParams
) -> tuple[list[LevelRunPublic], str | None]:
    """Level runs, newest first, of one month or all."""
    ids, next_cursor = await page_of_runs(session, level_run, month=month, page=page)
    rows = await repository.runs_by_id(session, ids)
    return [LevelRunPublic.model_validate(row._mapping) for row in rows], next_cursor


async def list_levels(
    session: AsyncSession, *, run_id: int, conditions: list[Any], page: PageParams
) -> tuple[list[CustomerLevelPublic], str | None]:
    """A page of a run's customers matching ``conditions``, by customer id."""
    statement = select(customer_level.c.customer_id).where(*conditions)
    ids, next_cursor = await paginate(session, statement, sort=BY_CUSTOMER, params=page)
    rows = await repository.customer_levels(session, run_id, ids)
    return [CustomerLevelPublic.model_validate(row._mapping) for row in rows], next_cursor


def export_levels(connection: AsyncConnection, conditions: list[Any]) -> AsyncIterator[Sequence[Any]]:
    return repository.stream_levels(connection, conditions)


async def groups(session: AsyncSession, *, run: Any, band: int) -> GroupsPublic:
    """The groups of every level 1 to 5 of a run under ``band``."""
    retention, promotion = quantile_fractions(band)
    rows = await repository.group_summary(session, run_id=run.id, retention=retention, promotion=promotion)
    return GroupsPublic(
        run_id=run.id,
        month=run.month,
        band=band,
        levels=[LevelGroups.model_validate(row._mapping) for row in rows],
    )


async def group_members(
    session: AsyncSession,
    *,
    run: Any,
    band: int,
    level: int | None,
    group: str | None,
    city: str | None,
    store_id: int | None,
    after: int,
    limit: int,
) -> tuple[list[GroupMemberPublic], int | None]:
    """A page of a run's customers in levels 1 to 5 with their group; the last customer id when there are more."""
    retention, promotion = quantile_fractions(band)
    rows = await repository.group_members(
        session,
        run_id=run.id,
        retention=retention,
        promotion=promotion,
        level=level,
        group=group,
        city=city,
        store_id=store_id,
        after=after,
        limit=limit + 1,
    )
    more = len(rows) > limit
    items = [GroupMemberPublic.model_validate(row._mapping) for row in rows[:limit]]
    return items, (items[-1].customer_id if more else None)
