"""The SQL of redemptions: the reservation row, the reward it holds, and the open reservations past due."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.loyalty.redemptions.models import redemption
from services.loyalty.rewards.models import reward

RD, RW = redemption, reward


async def find(session: AsyncSession, purchase_id: int, *, lock: bool = False) -> Any:
    statement = select(RD).where(RD.c.purchase_id == purchase_id)
    if lock:
        statement = statement.with_for_update()
    return (await session.execute(statement)).first()


async def insert_reservation(session: AsyncSession, values: dict[str, Any]) -> Any:
    return (await session.execute(insert(RD).values(**values).returning(RD))).one()


async def settle(session: AsyncSession, purchase_id: int, status: str, at: datetime) -> None:
    await session.execute(update(RD).where(RD.c.purchase_id == purchase_id).values(status=status, settled_at=at))


async def postpone(session: AsyncSession, purchase_id: int, deadline: datetime) -> None:
    statement = update(RD).where(RD.c.purchase_id == purchase_id, RD.c.status == "reserved").values(deadline=deadline)
    await session.execute(statement)


async def due(session: AsyncSession, now: datetime, *, limit: int) -> list[int]:
    """Open reservations past their deadline, oldest first."""
    statement = (
        select(RD.c.purchase_id)
        .where(RD.c.status == "reserved", RD.c.deadline <= now)
        .order_by(RD.c.deadline)
        .limit(limit)
    )
    return list((await session.execute(statement)).scalars())


async def reward_by_token(session: AsyncSession, token: str) -> Any:
    return (await session.execute(select(RW).where(RW.c.token == token).with_for_update())).first()


async def reward_by_id(session: AsyncSession, reward_id: int) -> Any:
    return (await session.execute(select(RW).where(RW.c.id == reward_id).with_for_update())).first()


async def move_reward(session: AsyncSession, reward_id: int, *, where: dict[str, Any], values: dict[str, Any]) -> Any:
    """Change a reward's status if it is still as ``where`` says; the changed row, or None."""
    conditions = [RW.c.id == reward_id, *(RW.c[name] == value for name, value in where.items())]
    return (await session.execute(update(RW).where(*conditions).values(**values).returning(RW))).first()


async def rewards_of(session: AsyncSession, ids: Sequence[int]) -> dict[int, Any]:
    return {row.id: row for row in await session.execute(select(RW).where(RW.c.id.in_(ids)))}
