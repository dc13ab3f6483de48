"""Forwarding a public request to the service that owns its path.

One pool of keep-alive connections to all services; the caller's principal is signed for each
request and the request id travels along. A service that cannot be reached is a 502, one that is
too slow a 504, both as problem+json, and both within the configured timeout.

Bodies of a known, small length (almost every API call) are passed on whole. Larger ones and those
of unknown length (uploads) are spooled first: held in memory up to ``upload_memory_bytes``, then in
a temporary file, and only sent on once the client has sent them whole. A client trickling its upload
so holds no connection to the services, only its share of ``upload_max_bytes_in_flight`` (past it, a
503). A reply streams back as the service sends it (exports).

The pool has ``upstream_max_connections`` connections; a request that finds none free within
``upstream_pool_wait_seconds`` is a 503 with ``Retry-After`` saying the gateway is busy, not a 504
blaming a service.

The pool is aiohttp's: forwarding a request costs it about a sixth of the client CPU httpx spends,
and the gateway spends most of its time forwarding.
"""

import asyncio
import logging
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import IO

import aiohttp
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from yarl import URL

from services.kit.errors import BadGateway, GatewayTimeout, ServiceBusy
from services.kit.principal import PRINCIPAL_HEADER, Principal, sign_principal
from services.kit.request_id import REQUEST_ID_HEADER, current_request_id

log = logging.getLogger("patron.gateway")

# Hop-by-hop headers (RFC 9110 §7.6.1), headers the gateway sets itself, and the caller's own
# credentials: a client can never pass its own internal principal through, and a service never sees
# a caller's token or key (the signed principal says who the caller is).
_REQUEST_DROP = {
    "authorization",
    "x-api-key",
    "cookie",
    "connection",
    "expect",  # the gateway's server has already answered any 100-continue
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "host",
    PRINCIPAL_HEADER.lower(),
    REQUEST_ID_HEADER.lower(),
}
_RESPONSE_DROP = {
    "connection",
    "keep-alive",
    "transfer-encoding",
    "trailer",
    "upgrade",
    "x-request-id",
    "server",
    "date",
}
# Headers aiohttp would add of its own accord: the service sees what the client sent, no more.
_NO_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")

UPSTREAM_IDLE_SECONDS = 20.0
SPOOL_CHUNK_BYTES = 64 * 1024
BUSY_RETRY_SECONDS = 1
UPLOADS_RETRY_SECONDS = 5
# Bodies up to this size are read whole; a stream costs a task and a round of awaits per chunk.
WHOLE_BODY_BYTES = 256 * 1024


def upstream_session(*, timeout: float, connect_timeout: float, max_connections: int) -> aiohttp.ClientSession:
    """The gateway's pooled client to the services.

    Idle connections are dropped well before the services close them (``patron serve`` keeps them
    patron.cli.KEEP_ALIVE_SECONDS): a request never goes out on a connection the service is closing.
    """
    return aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=max_connections, keepalive_timeout=UPSTREAM_IDLE_SECONDS),
        # ``connect`` covers waiting for a free pooled connection too; ``sock_read`` is the time the
        # service has to answer, and then between two chunks of its answer.
        timeout=aiohttp.ClientTimeout(total=None, connect=connect_timeout, sock_read=timeout),
        cookie_jar=aiohttp.DummyCookieJar(),  # one caller's cookies never reach another's request
        auto_decompress=False,  # any Content-Encoding passes through untouched, as its header does
        skip_auto_headers=_NO_AUTO_HEADERS,
    )


class Slots:
    """The pool's connections as slots a request takes before it goes out (its wait bounded)."""

    def __init__(self, size: int, wait_seconds: float) -> None:
        self.size = size
        self.wait_seconds = wait_seconds
        self._free = asyncio.Semaphore(size)

    @property
    def taken(self) -> int:
        return self.size - self._free._value

    async def take(self) -> "Slot":
        try:
            await asyncio.wait_for(self._free.acquire(), self.wait_seconds)
        except TimeoutError:
            raise ServiceBusy(
                "every connection of the gateway to the services is in use; retry shortly",
                retry_after=BUSY_RETRY_SECONDS,
            ) from None
        return Slot(self._free)


class Slot:
    """One taken slot; giving it back twice gives it back once."""

    def __init__(self, free: asyncio.Semaphore) -> None:
        self._free: asyncio.Semaphore | None = free

    def give_back(self) -> None:
        if self._free is not None:
            self._free.release()
            self._free = None


@dataclass
class UploadBudget:
    """Bytes of uploads this process holds at once while their clients send them."""

    max_bytes: int
    memory_bytes: int
    held: int = 0

    def take(self, size: int) -> None:
        if self.held + size > self.max_bytes:
            raise ServiceBusy(
                "the gateway holds as many uploads as it can right now; retry shortly",
                retry_after=UPLOADS_RETRY_SECONDS,
            )
        self.held += size

    def give_back(self, size: int) -> None:
        self.held = max(0, self.held - size)


