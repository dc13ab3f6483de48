"""Every table of the customer schema, imported in one place for Alembic and the tests."""

from services.customer.base import Table
from services.customer.customers.models import Customer
from services.customer.exchange_rates.models import ExchangeRate
from services.customer.idempotency import keys
from services.customer.imports.models import CustomerMerge, ImportAttribute, ImportCustomer, ImportJob, ImportOccurrence
from services.customer.jobs import jobs
from services.customer.outbox import outbox
from services.customer.privacy.models import PrivacyRequest
from services.customer.products.models import Product
from services.customer.purchases.models import Purchase, PurchaseLine
from services.customer.stock.models import StockMovement
from services.customer.stores.models import Store

metadata = Table.metadata

__all__ = [
    "Customer",
    "CustomerMerge",
    "ExchangeRate",
    "ImportAttribute",
    "ImportCustomer",
    "ImportJob",
    "ImportOccurrence",
    "PrivacyRequest",
    "Product",
    "Purchase",
    "PurchaseLine",
    "StockMovement",
    "Store",
    "jobs",
    "keys",
    "metadata",
    "outbox",
]
