"""The app factory every service uses: middleware, problem handlers, health, and the principal check."""

import logging
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from types import MappingProxyType
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.routing import APIRoute
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.client import ServiceClient
from services.kit.consumer import Consumer, ConsumerMetrics
from services.kit.contract import install_contract
from services.kit.db import create_engine
from services.kit.errors import install_problem_handlers
from services.kit.events import BROKER_ERRORS, configured_stream
from services.kit.health import router as health_router
from services.kit.idempotency import WRITE_METHODS, IdempotencyMiddleware, purge_expired
from services.kit.jobs import Job, JobRun, JobTables, PeriodicJob, Scheduler
from services.kit.logs import configure_logging
from services.kit.metrics import HttpMetrics, ObservabilityMiddleware, RefreshHook, metrics_networks, metrics_router
from services.kit.outbox import Outbox, OutboxTables, last_publish_lag, oldest_unsent_age, purge_sent
from services.kit.outbox import backlog as outbox_backlog
from services.kit.permissions import Permission, PermissionMiddleware, missing_rows
from services.kit.principal import PrincipalMiddleware, require_principal
from services.kit.relay import OutboxRelay
from services.kit.request_id import RequestIdMiddleware
from services.kit.settings import ServiceSettings

API_PREFIX = "/api/v1"
OUTBOX_PURGE_JOB = "outbox.purge"
OUTBOX_PURGE_EVERY = timedelta(hours=1)
IDEMPOTENCY_PURGE_JOB = "idempotency.purge"

log = logging.getLogger("patron.app")


def operation_id(route: APIRoute) -> str:
    """``{tag}-{name}``: stable, readable operation ids for generated partner clients."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}".replace("_", "-")


def outbox_metrics(outbox: Outbox) -> RefreshHook:
    """Read the outbox's backlog and lag from the database at scrape time."""

    async def refresh(request: Request) -> None:
        metrics: HttpMetrics = request.app.state.metrics
        async with AsyncSession(request.app.state.engine) as session:
            metrics.outbox_backlog.set(await outbox_backlog(session, outbox.tables))
            metrics.outbox_lag.set(await oldest_unsent_age(session, outbox.tables))
            lag = await last_publish_lag(session, outbox.tables)
            metrics.publish_lag.set(lag if lag is not None else 0.0)

    return refresh


async def consumer_metrics(request: Request) -> None:
    """Each running consumer's pending count, asked of the broker, and its held events, at scrape time."""
    metrics: HttpMetrics = request.app.state.metrics
    held = request.app.state.consumer_metrics.held
    for consumer in request.app.state.consumers:
        for reason, count in (await consumer.held()).items():
            held.labels(consumer.name, reason.value).set(count)
        try:
            metrics.consumer_pending.labels(consumer.name).set(await consumer.pending())
        except BROKER_ERRORS:
            metrics.consumer_pending.labels(consumer.name).set(float("nan"))


def outbox_purge(engine: AsyncEngine, tables: OutboxTables, *, retention: timedelta) -> PeriodicJob:
    """A job deleting sent outbox rows older than ``retention``, hourly: the stream is the event history."""

    async def purge(run: JobRun) -> None:
        async with AsyncSession(engine) as session, session.begin():
            deleted = await purge_sent(session, tables, older_than=retention)
        if deleted:
            log.info("outbox: %d sent events older than %s deleted", deleted, retention)

    return PeriodicJob(OUTBOX_PURGE_JOB, OUTBOX_PURGE_EVERY, purge)


def idempotency_purge(engine: AsyncEngine, table: Table) -> PeriodicJob:
    """A job deleting expired idempotency keys, hourly."""

    async def purge(run: JobRun) -> None:
        async with engine.begin() as connection:
            deleted = await purge_expired(connection, table)
        if deleted:
            log.info("idempotency: %d expired keys deleted", deleted)

    return PeriodicJob(IDEMPOTENCY_PURGE_JOB, OUTBOX_PURGE_EVERY, purge)


ConsumerFactory = Callable[[AsyncEngine, ServiceSettings], Consumer]
"""Builds one of a service's consumers: ``Consumer(engine, tables, stream=configured_stream(settings),
batch_size=settings.events_batch_size, ...)`` with its handlers."""
JobFactory = Callable[[AsyncEngine, ServiceSettings], Job]


def keep_client(app: FastAPI, attribute: str, *, target: str, url: str, settings: ServiceSettings) -> None:
    """Give ``app`` one pooled client of the ``target`` service at ``url`` for its lifetime, as
    ``app.state.<attribute>`` (its keep-alive connections are the point of keeping it)."""
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with ServiceClient.from_settings(target, url, settings) as client:
            setattr(app.state, attribute, client)
            async with inner(app) as state:
                yield state

    app.router.lifespan_context = lifespan


