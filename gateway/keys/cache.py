"""Each gateway process's copy of the usable partner keys, reread with the revocation store.

A request's key is checked against memory (no database round trip): its prefix finds the key, its
secret is compared with the stored hash, its expiry with the clock. The process that creates or
revokes a key knows it at once; every other process within a reread (``revocation_refresh_seconds``).
When a key was last used is gathered in memory and written at the next reread.
"""

import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.keys.rules import secret_matches, split_key
from gateway.local_changes import LocalChanges
from services.kit.principal import Principal, PrincipalKind

_USABLE = text(
    "SELECT id, prefix, secret_hash, scopes, extract(epoch FROM expires_at)::float8 AS expires_at"
    " FROM gateway.api_key WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())"
)
_USED = text(
    "UPDATE gateway.api_key k SET last_used_at = greatest(k.last_used_at, to_timestamp(u.at))"
    " FROM unnest(CAST(:ids AS bigint[]), CAST(:ats AS float8[])) AS u(id, at) WHERE k.id = u.id"
)


@dataclass(frozen=True)
class _Key:
    id: int
    secret_hash: bytes
    expires_at: float | None
    principal: Principal


class KeysUnknown(Exception):
    """This process has not read the keys recently."""


class KeyCache:
    def __init__(self, *, stale_after_seconds: float) -> None:
        self.stale_after_seconds = stale_after_seconds
        self._keys: dict[str, _Key] | None = None
        self._read_at = 0.0
        self._used: dict[int, float] = {}
        self._changes: LocalChanges[str, _Key] = LocalChanges()

    async def refresh(self, engine: AsyncEngine) -> None:
        started = self._changes.reread_starts()
        used, self._used = self._used, {}
        try:
            async with engine.begin() as connection:
                if used:
                    await connection.execute(_USED, {"ids": list(used), "ats": list(used.values())})
                rows = (await connection.execute(_USABLE)).all()
        except Exception:
            for key_id, at in used.items():  # written at the next reread instead
                self._used[key_id] = max(at, self._used.get(key_id, 0.0))
            raise
        fresh = {
            row.prefix: _Key(
                row.id,
                bytes(row.secret_hash),
                row.expires_at,
                Principal(kind=PrincipalKind.PARTNER, subject=f"key:{row.id}", scopes=list(row.scopes)),
            )
            for row in rows
        }
        self._keys = self._changes.over(fresh, started)
        self._read_at = time.monotonic()

    def remember(
        self, *, key_id: int, prefix: str, secret_hash: bytes, scopes: list[str], expires_at: float | None
    ) -> None:
        """Know a key this process just created, before the next reread (other processes: within one)."""
        principal = Principal(kind=PrincipalKind.PARTNER, subject=f"key:{key_id}", scopes=scopes)
        key = _Key(key_id, secret_hash, expires_at, principal)
        self._changes.record(prefix, key)
        if self._keys is not None:
            self._keys = {**self._keys, prefix: key}

    def forget(self, prefix: str) -> None:
        """Drop a key this process just revoked, before the next reread."""
        self._changes.record(prefix, None)
        if self._keys is not None:
            self._keys = {known: key for known, key in self._keys.items() if known != prefix}

    def principal(self, presented: str) -> Principal | None:
        """The partner principal of a presented key, or ``None`` when it is not a usable key."""
        if self._keys is None or time.monotonic() - self._read_at > self.stale_after_seconds:
            raise KeysUnknown("the partner keys have not been read recently")
        parts = split_key(presented)
        if parts is None:
            return None
        key = self._keys.get(parts[0])
        now = time.time()
        if key is None or not secret_matches(key.secret_hash, parts[1]):
            return None
        if key.expires_at is not None and key.expires_at <= now:
            return None
        self._used[key.id] = now
        return key.principal
