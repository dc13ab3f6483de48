"""Rate-limit counts shared by every gateway process through ``gateway.rate_limit_counter``.

The hot path never waits on the database: each process decides from its own copy, which is the
shared count of the window as last read plus the requests it let through since. Every
``rate_limit_sync_seconds`` it adds those requests to the shared rows in one statement and reads the
totals back (which hold every other process's requests too); a subject quiet since the last sync is
not sent. Across processes a subject can so pass
its limit by at most what the other processes let through within one sync.
"""

import contextlib
import logging
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.limits.rules import Decision, Limit, decide, window_start

log = logging.getLogger("patron.gateway.limits")

_ADD = text(
    "INSERT INTO gateway.rate_limit_counter AS t (subject, family, window_start, expires_at, hits)"
    " SELECT * FROM unnest(CAST(:subjects AS text[]), CAST(:families AS text[]),"
    "  CAST(:starts AS timestamptz[]), CAST(:expires AS timestamptz[]), CAST(:hits AS bigint[]))"
    " ON CONFLICT (subject, family, window_start) DO UPDATE SET hits = t.hits + excluded.hits"
    " RETURNING subject, family, window_start, hits"
)
_PURGE = text("DELETE FROM gateway.rate_limit_counter WHERE expires_at < now()")
PURGE_EVERY_SECONDS = 60.0

# (subject, family, window start in epoch seconds, window length)
_Key = tuple[str, str, int, int]


@dataclass
class _Count:
    shared: int = 0  # the store's total as last read (this process's synced requests included)
    pending: int = 0  # let through here since the last sync
    sending: int = 0  # let through here and being added to the store right now

    @property
    def used(self) -> int:
        return self.shared + self.sending + self.pending


@dataclass
class Allowance:
    """This process's copy of the counts of the current windows."""

    counts: dict[_Key, _Count] = field(default_factory=dict)
    _purged_at: float = 0.0

    def hit(self, subject: str, family: str, limit: Limit, now: float | None = None) -> Decision:
        """Count one request of ``subject`` to ``family`` if it fits its limit; refused ones are not counted."""
        now = time.time() if now is None else now
        start = window_start(now, limit.seconds)
        count = self.counts.setdefault((subject, family, start, limit.seconds), _Count())
        decision = decide(limit, count.used, start, now)
        if decision.allowed:
            count.pending += 1
        return decision

    async def refresh(self, engine: AsyncEngine) -> None:
        """Add this process's requests to the store and read back every current window's total."""
        now = time.time()
        for key in [key for key in self.counts if key[2] + key[3] <= now]:
            del self.counts[key]  # a window that has ended
        # Only the windows this process let requests through in since the last sync; one order in every
        # process, so concurrent upserts never deadlock.
        keys = sorted(key for key, count in self.counts.items() if count.pending)
        if keys:
            sent = {key: self.counts[key].pending for key in keys}
            for key in keys:
                self.counts[key].sending, self.counts[key].pending = self.counts[key].pending, 0
            try:
                async with engine.begin() as connection:
                    rows = (await connection.execute(_ADD, _parameters(keys, sent))).all()
            except Exception:
                for key in keys:  # counted again at the next sync
                    if key in self.counts:
                        self.counts[key].pending += self.counts[key].sending
                        self.counts[key].sending = 0
                raise
            seconds = {key[:3]: key[3] for key in keys}
            for subject, family, start, hits in rows:
                epoch = int(start.timestamp())
                key = (subject, family, epoch, seconds[(subject, family, epoch)])
                if key in self.counts:
                    self.counts[key].shared, self.counts[key].sending = int(hits), 0
        if time.monotonic() - self._purged_at >= PURGE_EVERY_SECONDS:
            with contextlib.suppress(Exception):
                async with engine.begin() as connection:
                    await connection.execute(_PURGE)
                self._purged_at = time.monotonic()


def _parameters(keys: list[_Key], sent: dict[_Key, int]) -> dict[str, list[object]]:
    return {
        "subjects": [key[0] for key in keys],
        "families": [key[1] for key in keys],
        "starts": [datetime.fromtimestamp(key[2], UTC) for key in keys],
        "expires": [datetime.fromtimestamp(key[2] + key[3], UTC) for key in keys],
        "hits": [sent[key] for key in keys],
    }
