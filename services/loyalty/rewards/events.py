"""What rewards do on the customer service's events: confirm what a live bill redeemed, allocate the reward
the purchase call missed; for a bill cancelled whole, void the reward it earned and give back what it
redeemed. A durable consumer of its own (``loyalty-rewards``)."""

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.contracts.customer import PurchaseCancelled, PurchaseRecorded
from services.kit.consumer import Consumer, Event
from services.kit.events import configured_stream
from services.kit.settings import ServiceSettings
from services.loyalty.inbox import inbox
from services.loyalty.redemptions import service as redemptions
from services.loyalty.rewards import service
from services.loyalty.rewards.repository import lock_purchase
from services.loyalty.rewards.rules import Offer

REWARDS_CONSUMER = "loyalty-rewards"


async def on_purchases_recorded(session: AsyncSession, events: Sequence[Event[PurchaseRecorded]]) -> None:
    """What each live bill reserved is now spent; each live bill of a customer gets its reward, unless the
    purchase call already gave it one."""
    # In purchase order: the bills' locks are always taken in one order, so two writers never deadlock.
    for event in sorted(events, key=lambda e: e.payload.purchase_id):
        bill = event.payload
        if bill.source != "live" or bill.customer_id is None:
            continue
        if bill.reward_token is not None or bill.points_spent:
            await lock_purchase(session, bill.purchase_id)
            await redemptions.confirm(session, bill.purchase_id, at=event.occurred_at)
        offer = Offer(bill.purchase_id, bill.customer_id, bill.source, bill.base_total, event.occurred_at)
        await service.allocate(session, offer, by="event")


async def on_purchases_cancelled(session: AsyncSession, events: Sequence[Event[PurchaseCancelled]]) -> None:
    for event in sorted(events, key=lambda e: e.payload.purchase_id):
        if event.payload.source != "live":
            continue
        bill = event.payload
        await service.void_for_cancelled_bill(session, purchase_id=bill.purchase_id, cancelled_at=bill.cancelled_at)
        if bill.customer_id is not None:
            await redemptions.give_back(session, bill.purchase_id, cancelled_at=bill.cancelled_at)


def rewards_consumer(engine: AsyncEngine, settings: ServiceSettings) -> Consumer:
    consumer = Consumer(
        engine,
        inbox,
        name=REWARDS_CONSUMER,
        nats_url=settings.nats_url,
        services=["customer"],
        stream=configured_stream(settings),
        batch_size=settings.events_batch_size,
    )
    consumer.handles(PurchaseRecorded)(on_purchases_recorded)
    consumer.handles(PurchaseCancelled)(on_purchases_cancelled)
    return consumer
