"""Monthly targets (SPEC §3.5): runs set targets from last month's levels; the ledger's consumer records each
target reached by live purchases once, crediting the run's gift reward and wallet points."""

from collections.abc import Awaitable, Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.loyalty import TargetAchieved
from services.kit.clock import utcnow
from services.kit.errors import Conflict, InvalidInput, NotFound
from services.kit.pagination import PageParams, SortKey, paginate
from services.loyalty.outbox import outbox
from services.loyalty.rewards import service as rewards
from services.loyalty.runs import page_of_runs
from services.loyalty.targets import repository
from services.loyalty.targets.models import target, target_achievement, target_run
from services.loyalty.targets.repository import CustomerMonth
from services.loyalty.targets.rules import previous_month, target_for
from services.loyalty.targets.schemas import (
    AchievementPublic,
    TargetPublic,
    TargetRunPublic,
    TargetRunTerms,
)
from services.loyalty.wallet import service as wallet

NEWEST_TARGET_FIRST = SortKey("-id", target.c.id, descending=True)
BY_TARGET = SortKey("id", target.c.id)
BY_ACHIEVEMENT = SortKey("target_id", target_achievement.c.target_id)

LevelsOf = Callable[[AsyncSession, date], Awaitable[int | None]]
"""Computes a month's levels when none are stored; the new level run's id (None: it cannot)."""


def points_source(run_id: int, customer_id: int) -> str:
    """The wallet source of a target's points: a target credits its points once."""
    return f"target:{run_id}:customer:{customer_id}"


async def _level_run_of(session: AsyncSession, month: date, compute_levels: LevelsOf | None) -> int:
    """The latest level run of ``month``; one computed now when there is none and it can be; else a 409."""
    level_run_id = await repository.latest_level_run(session, month)
    if level_run_id is None and compute_levels is not None:
        level_run_id = await compute_levels(session, month)
    if level_run_id is None:
        raise Conflict(f"compute the levels of {month:%Y-%m} first")
    return level_run_id


async def create_run(
    session: AsyncSession,
    *,
    month: date,
    terms: TargetRunTerms,
    origin: str,
    by: str,
    compute_levels: LevelsOf | None = None,
) -> Any:
    """Store a target run for ``month`` and set its targets from last month's levels, in one statement.

    No target is set for a zero percent or value, nor for a customer with no volume last month.
    """
    if terms.gift_product_id is not None and not await repository.product_exists(session, terms.gift_product_id):
        raise InvalidInput.field("body.gift_product_id", "no such product", "unknown")
    level_run_id = await _level_run_of(session, previous_month(month), compute_levels)
    run = await repository.insert_run(
        session,
        {
            "month": month,
            "origin": origin,
            "level_run_id": level_run_id,
            "levels": sorted(terms.levels) if terms.levels is not None else None,
            "lower": terms.lower,
            "upper": terms.upper,
            "mode": terms.mode.value,
            "percent": terms.percent,
            "value": terms.value,
            "gift_percent": terms.gift_percent,
            "gift_product_id": terms.gift_product_id,
            "points": terms.points,
            "created_by": by,
        },
    )
    if target_for(Decimal(1), terms.mode, terms.amount) is not None:  # a zero percent or value sets none
        await repository.set_targets(
            session,
            run_id=run.id,
            month=month,
            level_run_id=level_run_id,
            mode=terms.mode.value,
            amount=terms.amount,
            lower=terms.lower,
            upper=terms.upper,
            levels=terms.levels,
        )
        # A run made in the course of its month: targets already reached are achieved now, not at the next bill.
        await _achieve_targets(session, await repository.target_ids_of_run(session, run.id), utcnow())
    return await repository.run_by_id(session, run.id)


async def create_scheduled_run(
    session: AsyncSession, *, month: date, terms: TargetRunTerms, compute_levels: LevelsOf | None = None
) -> Any | None:
    """The schedule's run of ``month``, made once however often asked; None if it was made before."""
    await repository.lock_schedule(session, month)
    if await repository.scheduled_run(session, month) is not None:
        return None
    return await create_run(
        session, month=month, terms=terms, origin="schedule", by="schedule", compute_levels=compute_levels
    )


async def achieve(session: AsyncSession, pairs: Iterable[CustomerMonth], *, at: datetime | None = None) -> list[Any]:
    """Record every open target of these (customer, month) pairs that live purchases now reach, once, and
    credit its run's gift and points; the achievements recorded.

    Runs in the ledger consumer's transaction, after a batch's bills are kept. The targets are locked
    first, so of two transactions adding bills for one customer the second sees the first's bills and
    its achievement: a target reached by two bills at once is recorded once.
    """
    return await _achieve_targets(session, await repository.lock_open_targets(session, pairs), at or utcnow())


