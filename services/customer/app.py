"""The customer service's app factory (``uvicorn --factory services.customer.app:create_app``)."""

from typing import cast

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
from services.customer.products.api import router as products
from services.customer.purchases.api import router as purchases
from services.customer.settings import CustomerSettings
from services.customer.stock.api import router as stock
from services.customer.stores.api import router as stores
from services.kit.app import create_service_app
from services.kit.permissions import PermissionMiddleware


def create_app(settings: CustomerSettings | None = None) -> FastAPI:
    app = create_service_app(
        title="Patron customer service",
        settings=settings or CustomerSettings(),
        # Routes are matched in order, and each route tried costs: the busiest (recording bills) come first.
        routers=[purchases, customers, stock, products, stores, exchange_rates, imports],
        outbox=outbox,
        jobs=jobs,
        scheduled=[import_runner, import_requeue, import_discard],
        idempotency=keys,
        permissions=PERMISSIONS,
    )
    # Right inside the permission check (which has found the principal), before idempotency keeps a
    # reply: a deactivated or deleted customer's requests are refused within about a second.
    checked = next(i for i, m in enumerate(app.user_middleware) if m.cls is cast(object, PermissionMiddleware))
    app.user_middleware.insert(checked + 1, Middleware(ActiveCustomersOnly))
    return app
