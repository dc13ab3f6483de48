"""Idempotent writes: a POST, PUT, PATCH or DELETE sent again with the same ``Idempotency-Key`` gets the
first response back instead of acting twice.

A key belongs to the principal that sent it (another caller's key is simply another key) and is
stored with a hash of the request's method, path, query and body. The first request with a key
runs inside a database transaction that the middleware opens and that the route's own session and
driver transaction join (``joined_connection``): the key's row, the route's effect and the stored
response commit together, or not at all. So:

- a retry with the same request replays the first response (status, headers, body), marked
  ``Idempotent-Replayed: true``;
- the same key with another request is refused with a 422 naming the header;
- a retry that races the first request waits on the key's row lock, then replays its response;
- a response of 500 or more is not kept (nothing it did was committed), so a retry runs again;
- a key expires after ``ttl`` (``PATRON_IDEMPOTENCY_TTL_HOURS``), after which it is new again; a
  background job deletes expired keys.
"""

import hashlib
import json
from datetime import timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    delete,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.kit.db import JOINED_CONNECTION
from services.kit.errors import BadRequest, FieldError, InvalidInput, problem_response
from services.kit.principal import principal_in_scope

IDEMPOTENCY_TABLE = "idempotency_key"
HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 200
_HEADER_BYTES = HEADER.lower().encode("latin-1")
# Headers a replay does not repeat: they describe the first transfer, not the answer.
_NOT_REPLAYED = frozenset({"content-length", "date", "server", "x-request-id", "transfer-encoding", "connection"})


def _routed(scope: Scope) -> bool:
    """Whether a route answers this method on this path: another method is a 405, whatever its key."""
    return any(route.matches(scope)[0] is Match.FULL for route in scope["app"].router.routes)


def idempotency_table(metadata: MetaData) -> Table:
    """Define ``idempotency_key`` in a service's metadata, hence in its schema."""
    table = Table(
        IDEMPOTENCY_TABLE,
        metadata,
        Column("principal", Text, nullable=False),
        Column("key", Text, nullable=False),
        Column("request_hash", Text, nullable=True),
        Column("status", Integer, nullable=True),
        Column("headers", JSONB, nullable=True),
        Column("body", LargeBinary, nullable=True),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("expires_at", DateTime(timezone=True), nullable=False),
        PrimaryKeyConstraint("principal", "key"),
    )
    Index(f"ix_{IDEMPOTENCY_TABLE}_expires_at", table.c.expires_at)
    return table


async def _hash_rest(receive: Receive, digest: "hashlib._Hash") -> None:
    """Read what is left of a request's body into ``digest``."""
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return
        digest.update(message.get("body", b""))
        if not message.get("more_body", False):
            return


def request_hash(method: str, path: str, query: bytes, body_digest: str) -> str:
    return hashlib.sha256(f"{method}\n{path}\n{query.decode('latin-1')}\n{body_digest}".encode()).hexdigest()


async def purge_expired(connection: AsyncConnection, table: Table) -> int:
    """Delete keys past their expiry; returns how many."""
    result = await connection.execute(delete(table).where(table.c.expires_at < func.now()))
    return int(result.rowcount or 0)


