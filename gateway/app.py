"""The gateway's app factory (``uvicorn --factory gateway.app:create_app``).

Requests to the services' routes are forwarded by one plain route, tried first, which leaves the
gateway's own paths (``/api/v1/auth…``, ``/api/v1/staff…``) to the routes after it; the services
check their own permissions, and the gateway checks only its own operations' rows.
"""

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from pathlib import Path
from typing import Any

import aiohttp
from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.routing import iter_route_contexts
from prometheus_client import Counter
from starlette.convertors import Convertor, register_url_convertor
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import Response
from starlette.routing import compile_path
from starlette.staticfiles import StaticFiles

from gateway.abuse.api import throttle_of
from gateway.abuse.rules import client_address
from gateway.abuse.store import Purge
from gateway.auth.api import router as auth_router
from gateway.auth.guard import OWN_FAMILIES, OWN_PREFIXES, resolve_caller
from gateway.auth.revocation import RevocationCache, reread_forever
from gateway.auth.service import AuthPolicy
from gateway.client_keys.api import router as client_keys_router
from gateway.client_keys.cache import ClientKeyCache
from gateway.contract import fetch_documents, mark_security, merge_documents, own_document
from gateway.customers.api import accounts_router as customer_accounts_router
from gateway.customers.api import router as customers_auth_router
from gateway.customers.directory import CustomerDirectory
from gateway.edge import BodyTimeoutMiddleware, OptionsMiddleware, SecurityHeadersMiddleware, docs_policy
from gateway.identity import caller_subject, resolve_principal
from gateway.keys.api import router as keys_router
from gateway.keys.cache import KeyCache
from gateway.limits.middleware import RateLimitMiddleware
from gateway.limits.rules import parse_limits
from gateway.limits.store import Allowance
from gateway.payloads.middleware import PayloadMetrics, PayloadMiddleware
from gateway.payloads.replay import NoncePurge
from gateway.privacy import router as privacy_router
from gateway.proxy import Slots, UploadBudget, forward, upstream_session
from gateway.route_labels import RouteLabels
from gateway.routes import API_PREFIX, service_for
from gateway.settings import GatewaySettings
from gateway.staff.api import links_router
from gateway.staff.api import router as staff_router
from services.contracts.permissions import PERMISSIONS
from services.kit.db import create_engine
from services.kit.errors import NotFound, install_problem_handlers
from services.kit.logs import configure_logging
from services.kit.metrics import HttpMetrics, ObservabilityMiddleware, metrics_networks, metrics_router
from services.kit.permissions import PermissionMiddleware, missing_rows
from services.kit.principal import Principal, PrincipalKind, principal_headers
from services.kit.request_id import RequestIdMiddleware

log = logging.getLogger("patron.gateway")

GATEWAY_PRINCIPAL = Principal(kind=PrincipalKind.SERVICE, subject="service:gateway")

FORWARDED_PATH = API_PREFIX + "/{path:forwarded}"
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
READY_TIMEOUT = aiohttp.ClientTimeout(total=2.0)
# Revocations older than an access token's lifetime (and the clock leeway) can end no live token.
REVOCATION_LOOKBACK_MARGIN_SECONDS = 60.0
FIRST_REVOCATIONS_READ_SECONDS = 5.0
# Until every service's templates are read, the contract is retried this often, doubling up to its cache time.
FIRST_TEMPLATES_RETRY_SECONDS = 1.0
MIN_TEMPLATES_REFRESH_SECONDS = 5.0
# Swagger UI's files, from a pinned package (fastapi-offline), so /docs needs no CDN.
DOCS_ASSETS = "/docs/assets"
DOCS_ASSETS_DIRECTORY = Path(str(files("fastapi_offline") / "static"))


class ForwardedPath(Convertor[str]):
    """A path under the API prefix that is not in one of the gateway's own families."""

    regex = "(?!(?:" + "|".join(re.escape(family) for family in OWN_FAMILIES) + ")(?:/|$)).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("forwarded", ForwardedPath())


