"""Settling a reservation whose bill never came: fence the purchase id off at the customer service, then
release what it held, or confirm it if the bill turns out to exist.

The customer service's fence is a marker that a late insert of the bill collides with, so once it
answers ``abandoned`` the bill can never be recorded and the reservation is safe to free.
"""

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.client import ServiceClient
from services.kit.clock import utcnow
from services.loyalty.redemptions import repository, service
from services.loyalty.rewards.repository import lock_purchase

ABANDON = "/api/v1/purchases/{purchase_id}/abandon"


async def fence_off(client: ServiceClient, purchase_id: int) -> str:
    """``abandoned`` (the bill can never be recorded now) or ``recorded`` (it was)."""
    response = await client.post(ABANDON.format(purchase_id=purchase_id))
    return str(response.json()["outcome"])


async def settle(engine: AsyncEngine, client: ServiceClient, purchase_id: int) -> str | None:
    """Fence the bill off, then release or confirm its reservation; the reservation's status after, if any."""
    outcome = await fence_off(client, purchase_id)
    async with AsyncSession(engine) as session, session.begin():
        if outcome == "abandoned":
            await service.release(session, purchase_id, at=utcnow())
        else:
            await lock_purchase(session, purchase_id)
            await service.confirm(session, purchase_id, at=utcnow())
        row = await repository.find(session, purchase_id)
    return None if row is None else str(row.status)
