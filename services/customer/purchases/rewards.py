"""The reward a new bill earned, asked of the loyalty service right after the bill is recorded.

Asked once, for a short, configured time, and never at the bill's expense: no answer in time, or any
failure, leaves the response without a reward, and the loyalty service then allocates it (exactly
once, by purchase id) from the purchase event.
"""

import asyncio
import logging
from datetime import datetime

from services.customer.purchases.schemas import PurchasePublic, PurchaseReward
from services.kit.client import ServiceClient, ServiceError
from services.kit.settings import ServiceSettings

ALLOCATIONS = "/api/v1/loyalty/rewards/allocations"

log = logging.getLogger("patron.customer.rewards")


def loyalty_client(settings: ServiceSettings, base_url: str, *, timeout_seconds: float) -> ServiceClient:
    """The pooled client of the loyalty service: no retries (the event is the retry), one short timeout."""
    return ServiceClient.from_settings(
        "loyalty",
        base_url,
        settings,
        connect_timeout=timeout_seconds,
        read_timeout=timeout_seconds,
        retries=0,
    )


async def earned_reward(
    client: ServiceClient, purchase: PurchasePublic, *, recorded_at: datetime, timeout_seconds: float
) -> PurchaseReward | None:
    """The reward the bill earned if loyalty says so within ``timeout_seconds``; else None (never raises)."""
    if purchase.customer_id is None:
        return None  # a guest sale earns nothing
    body = {
        "purchase_id": purchase.id,
        "customer_id": purchase.customer_id,
        "source": purchase.source.value,
        "base_total": str(purchase.base_total),
        "recorded_at": recorded_at.isoformat(),
    }
    try:
        async with asyncio.timeout(timeout_seconds):
            response = await client.post(ALLOCATIONS, json=body)
        reward = response.json()["reward"]
        return None if reward is None else PurchaseReward.model_validate(reward)
    except (ServiceError, TimeoutError, ValueError, KeyError) as exc:
        log.warning("no reward from loyalty for purchase %d in time: %s", purchase.id, exc)
        return None
