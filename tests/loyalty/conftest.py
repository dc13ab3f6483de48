"""Loyalty fixtures: the loyalty app in process, a broker, and the products its ledger would hold."""

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from services.kit.principal import Principal, PrincipalKind
from tests.conftest import TEST_SECRET, ServiceClient
from tests.events.conftest import NatsServer
from tests.support.processes import free_port

SERVICE = Principal(kind=PrincipalKind.SERVICE, subject="customer")
MANAGER = Principal(kind=PrincipalKind.STAFF, subject="staff:manager", roles=["manager"])
CLERK = Principal(kind=PrincipalKind.STAFF, subject="staff:clerk", roles=["clerk"])
ADMIN = Principal(kind=PrincipalKind.STAFF, subject="staff:admin", roles=["admin"])


def shopper(customer_id: int) -> Principal:
    return Principal(kind=PrincipalKind.CUSTOMER, subject=f"customer:{customer_id}", customer_id=customer_id)


@pytest.fixture
def customer_url() -> str:
    """Where the loyalty app finds the customer service: nowhere, unless a test runs it."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
async def loyalty_app(database_url: str, customer_url: str) -> AsyncIterator[Any]:
    from services.loyalty.app import create_app
    from services.loyalty.settings import LoyaltySettings

    app = create_app(
        LoyaltySettings(
            database_url=database_url,
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


@pytest.fixture
def nats_server(tmp_path: Path) -> Iterator[NatsServer]:
    broker = NatsServer(tmp_path / "nats-store")
    broker.start()
    try:
        yield broker
    finally:
        broker.stop()


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
