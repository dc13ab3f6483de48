"""``driver_transaction``: a hot route's transaction on the pooled connection's own asyncpg connection."""

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kit.db import DriverStatement, create_engine, driver_transaction

INSERT = DriverStatement.of(text("INSERT INTO t (id) VALUES (:id) RETURNING id"))


@pytest.fixture
async def engine(database_url: str, db: asyncpg.Connection) -> AsyncIterator[AsyncEngine]:
    await db.execute("CREATE TABLE t (id integer PRIMARY KEY)")
    engine = create_engine(database_url, pool_size=1, application_name="patron-test-driver")
    yield engine
    await engine.dispose()


async def _backend(engine: AsyncEngine) -> int:
    async with driver_transaction(engine) as driver:
        pid: int = await driver.fetchval("SELECT pg_backend_pid()")
    return pid


async def test_the_block_commits_when_it_ends(engine, db):
    async with driver_transaction(engine) as driver:
        assert driver.is_in_transaction()
        assert (await INSERT.fetchrow(driver, {"id": 1}))["id"] == 1
        assert await db.fetchval("SELECT count(*) FROM t") == 0  # not before the block ends
    assert await db.fetchval("SELECT count(*) FROM t") == 1


async def test_the_block_rolls_back_when_it_raises_and_the_connection_is_pooled_clean(engine, db):
    pid = await _backend(engine)
    with pytest.raises(LookupError):
        async with driver_transaction(engine) as driver:
            await INSERT.fetchrow(driver, {"id": 1})
            raise LookupError("the caller's own error passes through")
    assert await db.fetchval("SELECT count(*) FROM t") == 0
    async with driver_transaction(engine) as driver:
        assert await driver.fetchval("SELECT pg_backend_pid()") == pid  # the same connection, reused
        assert await driver.fetchval("SELECT count(*) FROM t") == 0


async def test_the_drivers_errors_come_out_as_sqlalchemys(engine, db):
    async with driver_transaction(engine) as driver:
        await INSERT.fetchrow(driver, {"id": 1})
    with pytest.raises(IntegrityError) as duplicate:
        async with driver_transaction(engine) as driver:
            await INSERT.fetchrow(driver, {"id": 1})
    assert duplicate.value.orig.constraint_name == "t_pkey"
    with pytest.raises(DBAPIError):
        async with driver_transaction(engine) as driver:
            await driver.execute("SELECT 1 / 0")
    # A deferred constraint fails at COMMIT, which the block's end sends: still SQLAlchemy's error.
    await db.execute("ALTER TABLE t ADD CONSTRAINT t_small CHECK (id < 10) NOT VALID")
    await db.execute(
        "CREATE TABLE u (id integer UNIQUE DEFERRABLE INITIALLY DEFERRED)",
    )
    with pytest.raises(IntegrityError):
        async with driver_transaction(engine) as driver:
            await driver.execute("INSERT INTO u VALUES (1), (1)")
    assert await db.fetchval("SELECT count(*) FROM u") == 0


async def test_a_cancelled_block_rolls_back_and_leaves_its_connection_clean(engine, db):
    pid = await _backend(engine)

    async def slow() -> None:
        async with driver_transaction(engine) as driver:
            await INSERT.fetchrow(driver, {"id": 1})
            await driver.execute("SELECT pg_sleep(30)")

    task = asyncio.create_task(slow())
    for _ in range(200):
        if await db.fetchval("SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(30)'"):
            break
        await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await db.fetchval("SELECT count(*) FROM t") == 0
    assert await db.fetchval("SELECT state FROM pg_stat_activity WHERE pid = $1", pid) == "idle"
    assert await _backend(engine) == pid


async def test_a_connection_whose_rollback_fails_is_discarded_not_pooled(engine, db):
    pid = await _backend(engine)
    with pytest.raises(DBAPIError):  # asyncpg: another operation is in progress
        async with driver_transaction(engine) as driver:
            await INSERT.fetchrow(driver, {"id": 1})
            straggler = asyncio.create_task(driver.execute("SELECT pg_sleep(0.5)"))
            await asyncio.sleep(0.05)
            raise LookupError("the block fails while a statement still runs: its ROLLBACK cannot be sent")
    straggler.cancel()
    # The pool's only connection was left in its transaction: the next block gets a fresh one.
    assert await _backend(engine) != pid
    assert await db.fetchval("SELECT count(*) FROM t") == 0
