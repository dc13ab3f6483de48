"""A reference consumer of the customer service's events: every customer, product and bill event, single
and batch, applied by the kernel's batch consumer into a scratch read model (schema ``refmodel``).

Several models may share the schema (``model`` names each, as the consumer does), so a live model
and one rebuilt by replaying the stream can be compared row by row. Handlers are set-based: one
statement per table for all the events of one type in a batch.
"""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Column, MetaData, Numeric, Table, Text, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.contracts.customer import (
    CustomerAttributes,
    CustomerCreated,
    CustomerDeactivated,
    CustomerDeleted,
    CustomerReactivated,
    CustomersImported,
    CustomerUpdated,
    ProductAttributes,
    ProductCreated,
    ProductsImported,
    ProductUpdated,
    PurchaseCancelled,
    PurchaseLineReturned,
    PurchaseRecorded,
    PurchasesImported,
)
from services.kit.consumer import Consumer, Event, InboxTables, inbox_tables
from services.kit.db import NAMING_CONVENTION, create_engine

SCHEMA = "refmodel"

metadata = MetaData(schema=SCHEMA, naming_convention=NAMING_CONVENTION)
INBOX: InboxTables = inbox_tables(metadata)
CUSTOMER = Table(
    "customer",
    metadata,
    Column("model", Text, primary_key=True),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("country", Text),
    Column("status", Text, nullable=False),
)
PRODUCT = Table(
    "product",
    metadata,
    Column("model", Text, primary_key=True),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("sku", Text, nullable=False),
    Column("unit_price", Numeric(14, 2), nullable=False),
    Column("status", Text, nullable=False),
)
PURCHASE = Table(
    "purchase",
    metadata,
    Column("model", Text, primary_key=True),
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("customer_id", BigInteger),
    Column("source", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("lines", BigInteger, nullable=False),
    Column("base_total", Numeric(14, 2), nullable=False),
    Column("base_returned", Numeric(14, 2), nullable=False),
    Column("base_cancelled", Numeric(14, 2), nullable=False),
)


async def open_read_model(database_url: str) -> AsyncEngine:
    """An engine on ``database_url`` with the ``refmodel`` schema created (if missing)."""
    engine = create_engine(database_url, pool_size=4, application_name="patron-refmodel")
    async with engine.begin() as connection:
        await connection.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
        await connection.run_sync(metadata.create_all)
    return engine


def _customers(model: str, payloads: Sequence[CustomerAttributes]) -> tuple[str, dict[str, Any]]:
    payloads = list({p.customer_id: p for p in payloads}.values())  # an aggregate's last event of the batch wins
    return (
        f"""INSERT INTO {SCHEMA}.customer AS c (model, id, country, status)
            SELECT :model, i, co, st FROM unnest(CAST(:ids AS bigint[]), CAST(:countries AS text[]),
                CAST(:statuses AS text[])) WITH ORDINALITY AS v (i, co, st, ord) ORDER BY ord
            ON CONFLICT (model, id) DO UPDATE SET country = excluded.country, status = excluded.status""",
        {
            "model": model,
            "ids": [p.customer_id for p in payloads],
            "countries": [p.country for p in payloads],
            "statuses": [p.status for p in payloads],
        },
    )


def _products(model: str, payloads: Sequence[ProductAttributes]) -> tuple[str, dict[str, Any]]:
    payloads = list({p.product_id: p for p in payloads}.values())  # an aggregate's last event of the batch wins
    return (
        f"""INSERT INTO {SCHEMA}.product AS p (model, id, sku, unit_price, status)
            SELECT :model, i, s, u, st FROM unnest(CAST(:ids AS bigint[]), CAST(:skus AS text[]),
                CAST(:prices AS numeric[]), CAST(:statuses AS text[])) WITH ORDINALITY AS v (i, s, u, st, ord)
            ORDER BY ord
            ON CONFLICT (model, id) DO UPDATE SET sku = excluded.sku, unit_price = excluded.unit_price,
                status = excluded.status""",
        {
            "model": model,
            "ids": [p.product_id for p in payloads],
            "skus": [p.sku for p in payloads],
            "prices": [p.unit_price for p in payloads],
            "statuses": [p.status for p in payloads],
        },
    )


def _purchases(model: str, payloads: Sequence[PurchaseRecorded]) -> tuple[str, dict[str, Any]]:
    return (
        f"""INSERT INTO {SCHEMA}.purchase (model, id, customer_id, source, status, lines, base_total,
                base_returned, base_cancelled)
            SELECT :model, i, c, s, 'recorded', n, t, 0, 0 FROM unnest(CAST(:ids AS bigint[]),
                CAST(:customers AS bigint[]), CAST(:sources AS text[]), CAST(:lines AS bigint[]),
                CAST(:totals AS numeric[])) AS v (i, c, s, n, t)""",
        {
            "model": model,
            "ids": [p.purchase_id for p in payloads],
            "customers": [p.customer_id for p in payloads],
            "sources": [p.source for p in payloads],
            "lines": [len(p.lines) for p in payloads],
            "totals": [p.base_total for p in payloads],
        },
    )


def reference_consumer(engine: AsyncEngine, model: str, nats_url: str, **options: Any) -> Consumer:
    """The consumer ``model`` of every customer-service event, applying them into its rows of ``refmodel``."""
    consumer = Consumer(engine, INBOX, name=model, nats_url=nats_url, services=["customer"], **options)

    async def run(session: AsyncSession, statement: tuple[str, dict[str, Any]]) -> None:
        await session.execute(text(statement[0]), statement[1])

    async def on_customers(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        await run(session, _customers(model, [e.payload for e in events]))

    async def on_customers_imported(session: AsyncSession, events: Sequence[Event[CustomersImported]]) -> None:
        # Whole columns of the items, straight to SQL: no model per item (the items were checked at write).
        for event in events:
            batch = event.payload
            await session.execute(
                text(f"""INSERT INTO {SCHEMA}.customer (model, id, country, status)
                         SELECT :model, i, co, st FROM unnest(CAST(:ids AS bigint[]), CAST(:countries AS text[]),
                             CAST(:statuses AS text[])) AS v (i, co, st)"""),
                {
                    "model": model,
                    "ids": batch.column("customer_id"),
                    "countries": batch.column("country"),
                    "statuses": batch.column("status"),
                },
            )

    async def on_products(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        await run(session, _products(model, [e.payload for e in events]))

    async def on_products_imported(session: AsyncSession, events: Sequence[Event[ProductsImported]]) -> None:
        for event in events:
            batch = event.payload
            await session.execute(
                text(f"""INSERT INTO {SCHEMA}.product (model, id, sku, unit_price, status)
                         SELECT :model, i, s, CAST(u AS numeric), st FROM unnest(CAST(:ids AS bigint[]),
                             CAST(:skus AS text[]), CAST(:prices AS text[]), CAST(:statuses AS text[]))
                             AS v (i, s, u, st)"""),
                {
                    "model": model,
                    "ids": batch.column("product_id"),
                    "skus": batch.column("sku"),
                    "prices": batch.column("unit_price"),
                    "statuses": batch.column("status"),
                },
            )

    async def on_purchases(session: AsyncSession, events: Sequence[Event[PurchaseRecorded]]) -> None:
        await run(session, _purchases(model, [e.payload for e in events]))

    async def on_purchases_imported(session: AsyncSession, events: Sequence[Event[PurchasesImported]]) -> None:
        for event in events:
            batch = event.payload
            await session.execute(
                text(f"""INSERT INTO {SCHEMA}.purchase (model, id, customer_id, source, status, lines, base_total,
                             base_returned, base_cancelled)
                         SELECT :model, i, c, s, 'recorded', n, CAST(t AS numeric), 0, 0
                         FROM unnest(CAST(:ids AS bigint[]), CAST(:customers AS bigint[]), CAST(:sources AS text[]),
                             CAST(:lines AS bigint[]), CAST(:totals AS text[])) AS v (i, c, s, n, t)"""),
                {
                    "model": model,
                    "ids": batch.column("purchase_id"),
                    "customers": batch.column("customer_id"),
                    "sources": batch.column("source"),
                    "lines": [len(lines) for lines in batch.column("lines")],
                    "totals": batch.column("base_total"),
                },
            )

    async def on_status(session: AsyncSession, events: Sequence[Event[Any]]) -> None:
        status = {"customer.deactivated": "inactive", "customer.reactivated": "active", "customer.deleted": "deleted"}
        for event in events:  # a handful at most: one statement each is plain enough
            await session.execute(
                text(f"UPDATE {SCHEMA}.customer SET status = :status WHERE model = :model AND id = :id"),
                {"status": status[type(event.payload).event_type], "model": model, "id": event.payload.customer_id},
            )

    async def on_cancelled(session: AsyncSession, events: Sequence[Event[PurchaseCancelled]]) -> None:
        await session.execute(
            text(f"""UPDATE {SCHEMA}.purchase p SET status = 'cancelled', base_cancelled = v.amount
                     FROM unnest(CAST(:ids AS bigint[]), CAST(:amounts AS numeric[])) AS v (id, amount)
                     WHERE p.model = :model AND p.id = v.id"""),
            {
                "model": model,
                "ids": [e.payload.purchase_id for e in events],
                "amounts": [e.payload.base_amount for e in events],
            },
        )

    async def on_returned(session: AsyncSession, events: Sequence[Event[PurchaseLineReturned]]) -> None:
        returned: dict[int, Decimal] = {}
        for event in events:
            amount = sum((line.base_amount for line in event.payload.lines), Decimal("0"))
            returned[event.payload.purchase_id] = returned.get(event.payload.purchase_id, Decimal("0")) + amount
        await session.execute(
            text(f"""UPDATE {SCHEMA}.purchase p SET base_returned = p.base_returned + v.amount
                     FROM unnest(CAST(:ids AS bigint[]), CAST(:amounts AS numeric[])) AS v (id, amount)
                     WHERE p.model = :model AND p.id = v.id"""),
            {"model": model, "ids": list(returned), "amounts": list(returned.values())},
        )

    for kind in (CustomerCreated, CustomerUpdated):
        consumer.handles(kind)(on_customers)
    consumer.handles(CustomersImported)(on_customers_imported)
    for status_kind in (CustomerDeactivated, CustomerReactivated, CustomerDeleted):
        consumer.handles(status_kind)(on_status)
    for product_kind in (ProductCreated, ProductUpdated):
        consumer.handles(product_kind)(on_products)
    consumer.handles(ProductsImported)(on_products_imported)
    consumer.handles(PurchaseRecorded)(on_purchases)
    consumer.handles(PurchasesImported)(on_purchases_imported)
    consumer.handles(PurchaseCancelled)(on_cancelled)
    consumer.handles(PurchaseLineReturned)(on_returned)
    return consumer


async def snapshot(engine: AsyncEngine, model: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``model``, table by table, in id order (without the model column)."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with AsyncSession(engine) as session:
        for table in (CUSTOMER, PRODUCT, PURCHASE):
            rows = await session.execute(
                text(f"SELECT * FROM {SCHEMA}.{table.name} WHERE model = :model ORDER BY id"), {"model": model}
            )
            found[table.name] = [tuple(row)[1:] for row in rows]
    return found
