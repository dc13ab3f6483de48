"""The loyalty ledger's consumer: customer, product and bill events (single and batch) kept in the
loyalty schema, and the monthly figures of every (customer, month) a batch touched computed again
before the batch commits. Once a batch's bills are kept, the monthly targets its live bills may have
reached are checked in the same transaction."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from prometheus_client import Histogram
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlalchemy.orm import Session

from services.contracts.customer import (
    CustomerCreated,
    CustomerDeactivated,
    CustomerDeleted,
    CustomerErased,
    CustomerReactivated,
    CustomersImported,
    CustomerUpdated,
    ProductCreated,
    ProductsImported,
    ProductUpdated,
    PurchaseCancelled,
    PurchaseLineReturned,
    PurchaseRecorded,
    PurchasesImported,
)
from services.kit.consumer import Consumer, Event, lag_histogram
from services.kit.events import configured_stream
from services.kit.settings import ServiceSettings
from services.loyalty.inbox import inbox
from services.loyalty.ledger import repository
from services.loyalty.ledger.repository import CustomerMonth
from services.loyalty.ledger.rules import merge_returns, month_of
from services.loyalty.targets import service as targets

CONSUMER_NAME = "loyalty-ledger"
_BATCH_KEY = "loyalty.ledger.batch"


def figures_lag_histogram() -> Histogram:
    """Seconds from a bill event's ``occurred_at`` to the commit that applied it to the figures (unregistered)."""
    return lag_histogram(
        "patron_loyalty_figures_lag_seconds",
        "Seconds from a purchase event (recorded, imported, cancelled, returned) to the commit of its figures.",
    )


@dataclass
class _Batch:
    """What the handlers of one transaction leave for its end: pairs to compute, and bill events to time."""

    touched: set[CustomerMonth] = field(default_factory=set)
    live: set[CustomerMonth] = field(default_factory=set)  # customers' months a live bill was recorded in
    occurred: list[tuple[str, datetime]] = field(default_factory=list)


def _batch_of(session: AsyncSession, lag: Histogram | None) -> _Batch:
    """This transaction's batch; the first call hooks the figures and the lag to its commit."""
    batch: _Batch | None = session.info.get(_BATCH_KEY)
    if batch is not None:
        return batch
    batch = session.info[_BATCH_KEY] = _Batch()

    def compute_figures(sync_session: Session) -> None:
        # Runs inside the transaction, once per batch, after every handler: the figures see the whole batch.
        if batch.touched:
            sync_session.execute(repository.RECOMPUTE_FIGURES, repository.figures_parameters(batch.touched))
            batch.touched.clear()

    def time_figures(sync_session: Session) -> None:
        if lag is not None:
            now = datetime.now(UTC)
            for kind, occurred_at in batch.occurred:
                lag.labels(kind).observe(max((now - occurred_at).total_seconds(), 0.0))
        batch.occurred.clear()

    event.listen(session.sync_session, "before_commit", compute_figures)
    event.listen(session.sync_session, "after_commit", time_figures)
    return batch


def ledger_consumer(
    engine: AsyncEngine, settings: ServiceSettings, *, lag: Histogram | None = None, check_targets: bool = True
) -> Consumer:
    """The ``loyalty-ledger`` consumer of the customer service's events.

    With ``check_targets`` (not when the ledger is rebuilt: a replay passes through states that are long
    gone, such as a bill before its cancellation), the targets its live bills reach are achieved.

    It applies one batch at a time (``concurrency=1``): a bill's figures read its products, and two
    batches in flight at once could each miss the other's rows (a product in one, its bills in the
    other), leaving figures that no later event corrects.
    """
    zone = ZoneInfo(settings.business_timezone)
    consumer = Consumer(
        engine,
        inbox,
        name=CONSUMER_NAME,
        nats_url=settings.nats_url,
        services=["customer"],
        stream=configured_stream(settings),
        batch_size=settings.events_batch_size,
        concurrency=1,
    )

    def timed(session: AsyncSession, events: Sequence[Event[Any]]) -> _Batch:
        batch = _batch_of(session, lag)
        batch.occurred.extend((type(e.payload).event_type, e.occurred_at) for e in events)
        return batch

    # ``customer.created`` carries no creation time: the event's own time (when the customer service
    # created the customer, in the same transaction) stands for it. Levels count a customer created
    # after a month ended in no level of that month.
    async def on_customers(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        created = {e.payload.customer_id: e.occurred_at for e in events if isinstance(e.payload, CustomerCreated)}
        await repository.upsert_customers(session, [e.payload for e in events], created)

    @consumer.handles(CustomersImported)
    async def on_customers_imported(session: AsyncSession, events: Sequence[Event[CustomersImported]]) -> None:
        customers = [(c, e.occurred_at) for e in events for c in e.payload.records()]
        created = {c.customer_id: at for c, at in customers}
        await repository.upsert_customers(session, [c for c, _ in customers], created)

    async def set_status(session: AsyncSession, events: Sequence[Event[Any]], status: str) -> None:
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
        touched = await repository.upsert_products(session, [e.payload for e in events])
        _batch_of(session, lag).touched |= touched

    @consumer.handles(ProductsImported)
    async def on_products_imported(session: AsyncSession, events: Sequence[Event[ProductsImported]]) -> None:
        touched = await repository.upsert_products(session, [p for e in events for p in e.payload.records()])
        _batch_of(session, lag).touched |= touched

    @consumer.handles(PurchaseRecorded)
    async def on_purchases(session: AsyncSession, events: Sequence[Event[PurchaseRecorded]]) -> None:
        touched = await repository.record_purchases(session, [e.payload for e in events], zone)
        batch = timed(session, events)
        batch.touched |= touched
        batch.live |= {
            (e.payload.customer_id, month_of(e.payload.purchased_at, zone))
            for e in events
            if e.payload.source == "live" and e.payload.customer_id is not None
        }

    @consumer.handles(PurchasesImported)
    async def on_purchases_imported(session: AsyncSession, events: Sequence[Event[PurchasesImported]]) -> None:
        bills = [b for e in events for b in e.payload.records()]
        touched = await repository.record_purchases(session, bills, zone)
        timed(session, events).touched |= touched

    @consumer.handles(PurchaseCancelled)
    async def on_cancelled(session: AsyncSession, events: Sequence[Event[PurchaseCancelled]]) -> None:
        touched = await repository.cancel_purchases(session, [e.payload.purchase_id for e in events])
        timed(session, events).touched |= touched

    @consumer.handles(PurchaseLineReturned)
    async def on_returned(session: AsyncSession, events: Sequence[Event[PurchaseLineReturned]]) -> None:
        touched = await repository.return_lines(session, merge_returns(e.payload for e in events))
        timed(session, events).touched |= touched

    async def achieve_targets(session: AsyncSession) -> None:
        # After every handler of the batch: a bill returned or cancelled in the same batch counts as such.
        batch: _Batch | None = session.info.get(_BATCH_KEY)
        if batch is not None and batch.live:
            live, batch.live = batch.live, set()
            await targets.achieve(session, live)

    if check_targets:
        consumer.after_handlers(achieve_targets)

    for customer_kind in (CustomerCreated, CustomerUpdated):
        consumer.handles(customer_kind)(on_customers)
    for product_kind in (ProductCreated, ProductUpdated):
        consumer.handles(product_kind)(on_products)
    return consumer
