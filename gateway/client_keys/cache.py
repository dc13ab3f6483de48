"""Each gateway process's copy of the active client keys, unwrapped, reread with the other shared copies.

An encrypted request finds its key in memory (no database round trip). The process that makes or
retires a key knows it at once; every other process within a reread (``revocation_refresh_seconds``).
A key is unwrapped once per process, when it is first read, not at every reread.
"""

import logging
import time
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from gateway.client_keys.schemas import Scheme
from gateway.local_changes import LocalChanges
from gateway.payloads import keywrap

log = logging.getLogger("patron.gateway.client_keys")

_ACTIVE = text("SELECT kid, client, scheme, wrapped_secret FROM gateway.client_key WHERE retired_at IS NULL")


@dataclass(frozen=True, slots=True)
class ClientKey:
    kid: str
    client: str
    scheme: Scheme
    secret: bytes  # the AES-256 key (gcm) or the passphrase's bytes (legacy)


class ClientKeysUnknown(Exception):
    """This process has not read the client keys recently."""


class ClientKeyCache:
    def __init__(self, *, kek: bytes, stale_after_seconds: float) -> None:
        self._kek = kek
        self.stale_after_seconds = stale_after_seconds
        self._keys: dict[str, ClientKey] | None = None
        self._wrapped: dict[str, bytes] = {}
        self._read_at = 0.0
        self._changes: LocalChanges[str, ClientKey] = LocalChanges()

    async def refresh(self, engine: AsyncEngine) -> None:
        started = self._changes.reread_starts()
        async with engine.connect() as connection:
            rows = (await connection.execute(_ACTIVE)).all()
        known, keys, wrapped = self._keys or {}, {}, {}
        for row in rows:
            stored = bytes(row.wrapped_secret)
            if row.kid in known and self._wrapped.get(row.kid) == stored:
                keys[row.kid] = known[row.kid]
            else:
                try:
                    secret = keywrap.unwrap(self._kek, row.kid, stored)
                except keywrap.UnwrapFailed:  # another key-encryption key, or a damaged row: the key is unusable
                    log.error("client key does not unwrap", extra={"kid": row.kid})
                    continue
                keys[row.kid] = ClientKey(row.kid, row.client, Scheme(row.scheme), secret)
            wrapped[row.kid] = stored
        self._keys = self._changes.over(keys, started)
        self._wrapped, self._read_at = wrapped, time.monotonic()

    def remember(self, key: ClientKey) -> None:
        """Know a key this process just made, before the next reread (other processes: within one)."""
        self._changes.record(key.kid, key)
        if self._keys is not None:
            self._keys = {**self._keys, key.kid: key}

    def forget(self, kid: str) -> None:
        """Drop a key this process just retired, before the next reread."""
        self._changes.record(kid, None)
        if self._keys is not None:
            self._keys = {k: key for k, key in self._keys.items() if k != kid}

    def get(self, kid: str) -> ClientKey | None:
        """The active key with this id, or ``None``; raises ``ClientKeysUnknown`` when the copy is too old."""
        if self._keys is None or time.monotonic() - self._read_at > self.stale_after_seconds:
            raise ClientKeysUnknown("the client keys have not been read recently")
        return self._keys.get(kid)
