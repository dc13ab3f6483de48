"""Calling another Patron service: pooled, signed, timed, retried only when safe, problems as typed errors.

One ``ServiceClient`` per target service, kept for the caller's lifetime (its pool of keep-alive
connections is the point of it). Each request carries a signed principal: the calling service's own
by default, or the principal of the request being served (``on_behalf_of``) so the target acts for
the same user; the current request id travels along in ``X-Request-ID``.

A call is retried only when repeating it cannot do anything twice: a GET, HEAD, OPTIONS, PUT or
DELETE, or any call carrying an ``Idempotency-Key``; and only when no answer came (the connection
failed or timed out) or the answer was 502, 503 or 504. Every error reply becomes a ``ServiceError``
(a subclass for the statuses a caller handles), carrying the target's problem details.
"""

import asyncio
import logging
import random
import time
import weakref
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from http.cookiejar import CookieJar, DefaultCookiePolicy
from types import TracebackType
from typing import Any, Self

import httpx2
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram

from services.kit.errors import PROBLEM_JSON, BadGateway, GatewayTimeout, problem_type
from services.kit.principal import Principal, PrincipalKind, principal_headers
from services.kit.request_id import REQUEST_ID_HEADER, outgoing_headers
from services.kit.settings import ServiceSettings

IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
RETRY_STATUSES = frozenset({502, 503, 504})
CONNECT_TIMEOUT_SECONDS = 2.0
READ_TIMEOUT_SECONDS = 10.0
MAX_CONNECTIONS = 20
RETRIES = 2
# Idle connections are dropped well before the target closes them (``patron serve`` keeps them
# patron.cli.KEEP_ALIVE_SECONDS): a request never goes out on a connection the target is closing.
IDLE_SECONDS = 20.0
# What an error reply's detail keeps of a body that is not a problem.
_DETAIL_CHARS = 500

QueryParams = Mapping[str, str | int | float | bool | Sequence[str | int] | None]

log = logging.getLogger("patron.client")


class ServiceError(Exception):
    """A call to another service that did not succeed: its reply's problem, or why no reply came.

    ``status`` is the target's reply status, ``None`` when no reply came. ``type``, ``title``,
    ``detail`` and ``errors`` are the target's problem details (RFC 9457) when it sent them.
    """

    def __init__(
        self,
        *,
        target: str,
        method: str,
        path: str,
        status: int | None,
        type: str,
        title: str,
        detail: str,
        errors: list[dict[str, Any]] | None = None,
        request_id: str | None = None,
    ) -> None:
        shown = status if status is not None else "no reply"
        super().__init__(f"{target}: {method} {path}: {shown} {title}: {detail}")
        self.target = target
        self.method = method
        self.path = path
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors or []
        self.request_id = request_id

    @property
    def fields(self) -> list[str]:
        """The fields the target named as at fault (``body.email``), in its order."""
        return [str(error["field"]) for error in self.errors if "field" in error]


class ServiceInvalidInput(ServiceError):
    """400 or 422: the target refused what was sent; ``errors`` name the fields."""


class ServiceUnauthorized(ServiceError):
    """401 or 403: the target refused the principal, or the principal may not do this."""


class ServiceNotFound(ServiceError):
    """404: the target has no such thing."""


class ServiceConflict(ServiceError):
    """409: the call conflicts with the target's state."""


class ServiceUnavailable(ServiceError):
    """A 5xx reply, or no reply at all (refused, unreachable, too slow), after any retries."""


_ERROR_CLASSES: dict[int, type[ServiceError]] = {
    400: ServiceInvalidInput,
    422: ServiceInvalidInput,
    401: ServiceUnauthorized,
    403: ServiceUnauthorized,
    404: ServiceNotFound,
    409: ServiceConflict,
}


def error_class(status: int) -> type[ServiceError]:
    if status >= 500:
        return ServiceUnavailable
    return _ERROR_CLASSES.get(status, ServiceError)


