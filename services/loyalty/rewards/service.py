"""Rewards: allocated exactly once per qualifying live bill, voided with a cancelled bill, expired on time."""

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.loyalty import RewardAllocated, RewardExpired, RewardVoided
from services.kit.clock import utcnow
from services.kit.pagination import PageParams, SortKey, paginate
from services.loyalty.outbox import outbox
from services.loyalty.program.service import program_at
from services.loyalty.rewards import repository
from services.loyalty.rewards.models import reward
from services.loyalty.rewards.rules import Offer, new_token, reward_expiry, reward_terms
from services.loyalty.rewards.schemas import (
    RewardClaims,
    RewardEarned,
    RewardPublic,
    RewardStatus,
)

AllocatedBy = Literal["call", "event", "target"]
EXPIRY_CHUNK = 1000
GIFT_CATEGORY = 0  # a target's gift: no bill's category
NEWEST_FIRST = SortKey("-id", reward.c.id, descending=True)


def reward_facts(row: Any) -> dict[str, Any]:
    """The fields every reward event carries."""
    return {
        "reward_id": row.id,
        "customer_id": row.customer_id,
        "product_id": row.product_id,
        "category": row.category,
        "percent": row.percent,
        "purchase_id": row.purchase_id,
        "target_id": row.target_id,
        "program_version": row.program_version,
        "allocated_at": row.allocated_at,
        "expires_at": row.expires_at,
    }


async def allocate(session: AsyncSession, offer: Offer, *, by: AllocatedBy) -> Any:
    """The bill's reward: the one it already has, or a new one if it qualifies; None if it earns none.

    Exactly once per bill, however often and from wherever it is offered: the bill is locked, its
    reward looked up first, and ``purchase_id`` is unique besides.
    """
    await repository.lock_purchase(session, offer.purchase_id)
    existing = await repository.reward_of_purchase(session, offer.purchase_id)
    if existing is not None:
        return existing
    program = await program_at(session, offer.recorded_at)
    now = utcnow()
    terms = reward_terms(offer, program.settings, now=now)
    if terms is None or await repository.is_refused(session, offer.purchase_id):
        return None
    product = await repository.least_selling_product(session)
    if product is None:
        return None
    row = await repository.insert_reward(
        session,
        {
            "token": new_token(),
            "customer_id": offer.customer_id,
            "product_id": product.id,
            "purchase_id": offer.purchase_id,
            "category": terms.category,
            "percent": terms.percent,
            "program_version": program.version,
            "allocated_by": by,
            "allocated_at": now,
            "expires_at": terms.expires_at,
        },
    )
    await outbox.add(session, RewardAllocated(**reward_facts(row), allocated_by=by))
    return row


async def allocate_gift(
    session: AsyncSession, *, target_id: int, customer_id: int, product_id: int, percent: int, at: datetime
) -> Any:
    """The gift of an achieved target: a reward of ``percent`` off ``product_id``, usable for the program's
    reward days from ``at``; category 0 (no bill earned it). Once per target: asking again returns it."""
    existing = await repository.reward_of_target(session, target_id)
    if existing is not None:
        return existing
    program = await program_at(session, at)
    row = await repository.insert_reward(
        session,
        {
            "token": new_token(),
            "customer_id": customer_id,
            "product_id": product_id,
            "purchase_id": None,
            "target_id": target_id,
            "category": GIFT_CATEGORY,
            "percent": percent,
            "program_version": program.version,
            "allocated_by": "target",
            "allocated_at": at,
            "expires_at": reward_expiry(at, program.settings.reward_expiry_days),
        },
    )
    await outbox.add(session, RewardAllocated(**reward_facts(row), allocated_by="target"))
    return row


async def void_for_cancelled_bill(session: AsyncSession, *, purchase_id: int, cancelled_at: datetime) -> Any:
    """A wholly cancelled bill voids its reward if unredeemed; one not yet made never will be."""
    await repository.lock_purchase(session, purchase_id)
    voided = await repository.void_usable(session, purchase_id, cancelled_at)
    if voided is not None:
        await outbox.add(session, RewardVoided(**reward_facts(voided), voided_at=cancelled_at))
        return voided
    if await repository.reward_of_purchase(session, purchase_id) is None:
        await repository.refuse(session, purchase_id, "cancelled")
    return None


async def expire_due(session: AsyncSession, *, now: datetime | None = None) -> int:
    """Expire every usable reward past its expiry, announcing each; how many were expired."""
    now = now or utcnow()
    total = 0
    while True:
        rows = await repository.expire_due(session, now, limit=EXPIRY_CHUNK)
        if rows:
            await outbox.add_many(
                session, [RewardExpired(**reward_facts(row), expired_at=row.expired_at) for row in rows]
            )
        total += len(rows)
        if len(rows) < EXPIRY_CHUNK:
            return total


async def earned(session: AsyncSession, row: Any) -> RewardEarned:
    skus = await repository.product_skus(session, [row.product_id])
    return RewardEarned(
        token=row.token,
        product_id=row.product_id,
        sku=skus.get(row.product_id),
        category=row.category,
        percent=row.percent,
        expires_at=row.expires_at,
    )


def reward_public(row: Any, now: datetime) -> RewardPublic:
    status = RewardStatus(row.status)
    if status is RewardStatus.USABLE and row.expires_at <= now:
        status = RewardStatus.EXPIRED  # past its expiry; the expiry job has not marked it yet
    return RewardPublic.model_validate({**row._mapping, "status": status})


async def list_rewards(
    session: AsyncSession, *, customer_id: int, status: RewardStatus | None, page: PageParams
) -> tuple[list[RewardPublic], str | None]:
    """A customer's rewards, newest first, optionally in one status (as the customer sees it)."""
    now = utcnow()
    statement = select(reward.c.id).where(reward.c.customer_id == customer_id)
    if status is not None:
        statement = statement.where(repository.status_is(status.value, now))
    ids, next_cursor = await paginate(session, statement, sort=NEWEST_FIRST, params=page)
    rows = await repository.rewards_by_id(session, ids)
    return [reward_public(row, now) for row in rows], next_cursor


async def usable_on_products(session: AsyncSession, *, customer_id: int, product_ids: Sequence[int]) -> dict[int, Any]:
    return await repository.usable_on_products(session, customer_id, product_ids, utcnow())


async def claims(session: AsyncSession, *, customer_id: int) -> RewardClaims:
    earned_count, claimed = await repository.claim_counts(session, customer_id)
    share = (Decimal(claimed) / Decimal(earned_count)).quantize(Decimal("0.0001")) if earned_count else None
    return RewardClaims(earned=earned_count, claimed=claimed, claimed_share=share)
