"""The analytics service's app factory (``uvicorn --factory services.analytics.app:create_app``)."""

from fastapi import FastAPI

from services.analytics.settings import AnalyticsSettings
from services.kit.app import create_service_app


def create_app(settings: AnalyticsSettings | None = None) -> FastAPI:
    return create_service_app(title="Patron analytics service", settings=settings or AnalyticsSettings(), routers=[])
