"""Forwarding a public request to the service that owns its path.

One pooled client for all services; the caller's principal is signed for each request and the
request id travels along. A service that cannot be reached is a 502, one that is too slow a 504,
both as problem+json, and both within the configured timeout.

Bodies of a known, small length (almost every API call) are passed on whole; larger ones and
those of unknown length (uploads, exports) stream through without being held in memory.
"""

import itertools
import logging
from collections.abc import AsyncIterator

import httpx2
from fastapi import Request
from starlette.background import BackgroundTask
from starlette.responses import Response, StreamingResponse

from services.kit.errors import BadGateway, GatewayTimeout
from services.kit.principal import PRINCIPAL_HEADER, Principal, sign_principal
from services.kit.request_id import REQUEST_ID_HEADER, current_request_id

log = logging.getLogger("patron.gateway")

# Hop-by-hop headers (RFC 9110 §7.6.1) and headers the gateway sets itself; a client can never
# pass its own internal principal through.
_REQUEST_DROP = {
    "connection",
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


UPSTREAM_IDLE_SECONDS = 20.0
# Bodies up to this size are read whole; a stream costs a task and a round of awaits per chunk.
WHOLE_BODY_BYTES = 256 * 1024


def upstream_client(*, timeout: float, connect_timeout: float, max_connections: int) -> httpx2.AsyncClient:
    # Idle connections are dropped well before the services close them (``patron serve`` keeps them
    # patron.cli.KEEP_ALIVE_SECONDS): a request never goes out on a connection the service is closing.
    limits = httpx2.Limits(
        max_connections=max_connections,
        max_keepalive_connections=max_connections,
        keepalive_expiry=UPSTREAM_IDLE_SECONDS,
    )
    return httpx2.AsyncClient(
        timeout=httpx2.Timeout(timeout, connect=connect_timeout, pool=connect_timeout),
        limits=limits,
        # A refused or timed-out connect never reached the service: trying once more is always safe.
        transport=httpx2.AsyncHTTPTransport(retries=1, limits=limits),
        follow_redirects=False,
    )


class UpstreamClients:
    """Pooled clients to the services, taken in turn: several small pools rather than one big one.

    httpcore's pool looks at every pooled connection whenever a request starts or ends, probing the
    socket of each idle one, so one pool's bookkeeping per request grows with the number of requests
    in flight. Under load it was an eighth of the gateway's CPU; four pools cut it to a quarter.
    """

    POOLS = 4

    def __init__(self, *, timeout: float, connect_timeout: float, max_connections: int) -> None:
        per_pool = max(1, -(-max_connections // self.POOLS))
        self.pools = [
            upstream_client(timeout=timeout, connect_timeout=connect_timeout, max_connections=per_pool)
            for _ in range(self.POOLS)
        ]
        self._turn = itertools.cycle(self.pools)

    def next(self) -> httpx2.AsyncClient:
        return next(self._turn)

    async def aclose(self) -> None:
        for pool in self.pools:
            await pool.aclose()


def _has_body(request: Request) -> bool:
    return "content-length" in request.headers or "transfer-encoding" in request.headers


def _small(length: str | None) -> bool:
    return length is not None and length.isdigit() and int(length) <= WHOLE_BODY_BYTES


async def forward(
    request: Request,
    *,
    client: httpx2.AsyncClient,
    service: str,
    base_url: str,
    principal: Principal,
    secret: str,
    ttl_seconds: int,
) -> Response:
    headers = [(k, v) for k, v in request.headers.raw if k.decode("latin-1").lower() not in _REQUEST_DROP]
    headers.append(
        (PRINCIPAL_HEADER.encode(), sign_principal(principal, secret=secret, ttl_seconds=ttl_seconds).encode())
    )
    headers.append((REQUEST_ID_HEADER.encode(), (current_request_id() or "").encode()))
    if request.client:
        headers.append((b"x-forwarded-for", request.client.host.encode()))
    # The raw path, still percent-encoded as the client sent it: decoding and re-encoding could
    # change what the service sees (or fail on control characters).
    raw_path = request.scope.get("raw_path") or request.url.path.encode()
    query = request.scope.get("query_string", b"")
    target = httpx2.URL(base_url).copy_with(raw_path=raw_path + (b"?" + query if query else b""))
    content: bytes | AsyncIterator[bytes] | None = None
    if _small(request.headers.get("content-length")) and "transfer-encoding" not in request.headers:
        content = await request.body()
    elif _has_body(request):
        content = request.stream()
    upstream_request = client.build_request(request.method, target, headers=headers, content=content)
    try:
        upstream = await client.send(upstream_request, stream=True)
        whole = _small(upstream.headers.get("content-length"))
        if whole:  # raw: any Content-Encoding passes through untouched, as its header does
            body = b"".join([chunk async for chunk in upstream.aiter_raw()])
    except httpx2.TimeoutException as exc:
        log.warning("upstream timeout", extra={"service": service, "error": repr(exc)})
        raise GatewayTimeout(f"the {service} service did not answer in time") from exc
    except httpx2.TransportError as exc:
        log.warning("upstream unreachable", extra={"service": service, "error": repr(exc)})
        raise BadGateway(f"the {service} service cannot be reached") from exc
    response: Response
    if whole:
        response = Response(body, status_code=upstream.status_code)
    else:
        response = StreamingResponse(
            upstream.aiter_raw(), status_code=upstream.status_code, background=BackgroundTask(upstream.aclose)
        )
    # Raw pairs, not a dict: a header the service repeats (Set-Cookie, Link) reaches the client each time.
    response.raw_headers = [
        (name.lower(), value)
        for name, value in upstream.headers.raw
        if name.decode("latin-1").lower() not in _RESPONSE_DROP
    ]
    return response
