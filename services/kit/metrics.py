"""Prometheus metrics every process serves at ``/metrics``: requests by route and status, latency.

Background job runs are counted by job and outcome. Service-specific gauges (outbox backlog,
publish lag, consumer pending) are refreshed by a hook just before each scrape, so they are read
from their source rather than kept up to date by hand.
"""

import ipaddress
import time
from collections.abc import Awaitable, Callable, Sequence

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from services.kit.errors import NotFound
from services.kit.logs import access_log

RefreshHook = Callable[[Request], Awaitable[None]]
# The gateway's labels for a forwarded path, (route template, upstream service), or None when the
# path is one of its own and its matched route names it.
ForwardedLabels = Callable[[str], tuple[str, str] | None]


class HttpMetrics:
    """The request metrics of one app, in a registry of its own (tests build many apps per process)."""

    def __init__(self, service: str, prefix: str = "/api/v1", forwarded: ForwardedLabels | None = None) -> None:
        """``forwarded`` (the gateway's) adds an ``upstream`` label: the service a request went to, or ""."""
        self.prefix = prefix
        self.forwarded = forwarded
        upstream = ["upstream"] if forwarded is not None else []
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "patron_http_requests_total",
            "HTTP requests by route template and status.",
            ["service", "method", "route", *upstream, "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "patron_http_request_duration_seconds",
            "HTTP request latency by route template.",
            ["service", "method", "route", *upstream],
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
        )
        self.outbox_backlog = Gauge(
            "patron_outbox_backlog", "Events committed but not yet acknowledged by the broker.", registry=self.registry
        )
        self.outbox_lag = Gauge(
            "patron_outbox_oldest_unsent_seconds",
            "Age of the oldest unsent event (0 when drained).",
            registry=self.registry,
        )
        self.publish_lag = Gauge(
            "patron_outbox_publish_lag_seconds",
            "Seconds from occurring to broker acknowledgement, for the newest sent event.",
            registry=self.registry,
        )
        self.consumer_pending = Gauge(
            "patron_consumer_pending",
            "Events delivered or waiting but not yet acknowledged, by consumer.",
            ["consumer"],
            registry=self.registry,
        )
        self.job_runs = Counter(
            "patron_job_runs_total",
            "Background job runs by job and outcome (done, failed, lost, released).",
            ["job", "outcome"],
            registry=self.registry,
        )
        self.service = service
        self.refresh_hooks: list[RefreshHook] = []


def route_template(scope: Scope, prefix: str) -> str:
    """The matched route's template (``/api/v1/customers/{customer_id}``), never the raw path.

    A route of an included router knows its path without the include prefix, so it is put back.
    """
    route = scope.get("route")
    path: str | None = getattr(route, "path_format", None)
    if not path:
        return "unmatched"
    if scope["path"].startswith(prefix) and not path.startswith(prefix):
        return prefix + path
    return path


class ObservabilityMiddleware:
    """Times each request once, for both its access log line and its metrics."""

    def __init__(self, app: ASGIApp, metrics: HttpMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def capture(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            elapsed = time.perf_counter() - started
            labels = [self.metrics.service, scope["method"]]
            forwarded = self.metrics.forwarded
            if forwarded is None:
                labels.append(route_template(scope, self.metrics.prefix))
            else:
                labels.extend(forwarded(scope["path"]) or (route_template(scope, self.metrics.prefix), ""))
            self.metrics.requests.labels(*labels, str(status)).inc()
            self.metrics.latency.labels(*labels).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )


MetricsNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
LOOPBACK = (ipaddress.ip_network("127.0.0.0/8"), ipaddress.ip_network("::1/128"))
# Headers a proxy adds: a request that carries one came through a proxy (a load balancer, an ingress).
_PROXIED = ("x-forwarded-for", "forwarded", "x-real-ip")


def metrics_networks(text: str, environment: str) -> tuple[MetricsNetwork, ...] | None:
    """Networks allowed to read ``/metrics``: the setting's, loopback in production, else None (anyone)."""
    networks = tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in text.split(",") if entry.strip())
    if networks:
        return networks
    return LOOPBACK if environment == "production" else None


def may_read_metrics(request: Request, networks: Sequence[MetricsNetwork] | None) -> bool:
    """Whether ``request`` may read the metrics: straight from an allowed network, never through a proxy."""
    if networks is None:
        return True
    if any(name in request.headers for name in _PROXIED) or request.client is None:
        return False
    try:
        peer = ipaddress.ip_address(request.client.host)
    except ValueError:
        return False
    return any(peer.version == network.version and peer in network for network in networks)


def metrics_router(metrics: HttpMetrics, networks: Sequence[MetricsNetwork] | None = None) -> APIRouter:
    """``/metrics``; with ``networks``, only to a client straight from one of them (anyone else: 404)."""
    router = APIRouter()

    @router.get("/metrics", include_in_schema=False)
    async def serve_metrics(request: Request) -> Response:
        if not may_read_metrics(request, networks):
            raise NotFound(f"no route for {request.url.path}")
        for refresh in metrics.refresh_hooks:
            await refresh(request)
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
