"""Sign-in attempts in the shared store (``gateway.sign_in_throttle``), across gateway processes.

An attempt is counted before its password is checked, in its own short transaction, so that many
attempts sent at once are all counted: no burst slips past the limit while the hashes run.
"""

import math
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.abuse.rules import BackOff

_COUNT = text(
    "INSERT INTO gateway.sign_in_throttle AS t (subject, attempts, last_attempt_at) VALUES (:subject, 1, now())"
    " ON CONFLICT (subject) DO UPDATE SET"
    "  attempts = CASE WHEN t.last_attempt_at < now() - make_interval(secs => :window) THEN 1 ELSE t.attempts + 1 END,"
    "  last_attempt_at = now()"
    " WHERE t.blocked_until IS NULL OR t.blocked_until <= now()"
    " RETURNING attempts"
)
_BLOCK = text(
    "UPDATE gateway.sign_in_throttle SET blocked_until = now() + make_interval(secs => :wait) WHERE subject = :subject"
)
_WAIT = text(
    "SELECT extract(epoch FROM max(blocked_until) - now())::float8 FROM gateway.sign_in_throttle"
    " WHERE subject = ANY(:subjects)"
)
_CLEAR = text("DELETE FROM gateway.sign_in_throttle WHERE subject = :subject")
_GIVE_BACK = text("UPDATE gateway.sign_in_throttle SET attempts = greatest(attempts - 1, 0) WHERE subject = :subject")
_PURGE = text(
    "DELETE FROM gateway.sign_in_throttle"
    " WHERE last_attempt_at < now() - make_interval(secs => :window)"
    " AND (blocked_until IS NULL OR blocked_until < now())"
)


@dataclass(frozen=True)
class Throttle:
    account: BackOff
    address: BackOff
    window_seconds: float


class _Waiting(Exception):
    def __init__(self, seconds: int) -> None:
        self.seconds = seconds


async def attempt(engine: AsyncEngine, throttle: Throttle, *, account: str, address: str) -> int | None:
    """Count one sign-in attempt of ``account`` from ``address``: ``None`` to go on, else seconds to wait.

    A subject still waiting is not counted again (nor is the other subject of a refused attempt);
    the reply says how long is left.
    """
    try:
        async with engine.begin() as connection:
            for subject, back_off in ((account, throttle.account), (address, throttle.address)):
                attempts = await connection.scalar(_COUNT, {"subject": subject, "window": throttle.window_seconds})
                if attempts is None:
                    left = await connection.scalar(_WAIT, {"subjects": [account, address]})
                    raise _Waiting(max(1, math.ceil(left or 0)))  # rolls the other subject's count back
                wait = back_off.wait_after(attempts)
                if wait > 0:
                    await connection.execute(_BLOCK, {"subject": subject, "wait": wait})
    except _Waiting as waiting:
        return waiting.seconds
    return None


async def succeeded(engine: AsyncEngine, *, account: str, address: str) -> None:
    """A sign-in went through: its account starts afresh, and its address gets its attempt back."""
    async with engine.begin() as connection:
        await connection.execute(_CLEAR, {"subject": account})
        await connection.execute(_GIVE_BACK, {"subject": address})


async def purge(engine: AsyncEngine, *, window_seconds: float) -> int:
    """Forget subjects whose window passed and who wait no more."""
    async with engine.begin() as connection:
        result = await connection.execute(_PURGE, {"window": window_seconds})
    return int(result.rowcount or 0)


class Purge:
    """Forgets finished subjects now and then, from the gateway's background reread loop."""

    def __init__(self, *, window_seconds: float, every_seconds: float = 60.0) -> None:
        self.window_seconds = window_seconds
        self.every_seconds = every_seconds
        self._last = 0.0

    async def refresh(self, engine: AsyncEngine) -> None:
        if time.monotonic() - self._last >= self.every_seconds:
            await purge(engine, window_seconds=self.window_seconds)
            self._last = time.monotonic()
