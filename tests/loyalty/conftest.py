"""Loyalty ledger fixtures: the ledger consumer fed from the customer service's outbox, and its figures."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.customer.outbox import outbox
from services.kit.consumer import Consumer, Outcome
from services.kit.events import Envelope
from services.kit.outbox import envelope_of
from services.loyalty.settings import LoyaltySettings
from tests.conftest import TEST_SECRET

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
