"""The revocation store: the ``gateway`` schema, read by every gateway process into memory.

What ends an access token before it expires is in PostgreSQL, shared by every worker process and
replica: a revoked refresh family (sign-out, a reused refresh token), a user's
``tokens_valid_after`` (new password, changed roles), an inactive user, and a customer account's
``tokens_valid_after`` (a customer's new password), and a customer's erasure (``erased_customer``:
their account is gone, every token issued before it is refused). Each process rereads
the part that can still matter (families revoked and users changed within an access token's
lifetime, plus every inactive user) every ``revocation_refresh_seconds``, so a request checks its
token against memory, with no database round trip, and a revocation reaches every process within
about that interval. A process whose copy is too old refuses tokens rather than trust it.
"""

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from gateway.auth.tokens import CUSTOMER, AccessClaims

log = logging.getLogger("patron.gateway.revocation")

_REVOKED_FAMILIES = text(
    "SELECT id FROM gateway.refresh_family"
    " WHERE revoked_at IS NOT NULL AND revoked_at > now() - make_interval(secs => :lookback)"
)
_USERS = text(
    "SELECT id, active, extract(epoch FROM tokens_valid_after)::float8 AS valid_after FROM gateway.staff_user"
    " WHERE NOT active OR tokens_valid_after > now() - make_interval(secs => :lookback)"
)
_CUSTOMERS = text(
    "SELECT customer_id, max(valid_after) AS valid_after FROM ("
    " SELECT customer_id, extract(epoch FROM tokens_valid_after)::float8 AS valid_after FROM gateway.customer_account"
    " WHERE customer_id IS NOT NULL AND tokens_valid_after > now() - make_interval(secs => :lookback)"
    " UNION ALL SELECT customer_id, extract(epoch FROM erased_at)::float8 FROM gateway.erased_customer"
    " WHERE erased_at > now() - make_interval(secs => :lookback)"
    ") t GROUP BY customer_id"
)


class RevocationsUnknown(Exception):
    """This process has no recent copy of the store (the database is out of reach)."""


@dataclass(frozen=True)
class Revocations:
    """One reading of the store."""

    revoked_families: frozenset[uuid.UUID] = frozenset()
    inactive_users: frozenset[int] = frozenset()
    valid_after: dict[int, float] = field(default_factory=dict)
    customer_valid_after: dict[int, float] = field(default_factory=dict)
    """By customer id: when their account's password last changed (or its sign-ins were all ended, or they
    were erased)."""

    def refuses(self, claims: AccessClaims) -> bool:
        """Whether a token with a valid signature was nevertheless revoked."""
        if claims.family_id in self.revoked_families:
            return True
        if claims.kind == CUSTOMER:
            valid_after = self.customer_valid_after.get(claims.user_id)
        elif claims.user_id in self.inactive_users:
            return True
        else:
            valid_after = self.valid_after.get(claims.user_id)
        return valid_after is not None and claims.issued_at <= valid_after


async def read_revocations(connection: AsyncConnection, *, lookback_seconds: float) -> Revocations:
    families = await connection.execute(_REVOKED_FAMILIES, {"lookback": lookback_seconds})
    users = (await connection.execute(_USERS, {"lookback": lookback_seconds})).all()
    customers = await connection.execute(_CUSTOMERS, {"lookback": lookback_seconds})
    return Revocations(
        revoked_families=frozenset(row.id for row in families),
        inactive_users=frozenset(row.id for row in users if not row.active),
        valid_after={row.id: row.valid_after for row in users if row.valid_after is not None},
        customer_valid_after={row.customer_id: row.valid_after for row in customers},
    )


class RevocationCache:
    """This process's copy of the store, reread in the background by ``run``."""

    def __init__(self, *, refresh_seconds: float, lookback_seconds: float, stale_after_seconds: float) -> None:
        self.refresh_seconds = refresh_seconds
        self.lookback_seconds = lookback_seconds
        self.stale_after_seconds = stale_after_seconds
        self._current: Revocations | None = None
        self._read_at = 0.0

    async def refresh(self, engine: AsyncEngine) -> None:
        async with engine.connect() as connection:
            revocations = await read_revocations(connection, lookback_seconds=self.lookback_seconds)
        self._current, self._read_at = revocations, time.monotonic()

    def current(self) -> Revocations:
        if self._current is None or time.monotonic() - self._read_at > self.stale_after_seconds:
            raise RevocationsUnknown("the revocation store has not been read recently")
        return self._current

    def refuses(self, claims: AccessClaims) -> bool:
        return self.current().refuses(claims)


class Reread(Protocol):
    """A copy of part of the shared store that a process rereads in the background."""

    async def refresh(self, engine: AsyncEngine) -> None: ...


async def reread_forever(engine: AsyncEngine, copies: dict[str, Reread], every_seconds: float) -> None:
    """Reread each copy every ``every_seconds`` until cancelled; a failed read is logged once and retried."""
    failing: set[str] = set()
    while True:
        for name, copy in copies.items():
            try:
                await copy.refresh(engine)
                failing.discard(name)
            except Exception as exc:  # the database may be away for a moment; the next round retries
                if name not in failing:  # once per outage, not once a second
                    log.warning("shared store unreadable", extra={"copy": name, "error": repr(exc)})
                failing.add(name)
        await asyncio.sleep(every_seconds)
