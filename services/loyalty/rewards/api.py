"""HTTP routes for rewards: the allocation other services ask for, a customer's rewards and catalogue."""

from typing import Annotated

from fastapi import APIRouter, Query, Request

from services.kit.api import IdPath
from services.kit.db import SessionDep
from services.kit.pagination import PageDep
from services.loyalty.rewards import catalogue, service
from services.loyalty.rewards.rules import Offer
from services.loyalty.rewards.schemas import (
    AllocationPublic,
    AllocationRequest,
    RewardCataloguePage,
    RewardsPublic,
    RewardStatus,
)

router = APIRouter(prefix="/loyalty", tags=["rewards"])


@router.post("/rewards/allocations", response_model=AllocationPublic)
async def allocate_reward(session: SessionDep, body: AllocationRequest) -> AllocationPublic:
    """Give a recorded bill its reward (services only: the customer service, right after recording it).

    Idempotent by purchase id: a bill has one reward at most, and asking again returns it. A bill
    that earns none (imported, a guest sale, too small, no active product) gets ``reward: null``.
    """
    offer = Offer(body.purchase_id, body.customer_id, body.source.value, body.base_total, body.recorded_at)
    row = await service.allocate(session, offer, by="call")
    reward = await service.earned(session, row) if row is not None else None
    return AllocationPublic(purchase_id=body.purchase_id, reward=reward)


@router.get("/customers/{customer_id}/rewards", response_model=RewardsPublic)
async def list_customer_rewards(
    session: SessionDep, customer_id: IdPath, page: PageDep, status: RewardStatus | None = None
) -> RewardsPublic:
    """A customer's rewards, newest first: usable, reserved, redeemed, expired or voided."""
    items, next_cursor = await service.list_rewards(session, customer_id=customer_id, status=status, page=page)
    return RewardsPublic(items=items, next_cursor=next_cursor)


@router.get("/customers/{customer_id}/catalogue", response_model=RewardCataloguePage)
async def customer_reward_catalogue(
    request: Request,
    session: SessionDep,
    customer_id: IdPath,
    page: PageDep,
    category: Annotated[str | None, Query(max_length=200)] = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name or SKU.")] = None,
) -> RewardCataloguePage:
    """A page of the active catalogue with, per product, the customer's usable reward on it (percent off
    and expiry) or none, and the share of the customer's earned rewards claimed."""
    params = {"limit": page.limit, "cursor": page.cursor, "category": category, "brand": brand, "q": q}
    items, next_cursor = await catalogue.catalogue_page(request.app.state.customer_client, params)
    rewards = await service.usable_on_products(
        session, customer_id=customer_id, product_ids=[item["id"] for item in items]
    )
    return RewardCataloguePage(
        items=catalogue.annotated(items, rewards),
        next_cursor=next_cursor,
        claims=await service.claims(session, customer_id=customer_id),
    )
