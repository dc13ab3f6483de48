"""Loyalty fixtures: the loyalty app in process, a broker, the products its ledger holds, and the ledger
consumer fed from the customer service's outbox with its figures."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.customer.outbox import outbox
from services.kit.consumer import Consumer, Outcome
from services.kit.events import Envelope
from services.kit.outbox import envelope_of
from services.kit.principal import Principal, PrincipalKind
from services.loyalty.settings import LoyaltySettings
from tests.conftest import TEST_SECRET, ServiceClient
from tests.events.conftest import NatsServer, nats_server  # noqa: F401 - the events tests' broker fixture, shared
from tests.support.processes import free_port

Figures = tuple[Decimal, int, int, Decimal, int, int]
"""volume, orders, brands, own-brand volume, self orders, assisted orders"""


def loyalty_settings(database_url: str, nats_url: str = "nats://127.0.0.1:4222", **fields: Any) -> LoyaltySettings:
    """The loyalty service's settings for a test; months in Sydney unless told otherwise."""
    return LoyaltySettings(
        database_url=database_url,
        nats_url=nats_url,
        environment="test",
        internal_secret=TEST_SECRET,
        **({"business_timezone": "Australia/Sydney"} | fields),
    )


class OutboxFeed:
    """Hands the customer service's new outbox events to a consumer, as the broker would, without one."""

    def __init__(self, engine: AsyncEngine, consumer: Consumer) -> None:
        self.engine = engine
        self.consumer = consumer
        self.last_id = 0
        self.delivered: list[Envelope] = []

    async def new_events(self) -> list[Envelope]:
        async with self.engine.connect() as connection:
            rows = (
                await connection.execute(
                    text(f"SELECT * FROM {outbox.tables.outbox.fullname} WHERE id > :last ORDER BY id"),
                    {"last": self.last_id},
                )
            ).all()
        if rows:
            self.last_id = rows[-1].id
        return [envelope_of(row) for row in rows]

    async def deliver(self) -> list[Outcome]:
        """Apply every event written since the last delivery, in one batch."""
        events = await self.new_events()
        self.delivered.extend(events)
        return await self.consumer.apply_batch(events)


async def monthly_figures(engine: AsyncEngine) -> dict[tuple[int, date], Figures]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            text("""SELECT customer_id, month, volume, orders, brands, own_brand_volume, self_orders, assisted_orders
                    FROM loyalty.monthly_figures ORDER BY customer_id, month""")
        )
        return {(row[0], row[1]): tuple(row[2:]) for row in rows}  # type: ignore[misc]


async def units_sold(engine: AsyncEngine) -> dict[int, int]:
    async with engine.connect() as connection:
        rows = await connection.execute(text("SELECT id, units_sold FROM loyalty.product ORDER BY id"))
        return {row.id: row.units_sold for row in rows}


async def ledger_rows(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row the ledger keeps (figures without their ``updated_at``), to compare two runs."""
    queries = {
        "customer": "SELECT * FROM loyalty.customer ORDER BY id",
        "product": "SELECT * FROM loyalty.product ORDER BY id",
        "purchase": "SELECT * FROM loyalty.purchase ORDER BY id",
        "purchase_line": "SELECT * FROM loyalty.purchase_line ORDER BY id",
        "monthly_figures": """SELECT customer_id, month, volume, orders, brands, own_brand_volume, self_orders,
                                     assisted_orders FROM loyalty.monthly_figures ORDER BY customer_id, month""",
    }
    found: dict[str, list[tuple[Any, ...]]] = {}
    async with engine.connect() as connection:
        for name, query in queries.items():
            found[name] = [tuple(row) for row in await connection.execute(text(query))]
    return found


SERVICE = Principal(kind=PrincipalKind.SERVICE, subject="customer")
MANAGER = Principal(kind=PrincipalKind.STAFF, subject="staff:manager", roles=["manager"])
CLERK = Principal(kind=PrincipalKind.STAFF, subject="staff:clerk", roles=["clerk"])
ADMIN = Principal(kind=PrincipalKind.STAFF, subject="staff:admin", roles=["admin"])


def shopper(customer_id: int) -> Principal:
    return Principal(kind=PrincipalKind.CUSTOMER, subject=f"customer:{customer_id}", customer_id=customer_id)


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[NatsServer]:
    """A NATS server of the test's own, for services run as processes."""
    nats = NatsServer(tmp_path / "nats-store")
    nats.start()
    try:
        yield nats
    finally:
        nats.stop()


@pytest.fixture
def customer_url() -> str:
    """Where the loyalty app finds the customer service: nowhere, unless a test runs it."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
async def loyalty_app(database_url: str, customer_url: str) -> AsyncIterator[Any]:
    from services.loyalty.app import create_app

    app = create_app(
        LoyaltySettings(
            database_url=database_url,
            # No broker answers here: the app's consumers wait for one, and never read another test's events.
            nats_url=f"nats://127.0.0.1:{free_port()}",
            environment="test",
            internal_secret=TEST_SECRET,
            events_relay=False,
            customer_url=customer_url,
        )
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def loyalty(loyalty_app: Any) -> AsyncIterator[ServiceClient]:
    """A client of the loyalty service, signed as the customer service (a service principal)."""
    async with ServiceClient(loyalty_app, SERVICE) as client:
        yield client


async def put_products(db: asyncpg.Connection, rows: list[tuple[int, str, str, int, int]]) -> None:
    """Products as the loyalty ledger keeps them: (id, sku, status, units sold, units sold with a reward)."""
    await db.executemany(
        "INSERT INTO loyalty.product (id, sku, status, units_sold, units_rewarded) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT (id) DO UPDATE SET sku = EXCLUDED.sku, status = EXCLUDED.status, "
        "units_sold = EXCLUDED.units_sold, units_rewarded = EXCLUDED.units_rewarded",
        rows,
    )


def allocation(
    purchase_id: int, total: str, *, customer_id: int | None = 7, source: str = "live", **more: Any
) -> dict[str, Any]:
    return {
        "purchase_id": purchase_id,
        "customer_id": customer_id,
        "source": source,
        "base_total": total,
        "recorded_at": more.pop("recorded_at", None) or datetime.now(UTC).isoformat(),
        **more,
    }