async def _spool(request: Request, budget: UploadBudget) -> tuple[IO[bytes], int]:
    """The whole body of ``request``, in memory or a temporary file, counted against ``budget``."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and budget.held + int(declared) > budget.max_bytes:
        budget.take(int(declared))  # refused before a byte is read
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=budget.memory_bytes)  # noqa: SIM115 - closed by the caller
    size = 0
    try:
        async for chunk in request.stream():
            budget.take(len(chunk))
            size += len(chunk)
            spool.write(chunk)
    except BaseException:
        spool.close()
        budget.give_back(size)
        raise
    spool.seek(0)
    return spool, size


async def _spooled(spool: IO[bytes]) -> AsyncIterator[bytes]:
    while chunk := spool.read(SPOOL_CHUNK_BYTES):
        yield chunk


async def _streamed(upstream: aiohttp.ClientResponse, slot: Slot) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.content.iter_any():
            yield chunk
    finally:
        slot.give_back()


def _small(length: str | None) -> bool:
    return length is not None and length.isdigit() and int(length) <= WHOLE_BODY_BYTES


async def _send(
    session: aiohttp.ClientSession, method: str, url: URL, headers: list[tuple[str, str]], body: object
) -> aiohttp.ClientResponse:
    try:
        return await session.request(method, url, headers=headers, data=body, allow_redirects=False)
    except aiohttp.ClientConnectorError:
        # The connection was refused or failed: nothing reached the service, so trying once more is
        # always safe (a body stream has not been read yet).
        return await session.request(method, url, headers=headers, data=body, allow_redirects=False)


async def _release(upstream: aiohttp.ClientResponse, slot: Slot) -> None:
    upstream.release()  # synchronous: a BackgroundTask would run a plain callable on a thread
    slot.give_back()


async def forward(
    request: Request,
    *,
    session: aiohttp.ClientSession,
    slots: Slots,
    uploads: UploadBudget,
    service: str,
    base_url: str,
    principal: Principal,
    secret: str,
    ttl_seconds: int,
) -> Response:
    headers = [
        (name, value)
        for name, value in request.headers.items()  # decoded as latin-1, as sent
        if name.lower() not in _REQUEST_DROP
    ]
    headers.append((PRINCIPAL_HEADER, sign_principal(principal, secret=secret, ttl_seconds=ttl_seconds)))
    headers.append((REQUEST_ID_HEADER, current_request_id() or ""))
    if request.client:
        headers.append(("x-forwarded-for", request.client.host))
    # The raw path, still percent-encoded as the client sent it: decoding and re-encoding could
    # change what the service sees (or fail on control characters).
    raw_path = (request.scope.get("raw_path") or request.url.path.encode()).decode("latin-1")
    query = request.scope.get("query_string", b"").decode("latin-1")
    url = URL(base_url + raw_path + ("?" + query if query else ""), encoded=True)
    body: bytes | AsyncIterator[bytes] | None = None
    length = request.headers.get("content-length")
    chunked = "transfer-encoding" in request.headers
    spool: IO[bytes] | None = None
    spooled = 0
    if _small(length) and not chunked:
        body = await request.body()
    elif length is not None or chunked:
        spool, spooled = await _spool(request, uploads)
        body = _spooled(spool)
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        headers.append(("content-length", str(spooled)))
    try:
        slot = await slots.take()
        try:
            upstream = await _send(session, request.method, url, headers, body)
            whole = _small(upstream.headers.get("content-length"))
            if whole:
                content = await upstream.read()  # returns the connection to the pool once read
                slot.give_back()
        except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors
            slot.give_back()
            log.warning("upstream timeout", extra={"service": service, "error": repr(exc)})
            raise GatewayTimeout(f"the {service} service did not answer in time") from exc
        except aiohttp.ClientError as exc:
            slot.give_back()
            log.warning("upstream unreachable", extra={"service": service, "error": repr(exc)})
            raise BadGateway(f"the {service} service cannot be reached") from exc
        except BaseException:
            slot.give_back()
            raise
    finally:
        if spool is not None:  # sent whole by now (or never to be sent)
            spool.close()
            uploads.give_back(spooled)
    response: Response
    if whole:
        response = Response(content, status_code=upstream.status)
    else:
        response = StreamingResponse(
            _streamed(upstream, slot), status_code=upstream.status, background=BackgroundTask(_release, upstream, slot)
        )
    # Raw pairs, not a dict: a header the service repeats (Set-Cookie, Link) reaches the client each time.
    response.raw_headers = [
        (name.lower(), value)
        for name, value in upstream.raw_headers
        if name.decode("latin-1").lower() not in _RESPONSE_DROP
    ]
    return response