class IdempotencyMiddleware:
    """Makes every write under ``prefix`` that carries ``Idempotency-Key`` happen once per caller and key.

    Runs inside ``PrincipalMiddleware`` (it needs the checked principal) and uses the app's engine.
    """

    def __init__(self, app: ASGIApp, *, prefix: str, table: Table, ttl: timedelta) -> None:
        self.app = app
        self.prefix = prefix
        self.ttl = ttl
        name = table.fullname
        # A new key is inserted; an expired one is taken over; a live one is only locked (the update's
        # condition is false), which waits for a request still running with it, and returns nothing.
        self._claim = text(f"""
            INSERT INTO {name} AS k (principal, key, expires_at)
            VALUES (:principal, :key, now() + make_interval(secs => :ttl))
            ON CONFLICT (principal, key) DO UPDATE
            SET request_hash = NULL, status = NULL, headers = NULL, body = NULL,
                created_at = now(), expires_at = excluded.expires_at
            WHERE k.expires_at <= now()
            RETURNING 1
        """)
        self._stored = text(f"""
            SELECT request_hash, status, headers, body FROM {name} WHERE principal = :principal AND key = :key
        """)
        self._keep = text(f"""
            UPDATE {name} SET request_hash = :request_hash, status = :status, headers = :headers, body = :body
            WHERE principal = :principal AND key = :key
        """)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS or not scope["path"].startswith(self.prefix):
            await self.app(scope, receive, send)
            return
        key = next((v.decode("latin-1") for k, v in scope["headers"] if k == _HEADER_BYTES), None)
        principal = principal_in_scope(scope)
        if key is None or principal is None or not _routed(scope):
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH or not (key.isascii() and key.isprintable()):
            message = f"1 to {MAX_KEY_LENGTH} printable ASCII characters"
            problem = BadRequest(f"{HEADER}: {message}", errors=[FieldError(f"header.{HEADER}", message)])
            await problem_response(problem.status, problem.body(scope["path"]))(scope, receive, send)
            return
        owner = f"{principal.kind.value}:{principal.subject}"
        engine: AsyncEngine = scope["app"].state.engine
        values = {"principal": owner, "key": key}
        async with engine.connect() as connection:
            transaction = await connection.begin()
            try:
                claimed = (await connection.execute(self._claim, {**values, "ttl": self.ttl.total_seconds()})).first()
                if claimed is None:
                    stored = (await connection.execute(self._stored, values)).one()
                    await transaction.rollback()
                    await self._answer_retry(scope, receive, send, stored)
                    return
                start, body = await self._run_first(scope, receive, connection, values)
                # Committed before a byte of the answer leaves: a client never hears of an effect that
                # did not happen, and a retry finds the answer it would have had.
                if int(start["status"]) < 500:
                    await transaction.commit()
                else:
                    await transaction.rollback()
            finally:
                if transaction.is_active:
                    await transaction.rollback()
        await send(start)
        await send({"type": "http.response.body", "body": body})

    async def _run_first(
        self, scope: Scope, receive: Receive, connection: AsyncConnection, values: dict[str, str]
    ) -> tuple[Message, bytes]:
        """Run the request in ``connection``'s transaction; write its response into the key's row."""
        digest = hashlib.sha256()
        finished = False

        async def hashing_receive() -> Message:
            nonlocal finished
            message = await receive()
            if message["type"] == "http.request":
                digest.update(message.get("body", b""))
                finished = not message.get("more_body", False)
            return message

        start: Message | None = None
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app({**scope, JOINED_CONNECTION: connection}, hashing_receive, capture)
        if not finished:  # a route that answered without reading all of the body: hash the rest
            await _hash_rest(receive, digest)
        if start is None:
            raise RuntimeError("the app sent no response")
        body = b"".join(chunks)
        headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers", [])]
        kept = [(k, v) for k, v in headers if k.lower() not in _NOT_REPLAYED]
        fingerprint = request_hash(scope["method"], scope["path"], scope.get("query_string", b""), digest.hexdigest())
        parameters = {**values, "request_hash": fingerprint, "headers": json.dumps(kept), "body": body}
        await connection.execute(self._keep, {**parameters, "status": int(start["status"])})
        return start, body

    async def _answer_retry(self, scope: Scope, receive: Receive, send: Send, stored: Any) -> None:
        digest = hashlib.sha256()
        await _hash_rest(receive, digest)
        fingerprint = request_hash(scope["method"], scope["path"], scope.get("query_string", b""), digest.hexdigest())
        if stored.request_hash != fingerprint:
            reused = "was used for another request; use a new key for a new request"
            problem = InvalidInput(f"{HEADER}: {reused}", errors=[FieldError(f"header.{HEADER}", reused, "reused")])
            await problem_response(problem.status, problem.body(scope["path"]))(scope, receive, send)
            return
        headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in stored.headers]
        headers += [
            (b"content-length", str(len(stored.body)).encode()),
            (REPLAYED_HEADER.lower().encode("latin-1"), b"true"),
        ]
        await send({"type": "http.response.start", "status": stored.status, "headers": headers})
        await send({"type": "http.response.body", "body": bytes(stored.body)})
