"""Hand-made months for the levels, groups and budget tests: customers and their monthly figures written
straight into the loyalty ledger, as the ledger consumer would have left them."""

from datetime import date, datetime
from decimal import Decimal

import asyncpg

OCTOBER = date(2026, 10, 1)


async def put_customer(
    db: asyncpg.Connection,
    customer_id: int,
    *,
    status: str = "active",
    city: str | None = "Sydney",
    store_id: int | None = 1,
    created_at: datetime | None = None,
) -> None:
    await db.execute(
        "INSERT INTO loyalty.customer (id, status, home_store_id, city, country, created_at) "
        "VALUES ($1, $2, $3, $4, 'AU', $5)",
        customer_id,
        status,
        store_id,
        city,
        created_at,
    )


async def put_figures(
    db: asyncpg.Connection,
    customer_id: int,
    volume: str | Decimal,
    orders: int = 1,
    brands: int = 1,
    own_brand_volume: str | Decimal = "0",
    self_orders: int = 1,
    assisted_orders: int = 0,
    *,
    month: date = OCTOBER,
) -> None:
    await db.execute(
        "INSERT INTO loyalty.monthly_figures (customer_id, month, volume, orders, brands, own_brand_volume, "
        "self_orders, assisted_orders) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        customer_id,
        month,
        Decimal(volume),
        orders,
        brands,
        Decimal(own_brand_volume),
        self_orders,
        assisted_orders,
    )


async def put_customers_with_volumes(
    db: asyncpg.Connection, volumes: dict[int, str], *, city: str = "Sydney", store_id: int = 1, month: date = OCTOBER
) -> None:
    """Active customers each with one level-1 month of the given volume (one order, one brand, all self)."""
    for customer_id, volume in volumes.items():
        await put_customer(db, customer_id, city=city, store_id=store_id)
        await put_figures(db, customer_id, volume, month=month)
