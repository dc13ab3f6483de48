"""The loyalty service's app factory (``uvicorn --factory services.loyalty.app:create_app``)."""

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from services.kit.app import create_service_app
from services.kit.consumer import Consumer
from services.kit.settings import ServiceSettings
from services.loyalty.ledger.consumer import figures_lag_histogram, ledger_consumer
from services.loyalty.settings import LoyaltySettings


def create_app(settings: LoyaltySettings | None = None) -> FastAPI:
    lag = figures_lag_histogram()

    def ledger(engine: AsyncEngine, service_settings: ServiceSettings) -> Consumer:
        return ledger_consumer(engine, service_settings, lag=lag)

    app = create_service_app(
        title="Patron loyalty service", settings=settings or LoyaltySettings(), routers=[], consumers=[ledger]
    )
    app.state.metrics.registry.register(lag)
    return app
