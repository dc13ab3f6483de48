"""What crosses the API about stock."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

MAX_CHANGE = 1_000_000_000

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class MovementKind(StrEnum):
    RESTOCK = "restock"
    ADJUSTMENT = "adjustment"
    SALE = "sale"
    CANCELLATION = "cancellation"
    RETURN = "return"


class Restock(BaseModel):
    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(ge=1, le=MAX_CHANGE)
    reason: Reason | None = None


class Adjustment(BaseModel):
    """A correction after a count, a breakage, a theft: signed, and always with its reason."""

    model_config = ConfigDict(extra="forbid")

    quantity: int = Field(
        ge=-MAX_CHANGE,
        le=MAX_CHANGE,
        description="Signed change; not zero.",
        json_schema_extra={"not": {"const": 0}},
        examples=[-3],
    )
    reason: Reason


class StockLevel(BaseModel):
    product_id: int
    track_stock: bool
    stock_quantity: int
    ledger_sum: int = Field(description="Sum of the product's ledger; always equals stock_quantity.")


class MovementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    product_id: int
    kind: MovementKind
    quantity: int
    reason: str | None
    purchase_id: int | None
    created_at: datetime


class MovementsPublic(BaseModel):
    items: list[MovementPublic]
    next_cursor: str | None = None


class RestockSuggestion(BaseModel):
    product_id: int
    sku: str
    name: str
    stock_quantity: int
    sold_last_30_days: int
    daily_sales: Decimal
    days_of_cover: Decimal
    suggested_quantity: int = Field(description="Units that bring cover up to the target days.")


class RestockSuggestions(BaseModel):
    cover_days: int
    target_days: int
    items: list[RestockSuggestion]