def create_service_app(
    *,
    title: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    outbox: Outbox | None = None,
    consumers: Sequence[ConsumerFactory] = (),
    jobs: JobTables | None = None,
    scheduled: Sequence[JobFactory] = (),
    idempotency: Table | None = None,
    permissions: Mapping[str, Permission] = MappingProxyType({}),
    version: str = "1.0.0",
) -> FastAPI:
    """Build a service's FastAPI app. Every router given here is guarded by the internal principal.

    A service that announces events passes its ``outbox``; the app then runs the relay that
    publishes it (unless ``events_relay`` is off) and reports its backlog and lag as metrics. A
    service that listens to events passes factories of its ``consumers``; they run for the app's
    lifetime (unless ``events_relay`` is off) and report their pending counts as metrics.

    A service that runs background jobs passes its ``jobs`` tables and factories of the jobs it
    has ``scheduled``; a scheduler runs them for the app's lifetime, each run once across all
    processes (``app.state.scheduler``). A service with an outbox needs the tables: the scheduler
    deletes sent outbox rows older than ``outbox_retention_days``.

    Every route under the API prefix needs a row in ``permissions`` (the permission matrix,
    ``services.contracts.permissions.PERMISSIONS``): the app refuses to be built otherwise, and each
    request is checked against its route's row before its body is read.
    """
    writes = [
        r
        for router in routers
        for r in router.routes
        if isinstance(r, APIRoute) and (r.methods or set()) & WRITE_METHODS
    ]
    if writes and idempotency is None:
        raise ValueError("a service with write routes keeps an idempotency table: every write accepts Idempotency-Key")
    if idempotency is not None and jobs is None:
        raise ValueError("a service with idempotency keys keeps job tables too: a job deletes the expired keys")
    if outbox is not None and jobs is None:
        raise ValueError("a service with an outbox keeps job tables too: a job purges the sent events")
    if scheduled and jobs is None:
        raise ValueError("scheduled jobs need the service's job tables")
    configure_logging(settings.schema_name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            application_name=f"patron-{settings.schema_name}",
        )
        app.state.engine = engine
        relay = None
        if outbox is not None and settings.events_relay:
            relay = OutboxRelay(
                engine,
                outbox.tables,
                nats_url=settings.nats_url,
                name=f"patron-{settings.schema_name}",
                stream=configured_stream(settings),
            )
            await relay.start()
        app.state.relay = relay
        running = [make(engine, settings) for make in consumers] if settings.events_relay else []
        for consumer in running:
            consumer.metrics = app.state.consumer_metrics
            await consumer.start()
        app.state.consumers = running
        scheduler = None
        if jobs is not None:
            scheduler = Scheduler(engine, jobs, runs=metrics.job_runs, name=f"patron-{settings.schema_name}-jobs")
            if outbox is not None:
                retention = timedelta(days=settings.outbox_retention_days)
                scheduler.add(outbox_purge(engine, outbox.tables, retention=retention))
            if idempotency is not None:
                scheduler.add(idempotency_purge(engine, idempotency))
            for make in scheduled:
                scheduler.add(make(engine, settings))
            await scheduler.start()
        app.state.scheduler = scheduler
        try:
            yield {}
        finally:
            if scheduler is not None:
                await scheduler.stop()
            for consumer in running:
                await consumer.stop()
            if relay is not None:
                await relay.stop()
            await engine.dispose()

    app = FastAPI(
        title=title,
        version=version,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        # A service's contract is read by the gateway, which signs its request like any other;
        # the public, merged contract and its docs page live on the gateway.
        openapi_url=None,
        docs_url=None,
        redoc_url=None,
    )

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(require_principal)])
    async def contract() -> dict[str, Any]:
        return app.openapi()

    app.state.settings = settings
    # Readiness reports the outbox's backlog (never requires it to be drained).
    app.state.outbox_tables = outbox.tables if outbox is not None else None
    app.state.metrics = metrics = HttpMetrics(settings.schema_name, API_PREFIX)
    if outbox is not None:
        metrics.refresh_hooks.append(outbox_metrics(outbox))
    app.state.consumer_metrics = ConsumerMetrics(metrics.registry) if consumers else None
    if consumers:
        metrics.refresh_hooks.append(consumer_metrics)
    install_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router(metrics, metrics_networks(settings.metrics_networks, settings.environment)))
    for router in routers:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(require_principal)])
    install_contract(app, idempotent_writes=idempotency is not None)
    missing = missing_rows(app.routes, API_PREFIX, permissions)
    if missing:
        raise ValueError(f"operations without a row in the permission table: {', '.join(missing)}")
    if idempotency is not None:
        ttl = timedelta(hours=settings.idempotency_ttl_hours)
        app.add_middleware(IdempotencyMiddleware, prefix=API_PREFIX, table=idempotency, ttl=ttl)
    # Inside the principal check, outside idempotency: a refused caller leaves no key behind.
    app.add_middleware(PermissionMiddleware, prefix=API_PREFIX, table=permissions, routes=app.routes)
    app.add_middleware(PrincipalMiddleware, prefix=API_PREFIX, secret=settings.internal_secret.get_secret_value())
    app.add_middleware(ObservabilityMiddleware, metrics=metrics)
    app.add_middleware(RequestIdMiddleware)
    return app