def create_app(settings: GatewaySettings | None = None) -> FastAPI:
    settings = settings or GatewaySettings()
    configure_logging("gateway", settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.upstream = upstream_session(
            timeout=settings.upstream_timeout_seconds,
            connect_timeout=settings.upstream_connect_timeout_seconds,
            max_connections=settings.upstream_max_connections,
        )
        app.state.upstream_slots = Slots(settings.upstream_max_connections, settings.upstream_pool_wait_seconds)
        app.state.engine = create_engine(
            settings.database_url, pool_size=settings.database_pool_size, application_name="patron-gateway"
        )
        # Read the shared store once before serving, so the first tokens and keys are not refused as
        # unchecked; a database still away is the background loop's to retry.
        copies = {
            "revocations": app.state.revocations,
            "api_keys": app.state.keys,
            "sign_in_throttle": Purge(window_seconds=settings.sign_in_window_seconds),
            "client_keys": app.state.client_keys,
            "payload_nonces": NoncePurge(window_seconds=settings.payload_window_seconds),
        }
        for copy in copies.values():
            with contextlib.suppress(Exception):
                await asyncio.wait_for(copy.refresh(app.state.engine), FIRST_REVOCATIONS_READ_SECONDS)
        app.state.customer_directory = CustomerDirectory.of(settings)
        rereading = asyncio.create_task(reread_forever(app.state.engine, copies, settings.revocation_refresh_seconds))
        learning = asyncio.create_task(_learn_templates_forever(app))
        limiting = asyncio.create_task(_sync_limits_forever(app))
        try:
            yield
        finally:
            for task in (rereading, learning, limiting):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            await app.state.upstream.close()
            await app.state.customer_directory.aclose()
            await app.state.engine.dispose()

    app = FastAPI(
        title="Patron API",
        version="1.0.0",
        description="Customer, loyalty and analytics backend for retailers. Errors are RFC 9457 problems.",
        lifespan=lifespan,
        openapi_url=None,  # the merged document below replaces FastAPI's own
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    # Forwarded requests are labelled by their service's route template, read from its OpenAPI document.
    app.state.route_labels = RouteLabels(OWN_FAMILIES)
    app.state.metrics = metrics = HttpMetrics("gateway", API_PREFIX, forwarded=app.state.route_labels)
    app.state.contract = (0.0, None)
    app.state.contract_lock = asyncio.Lock()
    app.state.auth_policy = AuthPolicy.of(settings)
    app.state.auth_events = Counter(
        "patron_gateway_auth_total",
        "Sign-ins, refreshes, sign-outs and bearer tokens refused, by event and outcome.",
        ["event", "outcome"],
        registry=metrics.registry,
    )
    app.state.revocations = RevocationCache(
        refresh_seconds=settings.revocation_refresh_seconds,
        lookback_seconds=settings.access_token_ttl_seconds + REVOCATION_LOOKBACK_MARGIN_SECONDS,
        stale_after_seconds=max(10.0, 5 * settings.revocation_refresh_seconds),
    )
    app.state.sign_in_throttle = throttle_of(settings)
    app.state.trusted_proxies = settings.trusted_networks()
    app.state.keys = KeyCache(stale_after_seconds=max(10.0, 5 * settings.revocation_refresh_seconds))
    app.state.client_keys = ClientKeyCache(
        kek=settings.payload_kek_bytes(), stale_after_seconds=max(10.0, 5 * settings.revocation_refresh_seconds)
    )
    app.state.uploads = UploadBudget(
        max_bytes=settings.upload_max_bytes_in_flight, memory_bytes=settings.upload_memory_bytes
    )
    app.state.allowance = Allowance()
    install_problem_handlers(app)

    async def route(request: Request) -> Response:
        service = service_for(request.url.path)
        if service is None:
            raise NotFound(f"no route for {request.url.path}")
        return await forward(
            request,
            session=request.app.state.upstream,
            slots=request.app.state.upstream_slots,
            uploads=request.app.state.uploads,
            service=service,
            base_url=settings.upstreams()[service],
            principal=resolve_principal(request, settings),
            secret=settings.internal_secret.get_secret_value(),
            ttl_seconds=settings.internal_token_ttl_seconds,
        )

    # A plain route, tried first: the proxy needs none of FastAPI's parameter and response handling
    # per request, and no other route's pattern is tried before it.
    app.add_route(FORWARDED_PATH, route, methods=_METHODS, include_in_schema=False)
    app.include_router(metrics_router(metrics, metrics_networks(settings.metrics_networks, settings.environment)))

    @app.get("/health/live", include_in_schema=False)
    async def live() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/health/ready", include_in_schema=False)
    async def ready(request: Request) -> JSONResponse:
        """Ready as soon as it can route; the services' own readiness is reported, not required."""
        upstream: aiohttp.ClientSession = request.app.state.upstream
        services = {}
        for name, base_url in settings.upstreams().items():
            try:
                async with upstream.get(f"{base_url}/health/ready", timeout=READY_TIMEOUT) as response:
                    services[name] = "ok" if response.status == 200 else f"status {response.status}"
            except (aiohttp.ClientError, TimeoutError):
                services[name] = "unreachable"  # never the address, nor the error's text
        return JSONResponse({"status": "ok", "services": services})

    if settings.public_docs:

        @app.get("/openapi.json", include_in_schema=False)
        async def openapi(request: Request) -> JSONResponse:
            return JSONResponse(await _contract(request.app))

        app.mount(DOCS_ASSETS, StaticFiles(directory=DOCS_ASSETS_DIRECTORY), name="docs-assets")

        @app.get("/docs", include_in_schema=False)
        async def docs() -> Response:
            return _docs_page()

    app.state.docs_policy = docs_policy(bytes(_docs_page().body).decode())

    app.include_router(auth_router)
    app.include_router(customers_auth_router)
    app.include_router(customer_accounts_router)
    app.include_router(links_router)
    app.include_router(staff_router)
    app.include_router(keys_router)
    app.include_router(client_keys_router)
    app.include_router(privacy_router)
    missing = missing_rows(app.routes, API_PREFIX, PERMISSIONS)
    if missing:
        raise ValueError(f"operations without a row in the permission table: {', '.join(missing)}")
    app.state.own_contract = own_document(
        title=app.title, version=app.version, description=app.description or "", routes=app.routes
    )

    # The gateway's own operations only: a forwarded request is checked by its service.
    app.add_middleware(
        PermissionMiddleware, prefix=OWN_PREFIXES, table=PERMISSIONS, routes=app.routes, resolve=resolve_caller
    )
    # Encrypted payloads are opened before anything else looks at a request, and every reply sealed back.
    app.add_middleware(
        PayloadMiddleware,
        keys=app.state.client_keys,
        engine=lambda: app.state.engine,
        window_seconds=settings.payload_window_seconds,
        metrics=PayloadMetrics(metrics.registry),
    )
    trusted = app.state.trusted_proxies

    def address(request: Request) -> str:
        peer = request.client.host if request.client else None
        return client_address(peer, request.headers.get("x-forwarded-for"), trusted)

    app.add_middleware(
        RateLimitMiddleware,
        allowance=app.state.allowance,
        caller_limits=parse_limits(settings.rate_limits),
        address_limits=parse_limits(settings.address_rate_limits),
        caller=lambda request: caller_subject(request, settings),
        address=address,
    )
    app.add_middleware(BodyTimeoutMiddleware, seconds=settings.body_timeout_seconds)
    app.add_middleware(OptionsMiddleware, methods=_served_methods(app))
    app.add_middleware(
        CORSMiddleware,
        allow_origins=_listed(settings.cors_allowed_origins),
        allow_methods=_listed(settings.cors_allowed_methods),
        allow_headers=_listed(settings.cors_allowed_headers),
        expose_headers=[
            "Retry-After",
            "RateLimit-Policy",
            "RateLimit-Limit",
            "RateLimit-Remaining",
            "RateLimit-Reset",
            "X-Request-Id",
            "Location",
            "ETag",
        ],
        max_age=600,
    )
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
    app.add_middleware(
        SecurityHeadersMiddleware, docs_path="/docs", docs_policy=lambda: app.state.docs_policy, trusted_proxies=trusted
    )
    return app


def _listed(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _docs_page() -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="Patron API",
        swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        # Authorize signs in with the OAuth 2 password flow; the token survives a reload.
        swagger_ui_parameters={"persistAuthorization": True},
    )


def _served_methods(app: FastAPI) -> Callable[[str], frozenset[str] | None]:
    """The methods a path serves: a forwarded path's from its service's contract, the gateway's own from its routes."""
    unknown = frozenset({*_METHODS, "HEAD"})
    table: list[tuple[re.Pattern[str], frozenset[str]]] = []

    def methods(path: str) -> frozenset[str] | None:
        if service_for(path) is not None:
            labels: RouteLabels = app.state.route_labels
            return labels.methods(path, unknown)
        if not table:
            for candidate in iter_route_contexts(app.routes):
                if candidate.path and candidate.methods and candidate.path != FORWARDED_PATH:
                    table.append((compile_path(candidate.path)[0], frozenset(candidate.methods)))
        served = frozenset(method for pattern, found in table if pattern.match(path) for method in found)
        return served or None

    return methods


async def _sync_limits_forever(app: FastAPI) -> None:
    """Add this process's rate-limit counts to the shared store, and read the totals back, forever."""
    settings: GatewaySettings = app.state.settings
    while True:
        await asyncio.sleep(settings.rate_limit_sync_seconds)
        try:
            await app.state.allowance.refresh(app.state.engine)
        except Exception as exc:  # the counts wait in this process for the next try
            log.warning("rate limits: the shared store cannot be updated (%s)", type(exc).__name__)


async def _contract(app: FastAPI) -> dict[str, Any]:
    settings: GatewaySettings = app.state.settings
    fetched_at, cached = app.state.contract
    if cached is not None and time.monotonic() - fetched_at < settings.contract_cache_seconds:
        return dict(cached)
    async with app.state.contract_lock:
        headers = principal_headers(
            GATEWAY_PRINCIPAL,
            secret=settings.internal_secret.get_secret_value(),
            ttl_seconds=settings.internal_token_ttl_seconds,
        )
        documents, missing = await fetch_documents(app.state.upstream, settings.upstreams(), headers)
        app.state.route_labels.learn(documents)
        merged = mark_security(merge_documents(app.state.own_contract, documents), PERMISSIONS)
        if missing:
            merged["info"]["x-unavailable-services"] = missing
        else:
            app.state.contract = (time.monotonic(), merged)
        return merged


async def _learn_templates_forever(app: FastAPI) -> None:
    """Read the services' documents (and so their route templates) soon after start, then with the contract cache."""
    settings: GatewaySettings = app.state.settings
    refresh = max(settings.contract_cache_seconds, MIN_TEMPLATES_REFRESH_SECONDS)
    retry = FIRST_TEMPLATES_RETRY_SECONDS
    while True:
        with contextlib.suppress(Exception):
            await _contract(app)
        if app.state.route_labels.known >= set(settings.upstreams()):
            await asyncio.sleep(refresh)
        else:
            await asyncio.sleep(retry)
            retry = min(retry * 2, refresh)
