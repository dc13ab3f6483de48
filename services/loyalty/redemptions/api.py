"""HTTP routes of redemptions: the customer service reserves before a bill and asks for a release after a
failed one. Services only: no person reserves a reward by hand."""

from datetime import timedelta

from fastapi import APIRouter, Request

from services.kit.api import IdPath
from services.kit.db import SessionDep
from services.loyalty.redemptions import fence, service
from services.loyalty.redemptions.schemas import (
    ReservationPublic,
    ReservationRequest,
    ReservedReward,
    SettlementPublic,
)

router = APIRouter(prefix="/loyalty", tags=["redemptions"])


@router.post("/redemptions", response_model=ReservationPublic)
async def reserve_redemption(request: Request, session: SessionDep, body: ReservationRequest) -> ReservationPublic:
    """Reserve what a bill about to be recorded will use (a reward's token, wallet points), idempotent by
    purchase id. A token that does not apply is a 422 naming ``body.reward_token`` and why."""
    ask = service.Ask(
        purchase_id=body.purchase_id,
        customer_id=body.customer_id,
        reward_token=body.reward_token,
        points=body.points or 0,
        product_ids=frozenset(body.product_ids),
    )
    timeout = timedelta(seconds=request.app.state.settings.reservation_timeout_seconds)
    held = await service.reserve(session, ask, hold_for=timeout)
    reward = held.reward
    return ReservationPublic(
        purchase_id=held.row.purchase_id,
        status=held.row.status,
        reward=None
        if reward is None
        else ReservedReward(
            reward_id=reward.id, product_id=reward.product_id, percent=reward.percent, expires_at=reward.expires_at
        ),
        points=held.row.points,
        points_value=held.row.points_value,
    )


@router.post("/redemptions/{purchase_id}/release", response_model=SettlementPublic)
async def release_redemption(request: Request, purchase_id: IdPath) -> SettlementPublic:
    """Settle a bill's reservation now (its bill failed): the purchase id is fenced off at the customer
    service first, and what it held is released only if no bill has it."""
    status = await fence.settle(request.app.state.engine, request.app.state.customer_client, purchase_id)
    return SettlementPublic(purchase_id=purchase_id, status=status)
