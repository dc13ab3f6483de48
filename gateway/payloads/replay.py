"""The replay store of encrypted requests: ``(kid, nonce)`` pairs seen within the time window, shared by
every gateway process and replica through ``gateway.payload_nonce``.

A nonce is recorded only once its request authenticated, so nobody without the key can use up nonces.
A pair is kept while its request's timestamp is inside the window (a request outside is refused
before this store is asked), then purged from the background reread loop.
"""

import time

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

_SEEN = text(
    "INSERT INTO gateway.payload_nonce (kid, nonce, ts) VALUES (:kid, :nonce, :ts)"
    " ON CONFLICT (kid, nonce) DO NOTHING RETURNING 1"
)
_PURGE = text("DELETE FROM gateway.payload_nonce WHERE ts < extract(epoch FROM now()) - :window")


async def first_use(engine: AsyncEngine, kid: str, nonce: bytes, ts: int) -> bool:
    """Record ``(kid, nonce)``: ``True`` the first time, ``False`` when it was seen before (a replay)."""
    async with engine.begin() as connection:
        inserted = await connection.scalar(_SEEN, {"kid": kid, "nonce": nonce, "ts": ts})
    return inserted is not None


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
