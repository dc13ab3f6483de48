"""The analytics service's app factory (``uvicorn --factory services.analytics.app:create_app``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from services.analytics.customers.api import router as customers
from services.analytics.feed.consumer import feed_consumer, lag_histogram
from services.analytics.products.api import router as products
from services.analytics.reporting.api import router as reporting
from services.analytics.sales.api import router as sales
from services.analytics.settings import AnalyticsSettings
from services.contracts.permissions import PERMISSIONS
from services.kit.app import create_service_app
from services.kit.client import ServiceClient
from services.kit.consumer import Consumer
from services.kit.settings import ServiceSettings


def create_app(settings: AnalyticsSettings | None = None) -> FastAPI:
    settings = settings or AnalyticsSettings()
    lag = lag_histogram()

    def feed(engine: AsyncEngine, service_settings: ServiceSettings) -> Consumer:
        return feed_consumer(engine, service_settings, lag=lag)

    app = create_service_app(
        title="Patron analytics service",
        settings=settings,
        routers=[reporting, sales, customers, products],
        consumers=[feed],
        permissions=PERMISSIONS,
    )
    app.state.metrics.registry.register(lag)
    kit_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        # The customer service, read for the names of the customers a report lists: one pooled client per process.
        async with ServiceClient.from_settings("customer", settings.customer_url, settings) as customer:
            app.state.customer_client = customer
            async with kit_lifespan(app) as state:
                yield state

    app.router.lifespan_context = lifespan
    return app