class ClientMetrics:
    """The metrics of every client in one registry (made once per registry, so never registered twice)."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self.requests = Counter(
            "patron_service_client_requests_total",
            "Requests to other services (each attempt) by target, method and status, or error or timeout.",
            ["target", "method", "status"],
            registry=registry,
        )
        self.latency = Histogram(
            "patron_service_client_request_duration_seconds",
            "Time each attempt of a request to another service took, by target.",
            ["target"],
            registry=registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self.retries = Counter(
            "patron_service_client_retries_total",
            "Attempts repeated after a failed connection, a timeout or a 502, 503 or 504, by target.",
            ["target"],
            registry=registry,
        )


_metrics: "weakref.WeakKeyDictionary[CollectorRegistry, ClientMetrics]" = weakref.WeakKeyDictionary()


def client_metrics(registry: CollectorRegistry = REGISTRY) -> ClientMetrics:
    """The client metrics registered in ``registry``, registering them the first time."""
    metrics = _metrics.get(registry)
    if metrics is None:
        metrics = _metrics[registry] = ClientMetrics(registry)
    return metrics


def is_idempotent(method: str, headers: Mapping[str, str]) -> bool:
    """Whether repeating the call cannot do anything twice (RFC 9110 §9.2.2, or an idempotency key)."""
    if method.upper() in IDEMPOTENT_METHODS:
        return True
    return any(name.lower() == IDEMPOTENCY_KEY_HEADER.lower() for name in headers)


def _no_cookies() -> CookieJar:
    # One caller's cookies must never reach another's request through the shared client.
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))


class ServiceClient:
    """A pooled client of one target service, signing each request for a principal.

    ``caller`` names the calling service: it is the subject of the service principal the client
    signs when a call does not pass on someone else's. Up to ``retries`` repeats of an idempotent
    call wait ``backoff_seconds``, then twice that, and so on (at most ``max_backoff_seconds``,
    jittered), or as long as the reply's ``Retry-After`` asks, up to that same bound.
    """

    def __init__(
        self,
        target: str,
        base_url: str,
        *,
        caller: str,
        secret: str,
        token_ttl_seconds: int = 60,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        retries: int = RETRIES,
        backoff_seconds: float = 0.05,
        max_backoff_seconds: float = 1.0,
        registry: CollectorRegistry = REGISTRY,
    ) -> None:
        if retries < 0:
            raise ValueError("retries cannot be negative")
        self.target = target
        self.base_url = base_url.rstrip("/")
        self.principal = Principal(kind=PrincipalKind.SERVICE, subject=caller)
        self.retries = retries
        self.backoff_seconds = backoff_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.metrics = client_metrics(registry)
        self._secret = secret
        self._token_ttl_seconds = token_ttl_seconds
        self._client = httpx2.AsyncClient(
            base_url=self.base_url,
            # ``pool`` is the wait for a free pooled connection: part of connecting, as the gateway counts it.
            timeout=httpx2.Timeout(read_timeout, connect=connect_timeout, pool=connect_timeout),
            limits=httpx2.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
                keepalive_expiry=IDLE_SECONDS,
            ),
            cookies=_no_cookies(),
            headers={"User-Agent": f"patron-{caller}"},
            follow_redirects=False,
            trust_env=False,  # a proxy configured for the outside world must not carry internal calls
        )

    @classmethod
    def from_settings(
        cls,
        target: str,
        base_url: str,
        settings: ServiceSettings,
        *,
        connect_timeout: float = CONNECT_TIMEOUT_SECONDS,
        read_timeout: float = READ_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        retries: int = RETRIES,
        registry: CollectorRegistry = REGISTRY,
    ) -> Self:
        """A client for the service ``settings`` configure: its name, its secret and its tokens' lifetime."""
        return cls(
            target,
            base_url,
            caller=settings.schema_name,
            secret=settings.internal_secret.get_secret_value(),
            token_ttl_seconds=settings.internal_token_ttl_seconds,
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            max_connections=max_connections,
            retries=retries,
            registry=registry,
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    async def get(
        self,
        path: str,
        *,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        return await self.request("GET", path, params=params, headers=headers, on_behalf_of=on_behalf_of)

    async def post(
        self,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        return await self.request(
            "POST",
            path,
            json=json,
            content=content,
            params=params,
            headers=headers,
            idempotency_key=idempotency_key,
            on_behalf_of=on_behalf_of,
        )

    async def put(
        self,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        return await self.request("PUT", path, json=json, content=content, headers=headers, on_behalf_of=on_behalf_of)

    async def patch(
        self,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        return await self.request(
            "PATCH",
            path,
            json=json,
            content=content,
            headers=headers,
            idempotency_key=idempotency_key,
            on_behalf_of=on_behalf_of,
        )

    async def delete(
        self,
        path: str,
        *,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        return await self.request("DELETE", path, params=params, headers=headers, on_behalf_of=on_behalf_of)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        content: bytes | None = None,
        params: QueryParams | None = None,
        headers: Mapping[str, str] | None = None,
        idempotency_key: str | None = None,
        on_behalf_of: Principal | None = None,
    ) -> httpx2.Response:
        """Send one call, repeating it only if that is safe; return a reply below 400 or raise ``ServiceError``.

        ``on_behalf_of`` passes on a principal (usually the one of the request being served,
        ``CurrentPrincipal``) instead of the calling service's own.
        """
        if httpx2.URL(path).is_absolute_url:
            # The signed principal goes to the target only, never to a URL a caller put together.
            raise ValueError(f"a path on {self.target} is relative, not {path!r}")
        method = method.upper()
        extra = dict(headers or {})
        if idempotency_key is not None:
            extra[IDEMPOTENCY_KEY_HEADER] = idempotency_key
        attempts = 1 + (self.retries if is_idempotent(method, extra) else 0)
        principal = on_behalf_of or self.principal
        for attempt in range(1, attempts + 1):
            last = attempt == attempts
            # Signed per attempt: a token is reused while over half its lifetime remains, so this is cheap.
            sent = (
                principal_headers(principal, secret=self._secret, ttl_seconds=self._token_ttl_seconds)
                | outgoing_headers()
                | extra
            )
            request = self._client.build_request(method, path, params=params, json=json, content=content, headers=sent)
            started = time.perf_counter()
            try:
                response = await self._client.send(request)
            except httpx2.TransportError as exc:
                self._observe(method, "timeout" if isinstance(exc, httpx2.TimeoutException) else "error", started)
                if last or not _retryable_failure(exc):
                    raise self._unreachable(method, path, exc) from exc
                await self._wait_before_retry(method, path, attempt, repr(exc), None)
                continue
            self._observe(method, str(response.status_code), started)
            if response.status_code in RETRY_STATUSES and not last:
                await self._wait_before_retry(
                    method, path, attempt, str(response.status_code), response.headers.get("Retry-After")
                )
                continue
            if response.status_code >= 400:
                raise self._error_of(method, path, response)
            return response
        raise AssertionError("unreachable: the last attempt returns or raises")

    def _observe(self, method: str, outcome: str, started: float) -> None:
        self.metrics.requests.labels(self.target, method, outcome).inc()
        self.metrics.latency.labels(self.target).observe(time.perf_counter() - started)

    async def _wait_before_retry(
        self, method: str, path: str, attempt: int, reason: str, retry_after: str | None
    ) -> None:
        delay = min(self.backoff_seconds * 2 ** (attempt - 1), self.max_backoff_seconds)
        delay = delay / 2 + random.uniform(0, delay / 2)  # noqa: S311 - jitter, not a secret
        if retry_after is not None and retry_after.isdigit():
            delay = max(delay, min(float(retry_after), self.max_backoff_seconds))
        self.metrics.retries.labels(self.target).inc()
        log.warning(
            "retrying a call to another service",
            extra={"target": self.target, "method": method, "path": path, "attempt": attempt, "reason": reason},
        )
        await asyncio.sleep(delay)

    def _unreachable(self, method: str, path: str, exc: httpx2.TransportError) -> ServiceUnavailable:
        problem = GatewayTimeout if isinstance(exc, httpx2.TimeoutException) else BadGateway
        # The address and the error's text go to the log only: a detail may reach a client's reply.
        log.warning("no reply from %s at %s: %s %s", self.target, self.base_url, type(exc).__name__, exc)
        return ServiceUnavailable(
            target=self.target,
            method=method,
            path=path,
            status=None,
            type=problem_type(problem.slug),
            title=problem.title,
            detail=f"no reply from the {self.target} service ({type(exc).__name__})",
        )

    def _error_of(self, method: str, path: str, response: httpx2.Response) -> ServiceError:
        """The typed error of an error reply, with its problem details when it sent them."""
        status = response.status_code
        body: dict[str, Any] = {}
        if response.headers.get("Content-Type", "").startswith(PROBLEM_JSON):
            try:
                parsed = response.json()
            except ValueError:
                parsed = None
            if isinstance(parsed, dict):
                body = parsed
        errors = body.get("errors")
        request_id = body.get("request_id") or response.headers.get(REQUEST_ID_HEADER)
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "HTTP error"
        return error_class(status)(
            target=self.target,
            method=method,
            path=path,
            status=status,
            type=str(body.get("type", "about:blank")),
            title=str(body.get("title", reason)),
            detail=str(body.get("detail", response.text[:_DETAIL_CHARS])),
            errors=[error for error in errors if isinstance(error, dict)] if isinstance(errors, list) else [],
            request_id=str(request_id) if request_id else None,
        )


def _retryable_failure(exc: httpx2.TransportError) -> bool:
    """No reply came for a reason another attempt may not meet (not a malformed URL or a proxy's refusal)."""
    return isinstance(exc, httpx2.TimeoutException | httpx2.NetworkError | httpx2.RemoteProtocolError)
