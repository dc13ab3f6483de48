"""The connection pool survives the server closing its connections (a restart, a terminated backend)."""

import asyncio

import asyncpg


async def _backends(db: asyncpg.Connection) -> list[int]:
    rows = await db.fetch(
        "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'patron-customer'"
    )
    return [row["pid"] for row in rows]


async def test_requests_succeed_after_the_server_closes_every_pooled_connection(customer, db):
    # Several requests at once leave several connections in the pool.
    first = await asyncio.gather(*(customer.get("/api/v1/customers") for _ in range(4)))
    assert [r.status_code for r in first] == [200] * 4
    pooled = await _backends(db)
    assert pooled

    await db.execute("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", pooled)
    for _ in range(100):
        if not set(await _backends(db)) & set(pooled):
            break
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.1)  # the service's event loop reads each server's goodbye

    again = await asyncio.gather(*(customer.get("/api/v1/customers") for _ in range(4)))
    assert [r.status_code for r in again] == [200] * 4, [r.text for r in again]
    assert not set(await _backends(db)) & set(pooled)  # served on fresh connections
