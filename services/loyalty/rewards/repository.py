"""The SQL of rewards: one writer of the reward rows, the least-selling product, and the customer views."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, text, update
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from services.loyalty.ledger.models import product
from services.loyalty.rewards.models import reward, reward_refusal

RW = reward
# The first key of the bill locks (the second is the bill's id, hashed): no other lock uses it.
REWARD_LOCK = 7_300_001


async def lock_purchase(session: AsyncSession, purchase_id: int) -> None:
    """Serialise everything done to one bill's reward (allocation and voiding) until the transaction ends."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:kind, hashint8(CAST(:id AS bigint)))"),
        {"kind": REWARD_LOCK, "id": purchase_id},
    )


async def reward_of_purchase(session: AsyncSession, purchase_id: int) -> Any:
    return (await session.execute(select(RW).where(RW.c.purchase_id == purchase_id))).first()


async def reward_of_target(session: AsyncSession, target_id: int) -> Any:
    return (await session.execute(select(RW).where(RW.c.target_id == target_id))).first()


async def is_refused(session: AsyncSession, purchase_id: int) -> bool:
    found = await session.execute(
        select(reward_refusal.c.purchase_id).where(reward_refusal.c.purchase_id == purchase_id)
    )
    return found.first() is not None


async def refuse(session: AsyncSession, purchase_id: int, reason: str) -> None:
    """Remember that the bill must never earn a reward (a late allocation finds this and makes none)."""
    await session.execute(
        text(
            "INSERT INTO loyalty.reward_refusal (purchase_id, reason) VALUES (:id, :reason) "
            "ON CONFLICT (purchase_id) DO NOTHING"
        ),
        {"id": purchase_id, "reason": reason},
    )


async def least_selling_product(session: AsyncSession) -> Any:
    """The active product with the fewest units sold without a reward, over all history; ties by lowest SKU."""
    statement = (
        select(product.c.id, product.c.sku)
        .where(product.c.status == "active")
        .order_by(product.c.units_sold - product.c.units_rewarded, product.c.sku)
        .limit(1)
    )
    return (await session.execute(statement)).first()


async def insert_reward(session: AsyncSession, values: dict[str, Any]) -> Any:
    return (await session.execute(insert(RW).values(**values).returning(RW))).one()


async def void_usable(session: AsyncSession, purchase_id: int, at: datetime) -> Any:
    """Void the bill's reward if it is still usable; the voided row, or None."""
    statement = (
        update(RW)
        .where(RW.c.purchase_id == purchase_id, RW.c.status == "usable")
        .values(status="voided", voided_at=at)
        .returning(RW)
    )
    return (await session.execute(statement)).first()


async def expire_due(session: AsyncSession, now: datetime, *, limit: int) -> Sequence[Any]:
    """Mark up to ``limit`` usable rewards past their expiry as expired; the rows changed."""
    due = (
        select(RW.c.id)
        .where(RW.c.status == "usable", RW.c.expires_at <= now)
        .order_by(RW.c.expires_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    statement = update(RW).where(RW.c.id.in_(due)).values(status="expired", expired_at=RW.c.expires_at).returning(RW)
    return list((await session.execute(statement)).all())


def status_is(status: str, now: datetime) -> ColumnElement[bool]:
    """Rewards in ``status`` as a customer sees them: a usable reward past its expiry is expired already."""
    if status == "usable":
        return and_(RW.c.status == "usable", RW.c.expires_at > now)
    if status == "expired":
        return or_(RW.c.status == "expired", and_(RW.c.status == "usable", RW.c.expires_at <= now))
    return RW.c.status == status


async def rewards_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    rows = {row.id: row for row in await session.execute(select(RW).where(RW.c.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


async def usable_on_products(
    session: AsyncSession, customer_id: int, product_ids: Sequence[int], now: datetime
) -> dict[int, Any]:
    """The customer's best usable reward on each of these products (highest percent, then soonest expiry)."""
    statement = (
        select(RW.c.product_id, RW.c.percent, RW.c.expires_at, RW.c.token)
        .where(RW.c.customer_id == customer_id, RW.c.product_id.in_(product_ids), status_is("usable", now))
        .order_by(RW.c.product_id, RW.c.percent.desc(), RW.c.expires_at)
        .ext(distinct_on(RW.c.product_id))
    )
    return {row.product_id: row for row in await session.execute(statement)}


async def claim_counts(session: AsyncSession, customer_id: int) -> tuple[int, int]:
    """(rewards earned and not voided, rewards redeemed) of one customer."""
    statement = select(
        func.count().filter(RW.c.status != "voided"), func.count().filter(RW.c.status == "redeemed")
    ).where(RW.c.customer_id == customer_id)
    earned, claimed = (await session.execute(statement)).one()
    return int(earned), int(claimed)


async def product_skus(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, str]:
    rows = await session.execute(select(product.c.id, product.c.sku).where(product.c.id.in_(product_ids)))
    return {row.id: row.sku for row in rows}
