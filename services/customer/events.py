"""Every event the customer service announces: typed payloads, versioned, and free of direct identifiers.

Payloads carry ids and non-identifying attributes only (gender, age band, city, state, country,
continent), never names, emails, phone numbers, usernames or street addresses, so a replay can
never bring back personal data that was erased.
"""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel

from services.customer.base import Table
from services.kit.events import EventCatalog, EventPayload
from services.kit.outbox import Outbox, outbox_tables


class CustomerAttributes(EventPayload):
    """What analytics may know of a customer: no name, email, phone, username or street address."""

    aggregate = "customer"

    customer_id: int
    external_ref: str | None
    gender: str | None
    age_band: str | None
    city: str | None
    state: str | None
    country: str | None
    continent: str | None
    city_id: int | None
    home_store_id: int | None
    marketing_consent: bool
    status: str


class CustomerCreated(CustomerAttributes):
    event_type = "customer.created"


class CustomerUpdated(CustomerAttributes):
    event_type = "customer.updated"


class CustomerDeactivated(EventPayload):
    event_type = "customer.deactivated"
    aggregate = "customer"

    customer_id: int


class CustomerReactivated(EventPayload):
    event_type = "customer.reactivated"
    aggregate = "customer"

    customer_id: int


class CustomerDeleted(EventPayload):
    event_type = "customer.deleted"
    aggregate = "customer"

    customer_id: int


class ProductAttributes(EventPayload):
    aggregate = "product"

    product_id: int
    sku: str
    name: str
    brand: str | None
    own_brand: bool
    colour: str | None
    category: str | None
    subcategory: str | None
    currency: str
    unit_cost: Decimal
    unit_price: Decimal
    track_stock: bool
    status: str


class ProductCreated(ProductAttributes):
    event_type = "product.created"


class ProductUpdated(ProductAttributes):
    event_type = "product.updated"


class StoreAttributes(EventPayload):
    aggregate = "store"

    store_id: int
    name: str
    online: bool
    country: str | None
    state: str | None
    square_metres: int | None
    opened_on: date | None
    status: str


class StoreCreated(StoreAttributes):
    event_type = "store.created"


class StoreUpdated(StoreAttributes):
    event_type = "store.updated"


class DatedRate(BaseModel):
    date: date
    rate: Decimal


class ExchangeRateUpserted(EventPayload):
    """The rates of one currency written by one upsert (new or replaced)."""

    event_type = "exchange_rate.upserted"
    aggregate = "exchange_rate"
    aggregate_field = "currency"

    currency: str
    base_currency: str
    rates: list[DatedRate]


class StockChanged(EventPayload):
    """One movement of the stock ledger and the quantity it left."""

    event_type = "stock.changed"
    aggregate = "product"

    product_id: int
    kind: str
    quantity: int
    stock_quantity: int
    purchase_id: int | None


class PurchaseLineAmounts(BaseModel):
    line_id: int
    line_no: int
    product_id: int
    quantity: int
    base_unit_price: Decimal
    local_unit_price: Decimal
    base_discount: Decimal
    local_discount: Decimal
    base_total: Decimal
    local_total: Decimal


class PurchaseRecorded(EventPayload):
    event_type = "purchase.recorded"
    aggregate = "purchase"

    purchase_id: int
    number: str | None
    customer_id: int | None
    store_id: int
    channel: str
    source: str
    currency: str
    base_currency: str
    rate: Decimal
    purchased_at: datetime
    reward_token: str | None
    base_total: Decimal
    local_total: Decimal
    base_discount: Decimal
    local_discount: Decimal
    lines: list[PurchaseLineAmounts]


class PurchaseCancelled(EventPayload):
    event_type = "purchase.cancelled"
    aggregate = "purchase"

    purchase_id: int
    customer_id: int | None
    source: str
    cancelled_at: datetime
    base_amount: Decimal
    local_amount: Decimal


class ReturnedLine(BaseModel):
    line_id: int
    product_id: int
    quantity: int
    base_amount: Decimal
    local_amount: Decimal


class PurchaseLineReturned(EventPayload):
    event_type = "purchase.line_returned"
    aggregate = "purchase"

    purchase_id: int
    customer_id: int | None
    source: str
    returned_at: datetime
    lines: list[ReturnedLine]


catalog = EventCatalog(
    "customer",
    [
        CustomerCreated,
        CustomerUpdated,
        CustomerDeactivated,
        CustomerReactivated,
        CustomerDeleted,
        ProductCreated,
        ProductUpdated,
        StoreCreated,
        StoreUpdated,
        ExchangeRateUpserted,
        StockChanged,
        PurchaseRecorded,
        PurchaseCancelled,
        PurchaseLineReturned,
    ],
)
outbox = Outbox(catalog, outbox_tables(Table.metadata))
