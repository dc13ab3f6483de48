"""The analytics feed's consumer: every customer-service event that describes a customer, product, store,
rate, stock level or bill (single and batch), and every loyalty-service event of a reward or a wallet
entry, applied to the star schema. Each batch's transaction keeps
the facts, moves the daily aggregates, computes the touched customers' months, summaries and cohort
cells again, and records what the schema is as of."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.analytics.feed import repository
from services.analytics.inbox import inbox
from services.contracts.customer import (
    CustomerCreated,
    CustomerDeactivated,
    CustomerDeleted,
    CustomerErased,
    CustomerReactivated,
    CustomersImported,
    CustomerUpdated,
    ExchangeRateUpserted,
    ProductCreated,
    ProductsImported,
    ProductUpdated,
    PurchaseCancelled,
    PurchaseLineReturned,
    PurchaseRecorded,
    PurchasesImported,
    StockChanged,
    StoreCreated,
    StoreUpdated,
)
from services.contracts.loyalty import (
    RewardAllocated,
    RewardExpired,
    RewardRedeemed,
    RewardReinstated,
    RewardReleased,
    RewardVoided,
    WalletEntryWritten,
)
from services.kit.consumer import Consumer, Event, lag_histogram
from services.kit.events import configured_stream
from services.kit.settings import ServiceSettings

CONSUMER_NAME = "analytics-feed"
_BATCH_KEY = "analytics.feed.batch"


def reports_lag_histogram() -> Histogram:
    """Seconds from a bill event's ``occurred_at`` to the transaction that put it in the reports (unregistered)."""
    return lag_histogram(
        "patron_analytics_lag_seconds",
        "Seconds from a purchase event (recorded, imported, cancelled, returned) to its presence in the reports.",
    )


@dataclass
class _Batch:
    """What one transaction's handlers leave for its end: customers to compute again, events to time."""

    customers: set[int] = field(default_factory=set)
    occurred: list[tuple[str, datetime]] = field(default_factory=list)
    events: int = 0
    lines: int = 0  # purchase lines kept
    until: datetime | None = None


def _batch(session: AsyncSession, events: Sequence[Event[Any]]) -> _Batch:
    batch: _Batch = session.info.setdefault(_BATCH_KEY, _Batch())
    batch.events += len(events)
    newest = max(e.occurred_at for e in events)
    batch.until = newest if batch.until is None else max(batch.until, newest)
    return batch


