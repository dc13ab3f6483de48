"""The customer service's app factory (``uvicorn --factory services.customer.app:create_app``)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

from fastapi import FastAPI
from starlette.middleware import Middleware

from services.contracts.permissions import PERMISSIONS
from services.customer.customers.api import router as customers
from services.customer.customers.signed_in import ActiveCustomersOnly
from services.customer.exchange_rates.api import router as exchange_rates
from services.customer.idempotency import keys
from services.customer.imports.api import router as imports
from services.customer.imports.service import import_discard, import_requeue, import_runner
from services.customer.jobs import jobs
from services.customer.outbox import outbox
from services.customer.privacy.api import router as privacy
from services.customer.privacy.service import erasure_follow_up, export_runner, privacy_retention, service_clients
from services.customer.products.api import router as products
from services.customer.purchases.api import router as purchases
from services.customer.purchases.rewards import loyalty_client
from services.customer.settings import CustomerSettings
from services.customer.stock.api import router as stock
from services.customer.stores.api import router as stores
from services.kit.app import create_service_app
from services.kit.permissions import PermissionMiddleware


def create_app(settings: CustomerSettings | None = None) -> FastAPI:
    settings = settings or CustomerSettings()
    app = create_service_app(
        title="Patron customer service",
        settings=settings,
        # Routes are matched in order, and each route tried costs: the busiest (recording bills) come first.
        routers=[purchases, customers, stock, products, stores, exchange_rates, imports, privacy],
        outbox=outbox,
        jobs=jobs,
        scheduled=[
            import_runner,
            import_requeue,
            import_discard,
            export_runner,
            erasure_follow_up,
            privacy_retention,
        ],
        idempotency=keys,
        permissions=PERMISSIONS,
    )
    # Right inside the permission check (which has found the principal), before idempotency keeps a
    # reply: a deactivated or deleted customer's requests are refused within about a second.
    checked = next(i for i, m in enumerate(app.user_middleware) if m.cls is cast(object, PermissionMiddleware))
    app.user_middleware.insert(checked + 1, Middleware(ActiveCustomersOnly))
    kit_lifespan = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        # The loyalty service, asked for the reward of each new bill: one pooled client per process.
        timeout = settings.loyalty_timeout_ms / 1000
        reserving = settings.redemption_timeout_ms / 1000
        async with (
            loyalty_client(settings, settings.loyalty_url, timeout_seconds=timeout) as loyalty,
            # ... and, with a longer wait, for the reservation of what a bill redeems.
            loyalty_client(settings, settings.loyalty_url, timeout_seconds=reserving) as redemptions,
        ):
            app.state.loyalty_client = loyalty
            app.state.redemption_client = redemptions
            # The services asked where they stand with an erasure.
            async with service_clients(settings) as privacy_services:
                app.state.privacy_clients = privacy_services.clients
                async with kit_lifespan(app) as state:
                    yield state

    app.router.lifespan_context = lifespan
    return app
