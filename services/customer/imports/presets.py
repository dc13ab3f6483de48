"""Import presets: which files a dataset has, and how each file's columns map to Patron's fields.

A preset lists its files in load order (master data before the sales that refer to it). A column
not named by the preset is kept as a custom attribute of the record its row creates.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

from services.customer.imports.cleaning import DateOrder


class Kind(StrEnum):
    TEXT = "text"
    EMAIL = "email"
    MONEY = "money"
    DECIMAL = "decimal"
    INT = "integer"
    DATE = "date"
    DATETIME = "datetime"
    CURRENCY = "currency"
    BOOL = "boolean"
    CHANNEL = "channel"
    GENDER = "gender"


@dataclass(frozen=True)
class ColumnSpec:
    header: str
    field: str
    kind: Kind = Kind.TEXT
    required: bool = False  # the column must be in the file and every row needs a value
    # A bad value in an optional column is reported and left empty; in a strict one it rejects the row
    # (the column names another record, or sets what a bill is worth).
    strict: bool = False


@dataclass(frozen=True)
class FileSpec:
    role: str
    columns: tuple[ColumnSpec, ...]
    group_field: str | None = None  # rows sharing it (one order's lines) are loaded and rejected together

    def required_headers(self) -> list[str]:
        return [column.header for column in self.columns if column.required]


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    files: tuple[FileSpec, ...]
    ignored: tuple[str, ...] = ()
    date_order: DateOrder = DateOrder.MONTH_FIRST

    def spec(self, role: str) -> FileSpec:
        return next(spec for spec in self.files if spec.role == role)


def header_key(name: str) -> str:
    """Header names compare without case, spaces, dashes or underscores: ``Customer Key`` = ``customer_key``."""
    return re.sub(r"[\s_\-]+", "", name).casefold()


GLOBAL_ELECTRONICS = Preset(
    name="global-electronics",
    description="Global Electronics retailer: stores, customers, products, exchange rates and sales, together.",
    files=(
        FileSpec(
            "stores",
            (
                ColumnSpec("StoreKey", "external_ref", Kind.INT, required=True),
                ColumnSpec("Country", "country"),
                ColumnSpec("State", "state"),
                ColumnSpec("Square Meters", "square_metres", Kind.INT),
                ColumnSpec("Open Date", "opened_on", Kind.DATE),
            ),
        ),
        FileSpec(
            "customers",
            (
                ColumnSpec("CustomerKey", "external_ref", Kind.INT, required=True),
                ColumnSpec("Gender", "gender", Kind.GENDER),
                ColumnSpec("Name", "name", required=True),
                ColumnSpec("City", "city"),
                ColumnSpec("State", "state"),
                ColumnSpec("Zip Code", "postcode"),
                ColumnSpec("Country", "country"),
                ColumnSpec("Continent", "continent"),
                ColumnSpec("Birthday", "birth_date", Kind.DATE),
            ),
        ),
        FileSpec(
            "products",
            (
                ColumnSpec("ProductKey", "external_ref", Kind.INT, required=True),
                ColumnSpec("Product Name", "name", required=True),
                ColumnSpec("Brand", "brand"),
                ColumnSpec("Color", "colour"),
                ColumnSpec("Unit Cost USD", "unit_cost", Kind.MONEY),
                ColumnSpec("Unit Price USD", "unit_price", Kind.MONEY, required=True),
                ColumnSpec("Subcategory", "subcategory"),
                ColumnSpec("Category", "category"),
            ),
        ),
        FileSpec(
            "exchange_rates",
            (
                ColumnSpec("Date", "rate_date", Kind.DATE, required=True),
                ColumnSpec("Currency", "currency", Kind.CURRENCY, required=True),
                ColumnSpec("Exchange", "rate", Kind.DECIMAL, required=True),
            ),
        ),
        FileSpec(
            "sales",
            (
                ColumnSpec("Order Number", "number", required=True),
                ColumnSpec("Line Item", "line_no", Kind.INT, required=True),
                ColumnSpec("Order Date", "purchased_at", Kind.DATETIME, required=True),
                ColumnSpec("CustomerKey", "customer_ref", Kind.INT, strict=True),
                ColumnSpec("StoreKey", "store_ref", Kind.INT, required=True),
                ColumnSpec("ProductKey", "product_ref", Kind.INT, required=True),
                ColumnSpec("Quantity", "quantity", Kind.INT, required=True),
                ColumnSpec("Currency Code", "currency", Kind.CURRENCY, required=True),
            ),
            group_field="number",
        ),
    ),
    ignored=("datadictionary",),
)

MINIMAL = Preset(
    name="minimal",
    description="One bill per row: client_id, ordered_at, amount, email, name (each bill one service line).",
    files=(
        FileSpec(
            "bills",
            (
                ColumnSpec("client_id", "client_id"),
                ColumnSpec("ordered_at", "purchased_at", Kind.DATETIME, required=True),
                ColumnSpec("amount", "amount", Kind.MONEY, required=True),
                ColumnSpec("email", "email", Kind.EMAIL),
                ColumnSpec("name", "name"),
            ),
        ),
    ),
)

# Patron's own layout: one file per kind with every field Patron keeps (docs/imports.md describes it).
# Times are ISO 8601; one without an offset is read in the business time zone.
PATRON = Preset(
    name="patron",
    description="Patron's native layout: stores, customers, products, exchange rates, bills (one row per line), "
    "returns and cancellations.",
    files=(
        FileSpec(
            "stores",
            (
                ColumnSpec("store_ref", "external_ref", required=True),
                ColumnSpec("name", "name"),
                ColumnSpec("country", "country"),
                ColumnSpec("state", "state"),
                ColumnSpec("square_metres", "square_metres", Kind.INT),
                ColumnSpec("opened_on", "opened_on", Kind.DATE),
            ),
        ),
        FileSpec(
            "customers",
            (
                ColumnSpec("customer_ref", "external_ref", required=True),
                ColumnSpec("username", "username"),
                ColumnSpec("name", "name"),
                ColumnSpec("email", "email", Kind.EMAIL),
                ColumnSpec("phone", "phone"),
                ColumnSpec("gender", "gender", Kind.GENDER),
                ColumnSpec("birth_date", "birth_date", Kind.DATE),
                ColumnSpec("city", "city"),
                ColumnSpec("state", "state"),
                ColumnSpec("postcode", "postcode"),
                ColumnSpec("country", "country"),
                ColumnSpec("continent", "continent"),
                ColumnSpec("home_store_ref", "home_store_ref"),
                ColumnSpec("marketing_consent", "marketing_consent", Kind.BOOL),
            ),
        ),
        FileSpec(
            "products",
            (
                ColumnSpec("sku", "external_ref", required=True),
                ColumnSpec("name", "name", required=True),
                ColumnSpec("brand", "brand"),
                ColumnSpec("own_brand", "own_brand", Kind.BOOL),
                ColumnSpec("colour", "colour"),
                ColumnSpec("category", "category"),
                ColumnSpec("subcategory", "subcategory"),
                ColumnSpec("unit_cost", "unit_cost", Kind.MONEY),
                ColumnSpec("unit_price", "unit_price", Kind.MONEY, required=True),
            ),
        ),
        FileSpec(
            "exchange_rates",
            (
                ColumnSpec("date", "rate_date", Kind.DATE, required=True),
                ColumnSpec("currency", "currency", Kind.CURRENCY, required=True),
                ColumnSpec("rate", "rate", Kind.DECIMAL, required=True),
            ),
        ),
        FileSpec(
            "sales",
            (
                ColumnSpec("bill", "number", required=True),
                ColumnSpec("line", "line_no", Kind.INT, required=True),
                ColumnSpec("ordered_at", "purchased_at", Kind.DATETIME, required=True),
                ColumnSpec("customer_ref", "customer_ref", strict=True),
                ColumnSpec("store_ref", "store_ref", required=True),
                ColumnSpec("channel", "channel", Kind.CHANNEL, required=True),
                ColumnSpec("currency", "currency", Kind.CURRENCY, required=True),
                ColumnSpec("sku", "product_ref", required=True),
                ColumnSpec("quantity", "quantity", Kind.INT, required=True),
                ColumnSpec("unit_price", "unit_price", Kind.MONEY, strict=True),
            ),
            group_field="number",
        ),
        FileSpec(
            "returns",
            (
                ColumnSpec("bill", "number", required=True),
                ColumnSpec("line", "line_no", Kind.INT, required=True),
                ColumnSpec("quantity", "quantity", Kind.INT, required=True),
                ColumnSpec("returned_at", "returned_at", Kind.DATETIME, required=True),
                ColumnSpec("reason", "reason"),
            ),
            group_field="number",
        ),
        FileSpec(
            "cancellations",
            (
                ColumnSpec("bill", "number", required=True),
                ColumnSpec("cancelled_at", "cancelled_at", Kind.DATETIME, required=True),
                ColumnSpec("reason", "reason"),
            ),
        ),
    ),
    date_order=DateOrder.YEAR_FIRST,
)

PRESETS: dict[str, Preset] = {preset.name: preset for preset in (GLOBAL_ELECTRONICS, MINIMAL, PATRON)}