def feed_consumer(engine: AsyncEngine, settings: ServiceSettings, *, lag: Histogram | None = None) -> Consumer:
    """The ``analytics-feed`` consumer of the customer and loyalty services' events.

    It applies one batch at a time (``concurrency=1``): a line copies its customer's country and its
    product's cost when it is kept, so two batches in flight could each miss the other's rows.
    """
    zone = settings.business_timezone
    consumer = Consumer(
        engine,
        inbox,
        name=CONSUMER_NAME,
        nats_url=settings.nats_url,
        services=["customer", "loyalty"],
        stream=configured_stream(settings),
        batch_size=settings.events_batch_size,
        concurrency=1,
    )

    def bills(session: AsyncSession, events: Sequence[Event[Any]], moved: set[int] | repository.Kept) -> None:
        batch = _batch(session, events)
        if isinstance(moved, repository.Kept):
            batch.customers |= moved.customers
            batch.lines += moved.lines
        else:
            batch.customers |= moved
        batch.occurred.extend((type(e.payload).event_type, e.occurred_at) for e in events)

    async def on_customers(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        _batch(session, events)
        await repository.upsert_customers(session, [e.payload for e in events])

    @consumer.handles(CustomersImported)
    async def on_customers_imported(session: AsyncSession, events: Sequence[Event[CustomersImported]]) -> None:
        _batch(session, events)
        await repository.upsert_customers(session, [c for e in events for c in e.payload.records()])

    async def set_status(session: AsyncSession, events: Sequence[Event[Any]], status: str) -> None:
        _batch(session, events)
        await repository.set_customer_status(session, [e.payload.customer_id for e in events], status)

    @consumer.handles(CustomerDeactivated)
    async def on_deactivated(session: AsyncSession, events: Sequence[Event[CustomerDeactivated]]) -> None:
        await set_status(session, events, "inactive")

    @consumer.handles(CustomerReactivated)
    async def on_reactivated(session: AsyncSession, events: Sequence[Event[CustomerReactivated]]) -> None:
        await set_status(session, events, "active")

    @consumer.handles(CustomerDeleted)
    async def on_deleted(session: AsyncSession, events: Sequence[Event[CustomerDeleted]]) -> None:
        await set_status(session, events, "deleted")

    @consumer.handles(CustomerErased)
    async def on_erased(session: AsyncSession, events: Sequence[Event[CustomerErased]]) -> None:
        # This schema keeps no personal field of a customer (only ids and non-identifying attributes, as
        # the events carry them), so the erasure leaves its figures as they are: applying it is recording
        # it in the inbox, which the customer service reads as this service's progress of the erasure.
        return None

    async def on_products(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        _batch(session, events)
        await repository.upsert_products(session, [e.payload for e in events])

    @consumer.handles(ProductsImported)
    async def on_products_imported(session: AsyncSession, events: Sequence[Event[ProductsImported]]) -> None:
        _batch(session, events)
        await repository.upsert_products(session, [p for e in events for p in e.payload.records()])

    async def on_stores(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        _batch(session, events)
        await repository.upsert_stores(session, [e.payload for e in events])

    @consumer.handles(ExchangeRateUpserted)
    async def on_rates(session: AsyncSession, events: Sequence[Event[ExchangeRateUpserted]]) -> None:
        _batch(session, events)
        await repository.upsert_rates(session, [e.payload for e in events])

    @consumer.handles(StockChanged)
    async def on_stock(session: AsyncSession, events: Sequence[Event[StockChanged]]) -> None:
        _batch(session, events)
        await repository.set_stock(session, [(e.payload, e.occurred_at) for e in events])

    @consumer.handles(PurchaseRecorded)
    async def on_purchases(session: AsyncSession, events: Sequence[Event[PurchaseRecorded]]) -> None:
        bills(session, events, await repository.record_purchases(session, [e.payload for e in events], zone))

    @consumer.handles(PurchasesImported)
    async def on_purchases_imported(session: AsyncSession, events: Sequence[Event[PurchasesImported]]) -> None:
        records = [b for e in events for b in e.payload.records()]
        bills(session, events, await repository.record_purchases(session, records, zone))

    @consumer.handles(PurchaseCancelled)
    async def on_cancelled(session: AsyncSession, events: Sequence[Event[PurchaseCancelled]]) -> None:
        ids = [e.payload.purchase_id for e in events]
        bills(session, events, await repository.cancel_purchases(session, ids))

    @consumer.handles(PurchaseLineReturned)
    async def on_returned(session: AsyncSession, events: Sequence[Event[PurchaseLineReturned]]) -> None:
        bills(session, events, await repository.return_lines(session, [e.payload for e in events]))

    async def rewards(
        session: AsyncSession, events: Sequence[Event[Any]], states: list[repository.RewardState]
    ) -> None:
        _batch(session, events)
        await repository.put_rewards(session, states, zone)

    @consumer.handles(RewardAllocated)
    async def on_allocated(session: AsyncSession, events: Sequence[Event[RewardAllocated]]) -> None:
        states = [repository.RewardState(e.payload, "allocated", allocated_by=e.payload.allocated_by) for e in events]
        await rewards(session, events, states)

    @consumer.handles(RewardRedeemed)
    async def on_redeemed(session: AsyncSession, events: Sequence[Event[RewardRedeemed]]) -> None:
        states = [
            repository.RewardState(
                e.payload,
                "redeemed",
                redeemed_purchase_id=e.payload.redeemed_purchase_id,
                redeemed_at=e.payload.redeemed_at,
            )
            for e in events
        ]
        await rewards(session, events, states)

    @consumer.handles(RewardReleased)
    async def on_released(session: AsyncSession, events: Sequence[Event[RewardReleased]]) -> None:
        await rewards(session, events, [repository.RewardState(e.payload, "allocated") for e in events])

    @consumer.handles(RewardReinstated)
    async def on_reinstated(session: AsyncSession, events: Sequence[Event[RewardReinstated]]) -> None:
        await rewards(session, events, [repository.RewardState(e.payload, "allocated") for e in events])

    @consumer.handles(RewardVoided)
    async def on_voided(session: AsyncSession, events: Sequence[Event[RewardVoided]]) -> None:
        states = [repository.RewardState(e.payload, "voided", ended_at=e.payload.voided_at) for e in events]
        await rewards(session, events, states)

    @consumer.handles(RewardExpired)
    async def on_expired(session: AsyncSession, events: Sequence[Event[RewardExpired]]) -> None:
        states = [repository.RewardState(e.payload, "expired", ended_at=e.payload.expired_at) for e in events]
        await rewards(session, events, states)

    @consumer.handles(WalletEntryWritten)
    async def on_wallet(session: AsyncSession, events: Sequence[Event[WalletEntryWritten]]) -> None:
        _batch(session, events)
        await repository.put_wallet_entries(session, [e.payload for e in events], zone)

    @consumer.after_handlers
    async def finish(session: AsyncSession) -> None:
        batch: _Batch | None = session.info.pop(_BATCH_KEY, None)
        if batch is None or batch.until is None:
            return
        await repository.refresh_customers(session, batch.customers)
        await repository.mark_feed(session, CONSUMER_NAME, batch.until, batch.events, batch.lines)
        if lag is not None:
            now = datetime.now(UTC)
            for kind, occurred_at in batch.occurred:
                lag.labels(kind).observe(max((now - occurred_at).total_seconds(), 0.0))

    for customer_kind in (CustomerCreated, CustomerUpdated):
        consumer.handles(customer_kind)(on_customers)
    for product_kind in (ProductCreated, ProductUpdated):
        consumer.handles(product_kind)(on_products)
    for store_kind in (StoreCreated, StoreUpdated):
        consumer.handles(store_kind)(on_stores)
    return consumer