async def _achieve_targets(session: AsyncSession, ids: list[int], at: datetime) -> list[Any]:
    """Record and credit the achievements of these locked targets that live purchases reach."""
    if not ids:
        return []
    achieved = await repository.record_achievements(session, ids, at)
    runs = {run.id: run for run in await repository.runs_by_id(session, sorted({a.run_id for a in achieved}))}
    recorded = []
    for achievement in achieved:
        run = runs[achievement.run_id]
        reward = None
        if run.gift_product_id is not None:
            reward = await rewards.allocate_gift(
                session,
                target_id=achievement.target_id,
                customer_id=achievement.customer_id,
                product_id=run.gift_product_id,
                percent=run.gift_percent,
                at=at,
            )
        entry = None
        if run.points > 0:
            entry = await wallet.earn(
                session,
                customer_id=achievement.customer_id,
                points=run.points,
                reason=f"target of {run.month:%Y-%m} reached (run {run.id})",
                source=points_source(run.id, achievement.customer_id),
                at=at,
            )
        row = await repository.note_credits(
            session,
            achievement.target_id,
            reward_id=reward.id if reward is not None else None,
            entry_id=entry.id if entry is not None else None,
        )
        await outbox.add(
            session,
            TargetAchieved(
                target_id=row.target_id,
                run_id=row.run_id,
                customer_id=row.customer_id,
                month=row.month,
                target=row.target,
                volume=row.volume,
                achieved_at=row.achieved_at,
                reward_id=row.reward_id,
                points=row.points,
            ),
        )
        recorded.append(row)
    return recorded


def _achieved_count() -> Any:
    return (
        select(func.count()).where(target_achievement.c.run_id == target_run.c.id).scalar_subquery().label("achieved")
    )


def run_public(row: Any) -> TargetRunPublic:
    return TargetRunPublic.model_validate(row._mapping)


async def _runs_public(session: AsyncSession, ids: list[int]) -> list[TargetRunPublic]:
    statement = select(target_run, _achieved_count()).where(target_run.c.id.in_(ids))
    rows = {row.id: row for row in await session.execute(statement)}
    return [run_public(rows[i]) for i in ids if i in rows]


async def read_run(session: AsyncSession, *, run_id: int) -> TargetRunPublic:
    found = await _runs_public(session, [run_id])
    if not found:
        raise NotFound(f"no target run {run_id}")
    return found[0]


async def list_runs(
    session: AsyncSession, *, month: date | None, page: PageParams
) -> tuple[list[TargetRunPublic], str | None]:
    """Target runs, newest first, optionally of one month."""
    ids, next_cursor = await page_of_runs(session, target_run, month=month, page=page)
    return await _runs_public(session, ids), next_cursor


async def _targets_page(
    session: AsyncSession, statement: Any, sort: SortKey, page: PageParams
) -> tuple[list[TargetPublic], str | None]:
    ids, next_cursor = await paginate(session, statement, sort=sort, params=page)
    rows = await repository.targets_by_id(session, ids)
    return [TargetPublic.model_validate(row._mapping) for row in rows], next_cursor


async def list_targets(
    session: AsyncSession, *, run_id: int, achieved: bool | None, page: PageParams
) -> tuple[list[TargetPublic], str | None]:
    """A run's targets by id (customers in id order), optionally only those achieved or not."""
    await read_run(session, run_id=run_id)
    statement = select(target.c.id).where(target.c.run_id == run_id)
    if achieved is not None:
        done = select(target_achievement.c.target_id).where(target_achievement.c.target_id == target.c.id).exists()
        statement = statement.where(done if achieved else ~done)
    return await _targets_page(session, statement, BY_TARGET, page)


async def customer_targets(
    session: AsyncSession, *, customer_id: int, month: date | None, page: PageParams
) -> tuple[list[TargetPublic], str | None]:
    """A customer's targets, newest first, optionally of one month."""
    statement = select(target.c.id).where(target.c.customer_id == customer_id)
    if month is not None:
        statement = statement.where(target.c.month == month)
    return await _targets_page(session, statement, NEWEST_TARGET_FIRST, page)


async def list_achievements(
    session: AsyncSession, *, run_id: int, page: PageParams
) -> tuple[list[AchievementPublic], str | None]:
    """A run's achievements in target order."""
    await read_run(session, run_id=run_id)
    statement = select(target_achievement.c.target_id).where(target_achievement.c.run_id == run_id)
    ids, next_cursor = await paginate(session, statement, sort=BY_ACHIEVEMENT, params=page)
    rows = await repository.achievements_by_target(session, ids)
    return [AchievementPublic.model_validate(row._mapping) for row in rows], next_cursor
