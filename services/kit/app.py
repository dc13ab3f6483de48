"""The app factory every service uses: middleware, problem handlers, health, and the principal check."""

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute

from services.kit.contract import install_contract
from services.kit.db import create_engine
from services.kit.errors import install_problem_handlers
from services.kit.health import router as health_router
from services.kit.logs import AccessLogMiddleware, configure_logging
from services.kit.metrics import HttpMetrics, MetricsMiddleware, metrics_router
from services.kit.principal import require_principal
from services.kit.request_id import RequestIdMiddleware
from services.kit.settings import ServiceSettings

API_PREFIX = "/api/v1"


def operation_id(route: APIRoute) -> str:
    """``{tag}-{name}``: stable, readable operation ids for generated partner clients."""
    tag = route.tags[0] if route.tags else "default"
    return f"{tag}-{route.name}".replace("_", "-")


def create_service_app(
    *,
    title: str,
    settings: ServiceSettings,
    routers: Sequence[APIRouter],
    version: str = "1.0.0",
) -> FastAPI:
    """Build a service's FastAPI app. Every router given here is guarded by the internal principal."""
    configure_logging(settings.schema_name, settings.log_level)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[dict[str, Any]]:
        engine = create_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            application_name=f"patron-{settings.schema_name}",
        )
        app.state.engine = engine
        try:
            yield {}
        finally:
            await engine.dispose()

    app = FastAPI(
        title=title,
        version=version,
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
    )
    app.state.settings = settings
    app.state.metrics = metrics = HttpMetrics(settings.schema_name, API_PREFIX)
    install_problem_handlers(app)
    app.include_router(health_router)
    app.include_router(metrics_router(metrics))
    for router in routers:
        app.include_router(router, prefix=API_PREFIX, dependencies=[Depends(require_principal)])
    install_contract(app)
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    app.add_middleware(AccessLogMiddleware)
    app.add_middleware(RequestIdMiddleware)
    return app
