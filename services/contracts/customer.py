"""The customer service's event contracts: typed payloads, versioned, and free of direct identifiers.

Payloads carry ids and non-identifying attributes only (gender, age band, city, state, country,
continent), never names, emails, phone numbers, usernames or street addresses, so a replay can
never bring back personal data that was erased.
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal, cast

from pydantic import BaseModel, ConfigDict

from services.kit.events import BatchPayload, EventCatalog, EventPayload

RecordStatus = Literal["active", "inactive"]
MovementKind = Literal["restock", "adjustment", "sale", "cancellation", "return"]
Channel = Literal["self", "assisted"]
Source = Literal["live", "import"]


class PayloadPart(BaseModel):
    """A part of a payload (a line, a dated rate): as strict as the payload that holds it."""

    model_config = ConfigDict(frozen=True, extra="forbid")


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
    status: RecordStatus


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


class CustomerErased(EventPayload):
    """A customer's personal data is erased: each service anonymises what it holds of them, and keeps the
    anonymous figures (bills, rewards, wallet totals) as they are."""

    event_type = "customer.erased"
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
    status: RecordStatus


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
    status: RecordStatus


class StoreCreated(StoreAttributes):
    event_type = "store.created"


class StoreUpdated(StoreAttributes):
    event_type = "store.updated"


class DatedRate(PayloadPart):
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
    kind: MovementKind
    quantity: int
    stock_quantity: int
    purchase_id: int | None


class PurchaseLineAmounts(PayloadPart):
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
    channel: Channel
    source: Source
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
    points_spent: int = 0  # wallet points the bill spent as a discount (its redemption, with any reward)


class PurchaseCancelled(EventPayload):
    event_type = "purchase.cancelled"
    aggregate = "purchase"

    purchase_id: int
    customer_id: int | None
    source: Source
    cancelled_at: datetime
    base_amount: Decimal
    local_amount: Decimal


class ReturnedLine(PayloadPart):
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
    source: Source
    returned_at: datetime
    lines: list[ReturnedLine]


class CustomersImported(BatchPayload):
    """Customers an import created, up to 1,000 a chunk: each item a ``customer.created``, its seq 1."""

    event_type = "customers.imported"
    item = CustomerCreated

    def records(self) -> list[CustomerCreated]:  # type: ignore[override]
        return cast(list[CustomerCreated], super().records())


class ProductsImported(BatchPayload):
    """Products an import created, up to 1,000 a chunk: each item a ``product.created``, its seq 1."""

    event_type = "products.imported"
    item = ProductCreated

    def records(self) -> list[ProductCreated]:  # type: ignore[override]
        return cast(list[ProductCreated], super().records())


class PurchasesImported(BatchPayload):
    """Bills an import recorded, up to 1,000 (and about 2,000 lines) a chunk: each item a ``purchase.recorded``."""

    event_type = "purchases.imported"
    item = PurchaseRecorded
    parts = {"lines": PurchaseLineAmounts}

    def records(self) -> list[PurchaseRecorded]:  # type: ignore[override]
        return cast(list[PurchaseRecorded], super().records())


catalog = EventCatalog(
    "customer",
    [
        CustomerCreated,
        CustomerUpdated,
        CustomerDeactivated,
        CustomerReactivated,
        CustomerDeleted,
        CustomerErased,
        ProductCreated,
        ProductUpdated,
        StoreCreated,
        StoreUpdated,
        ExchangeRateUpserted,
        StockChanged,
        PurchaseRecorded,
        PurchaseCancelled,
        PurchaseLineReturned,
        CustomersImported,
        ProductsImported,
        PurchasesImported,
    ],
)

_AT = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
_CUSTOMER = {
    "customer_id": 301,
    "external_ref": "301",
    "gender": "female",
    "age_band": "60 and above",
    "city": "WANDEARAH EAST",
    "state": "South Australia",
    "country": "Australia",
    "continent": "Australia",
    "city_id": None,
    "home_store_id": 0,
    "marketing_consent": True,
    "status": "active",
}
_PRODUCT = {
    "product_id": 1,
    "sku": "GE-1",
    "name": "Contoso 512MB MP3 Player E51 Silver",
    "brand": "Contoso",
    "own_brand": False,
    "colour": "Silver",
    "category": "Audio",
    "subcategory": "MP4&MP3",
    "currency": "USD",
    "unit_cost": Decimal("6.62"),
    "unit_price": Decimal("12.99"),
    "track_stock": True,
    "status": "active",
}
_STORE = {
    "store_id": 1,
    "name": "Contoso Australian Capital Territory",
    "online": False,
    "country": "Australia",
    "state": "Australian Capital Territory",
    "square_metres": 595,
    "opened_on": date(2008, 1, 1),
    "status": "active",
}
_LINE = {
    "line_id": 7,
    "line_no": 1,
    "product_id": 1,
    "quantity": 3,
    "base_unit_price": Decimal("12.99"),
    "local_unit_price": Decimal("11.87"),
    "base_discount": Decimal("1.09"),
    "local_discount": Decimal("1.00"),
    "base_total": Decimal("37.88"),
    "local_total": Decimal("34.61"),
}

_IMPORTED_BILL = PurchaseRecorded(
    purchase_id=43,
    number="366000",
    customer_id=301,
    store_id=1,
    channel="assisted",
    source="import",
    currency="USD",
    base_currency="USD",
    rate=Decimal("1"),
    purchased_at=_AT,
    reward_token=None,
    base_total=Decimal("38.97"),
    local_total=Decimal("38.97"),
    base_discount=Decimal("0.00"),
    local_discount=Decimal("0.00"),
    lines=[
        PurchaseLineAmounts(
            line_id=8,
            line_no=1,
            product_id=1,
            quantity=3,
            base_unit_price=Decimal("12.99"),
            local_unit_price=Decimal("12.99"),
            base_discount=Decimal("0.00"),
            local_discount=Decimal("0.00"),
            base_total=Decimal("38.97"),
            local_total=Decimal("38.97"),
        )
    ],
)

EXAMPLES: dict[str, EventPayload] = {
    example.event_type: example
    for example in [
        CustomerCreated(**_CUSTOMER),
        CustomerUpdated(**_CUSTOMER),
        CustomerDeactivated(customer_id=301),
        CustomerReactivated(customer_id=301),
        CustomerDeleted(customer_id=301),
        CustomerErased(customer_id=301),
        ProductCreated(**_PRODUCT),
        ProductUpdated(**_PRODUCT),
        StoreCreated(**_STORE),
        StoreUpdated(**_STORE),
        ExchangeRateUpserted(
            currency="EUR", base_currency="USD", rates=[DatedRate(date=date(2024, 3, 1), rate=Decimal("0.9137"))]
        ),
        StockChanged(product_id=1, kind="sale", quantity=-3, stock_quantity=17, purchase_id=42),
        PurchaseRecorded(
            purchase_id=42,
            number=None,
            customer_id=301,
            store_id=0,
            channel="self",
            source="live",
            currency="EUR",
            base_currency="USD",
            rate=Decimal("0.9137"),
            purchased_at=_AT,
            reward_token=None,
            base_total=Decimal("37.88"),
            local_total=Decimal("34.61"),
            base_discount=Decimal("1.09"),
            local_discount=Decimal("1.00"),
            lines=[PurchaseLineAmounts(**_LINE)],
        ),
        PurchaseCancelled(
            purchase_id=42,
            customer_id=301,
            source="live",
            cancelled_at=_AT,
            base_amount=Decimal("37.88"),
            local_amount=Decimal("34.61"),
        ),
        CustomersImported.of(12, [CustomerCreated(**_CUSTOMER)]),
        ProductsImported.of(12, [ProductCreated(**_PRODUCT)]),
        PurchasesImported.of(12, [_IMPORTED_BILL]),
        PurchaseLineReturned(
            purchase_id=42,
            customer_id=301,
            source="live",
            returned_at=_AT,
            lines=[
                ReturnedLine(
                    line_id=7, product_id=1, quantity=1, base_amount=Decimal("12.63"), local_amount=Decimal("11.54")
                )
            ],
        ),
    ]
}
"""One example payload per event type: the examples of docs/events.md."""
