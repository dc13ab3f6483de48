"""The loyalty service's app factory (``uvicorn --factory services.loyalty.app:create_app``)."""

from fastapi import FastAPI

from services.kit.app import create_service_app
from services.loyalty.settings import LoyaltySettings


def create_app(settings: LoyaltySettings | None = None) -> FastAPI:
    return create_service_app(title="Patron loyalty service", settings=settings or LoyaltySettings(), routers=[])
