"""The analytics service's app factory (``uvicorn --factory services.analytics.app:create_app``)."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from services.analytics.clv.api import router as clv
from services.analytics.customers.api import router as customers
from services.analytics.feed.consumer import CONSUMER_NAME, feed_consumer, reports_lag_histogram
from services.analytics.idempotency import keys
from services.analytics.jobs import jobs
from services.analytics.products.api import router as products
from services.analytics.program.api import router as program
from services.analytics.reporting.api import router as reporting
from services.analytics.rfm.api import router as rfm
from services.analytics.sales.api import router as sales
from services.analytics.settings import AnalyticsSettings
from services.contracts.permissions import PERMISSIONS
from services.kit.app import create_service_app, keep_client
from services.kit.consumer import Consumer
from services.kit.privacy_api import privacy_router
from services.kit.settings import ServiceSettings

privacy = privacy_router(service="analytics", prefix="/analytics", schema="analytics", consumer=CONSUMER_NAME)


def create_app(settings: AnalyticsSettings | None = None) -> FastAPI:
    settings = settings or AnalyticsSettings()
    lag = reports_lag_histogram()

    def feed(engine: AsyncEngine, service_settings: ServiceSettings) -> Consumer:
        return feed_consumer(engine, service_settings, lag=lag)

    app = create_service_app(
        title="Patron analytics service",
        settings=settings,
        routers=[reporting, sales, customers, products, rfm, clv, program, privacy],
        consumers=[feed],
        jobs=jobs,
        idempotency=keys,
        permissions=PERMISSIONS,
    )
    app.state.metrics.registry.register(lag)
    # The customer service, read for the names of the customers a report lists.
    keep_client(app, "customer_client", target="customer", url=settings.customer_url, settings=settings)
    return app
