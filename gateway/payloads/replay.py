"""The replay store of encrypted requests: ``(kid, nonce)`` pairs seen within the time window, shared by
every gateway process and replica through ``gateway.payload_nonce``.

A nonce is recorded only once its request authenticated, so nobody without the key can use up nonces.
A pair is kept while its request's timestamp is inside the window (a request outside is refused
before this store is asked), then purged from the background reread loop.
"""

import asyncio
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_SEEN_MANY_SQL = (
    "INSERT INTO gateway.payload_nonce (kid, nonce, ts)"
    " SELECT * FROM unnest($1::text[], $2::bytea[], $3::bigint[])"
    " ON CONFLICT (kid, nonce) DO NOTHING RETURNING kid, nonce"
)
_PURGE = text("DELETE FROM gateway.payload_nonce WHERE ts < extract(epoch FROM now()) - :window")


class ReplayUnavailable(Exception):
    """The shared store could not be asked: the request is neither accepted nor refused as a replay."""


class ReplayStore:
    """Records nonces in batches: requests arriving while one insert is on its way share the next one.

    Under load this is one transaction (and one commit) for many requests rather than one each, and
    an idle gateway still records a lone nonce at once. Each request learns whether it was first. The
    connection is kept while requests keep coming (``linger_seconds`` after the last batch), then
    given back to the pool.
    """

    def __init__(self, engine: Callable[[], AsyncEngine], *, linger_seconds: float = 0.005) -> None:
        self._engine = engine
        self.linger_seconds = linger_seconds
        self._pending: dict[tuple[str, bytes], tuple[int, list[asyncio.Future[bool]]]] = {}
        self._flushing = False
        self._task: asyncio.Task[None] | None = None
        self._waiting: asyncio.Future[None] | None = None

    async def first_use(self, kid: str, nonce: bytes, ts: int) -> bool:
        """``True`` the first time ``(kid, nonce)`` is seen, ``False`` for a replay (here or in any other process)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        entry = self._pending.setdefault((kid, nonce), (ts, []))
        entry[1].append(future)
        if not self._flushing:
            self._flushing = True
            self._task = asyncio.create_task(self._flush())
        elif self._waiting is not None:
            _wake(self._waiting)  # the lingering flush takes it at once
        return await future

    async def _more_soon(self) -> bool:
        """Wait up to ``linger_seconds`` for another nonce (woken at once when one comes)."""
        loop = asyncio.get_running_loop()
        self._waiting = waiting = loop.create_future()
        timer = loop.call_later(self.linger_seconds, _wake, waiting)
        try:
            await waiting
        finally:
            timer.cancel()
            self._waiting = None
        return bool(self._pending)

    async def _flush(self) -> None:
        try:
            while self._pending:
                batch: dict[tuple[str, bytes], tuple[int, list[asyncio.Future[bool]]]] = {}
                try:
                    async with self._engine().connect() as connection:
                        # Statements on the pooled connection's own asyncpg connection, each its own
                        # transaction: no BEGIN and COMMIT round trips, none of SQLAlchemy's work per row.
                        driver: Any = (await connection.get_raw_connection()).driver_connection
                        while True:
                            if not self._pending and not await self._more_soon():
                                break
                            batch, self._pending = self._pending, {}
                            rows = await driver.fetch(
                                _SEEN_MANY_SQL,
                                [kid for kid, _ in batch],
                                [nonce for _, nonce in batch],
                                [ts for ts, _ in batch.values()],
                            )
                            _resolve(batch, {(row["kid"], bytes(row["nonce"])) for row in rows})
                            batch = {}
                except Exception as exc:
                    if not batch:  # no connection: every request waiting fails alike
                        batch, self._pending = self._pending, {}
                    for _, futures in batch.values():
                        for future in futures:
                            if not future.done():
                                future.set_exception(ReplayUnavailable(repr(exc)))
        finally:
            self._flushing = False


def _wake(waiting: asyncio.Future[None]) -> None:
    if not waiting.done():
        waiting.set_result(None)


def _resolve(
    batch: dict[tuple[str, bytes], tuple[int, list[asyncio.Future[bool]]]], inserted: set[tuple[str, bytes]]
) -> None:
    for pair, (_, futures) in batch.items():
        for index, future in enumerate(futures):  # the same nonce twice in one batch: the first wins
            if not future.done():
                future.set_result(pair in inserted and index == 0)


async def purge(engine: AsyncEngine, *, window_seconds: int) -> int:
    """Forget nonces whose request's timestamp has left the window (a replay of them is refused by time)."""
    async with engine.begin() as connection:
        result = await connection.execute(_PURGE, {"window": window_seconds + 1})
    return int(result.rowcount or 0)


class NoncePurge:
    """Forgets expired nonces now and then, from the gateway's background reread loop."""

    def __init__(self, *, window_seconds: int, every_seconds: float = 30.0) -> None:
        self.window_seconds = window_seconds
        self.every_seconds = every_seconds
        self._last = 0.0

    async def refresh(self, engine: AsyncEngine) -> None:
        if time.monotonic() - self._last >= self.every_seconds:
            await purge(engine, window_seconds=self.window_seconds)
            self._last = time.monotonic()
