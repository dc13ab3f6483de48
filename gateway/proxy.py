"""Forwarding a public request to the service that owns its path.

One pool of keep-alive connections to all services; the caller's principal is signed for each
request and the request id travels along. A service that cannot be reached is a 502, one that is
too slow a 504, both as problem+json, and both within the configured timeout.

Bodies of a known, small length (almost every API call) are passed on whole; larger ones and
those of unknown length (uploads, exports) stream through without being held in memory.

The pool is aiohttp's: forwarding a request costs it about a sixth of the client CPU httpx spends,
and the gateway spends most of its time forwarding.
"""

import logging
from collections.abc import AsyncIterator

import aiohttp
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from yarl import URL

from services.kit.errors import BadGateway, GatewayTimeout
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


async def _release(upstream: aiohttp.ClientResponse) -> None:
    upstream.release()  # synchronous: a BackgroundTask would run a plain callable on a thread


async def forward(
    request: Request,
    *,
    session: aiohttp.ClientSession,
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
    if _small(length) and not chunked:
        body = await request.body()
    elif length is not None or chunked:
        body = request.stream()
    try:
        upstream = await _send(session, request.method, url, headers, body)
        whole = _small(upstream.headers.get("content-length"))
        if whole:
            content = await upstream.read()  # returns the connection to the pool once read
    except TimeoutError as exc:  # aiohttp's connect and read timeouts are TimeoutErrors
        log.warning("upstream timeout", extra={"service": service, "error": repr(exc)})
        raise GatewayTimeout(f"the {service} service did not answer in time") from exc
    except aiohttp.ClientError as exc:
        log.warning("upstream unreachable", extra={"service": service, "error": repr(exc)})
        raise BadGateway(f"the {service} service cannot be reached") from exc
    response: Response
    if whole:
        response = Response(content, status_code=upstream.status)
    else:
        response = StreamingResponse(
            upstream.content.iter_any(), status_code=upstream.status, background=BackgroundTask(_release, upstream)
        )
    # Raw pairs, not a dict: a header the service repeats (Set-Cookie, Link) reaches the client each time.
    response.raw_headers = [
        (name.lower(), value)
        for name, value in upstream.raw_headers
        if name.decode("latin-1").lower() not in _RESPONSE_DROP
    ]
    return response
