"""What crosses the API about products. Prices are in the base currency, named on every product."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.customer.base import RecordStatus, RequiredText, Text
from services.kit.api import not_null
from services.kit.money import Money, NonNegativeMoney

Sku = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class ProductSort(StrEnum):
    ID = "id"
    SKU = "sku"
    NAME = "name"
    PRICE = "unit_price"
    PRICE_DESC = "-unit_price"


class ProductCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = None
    sku: Sku
    name: RequiredText
    brand: Text | None = None
    own_brand: bool = False
    colour: Text | None = None
    category: Text | None = None
    subcategory: Text | None = None
    unit_cost: NonNegativeMoney
    unit_price: NonNegativeMoney
    track_stock: bool = True


class ProductUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = None
    sku: Sku = not_null()
    name: RequiredText = not_null()
    brand: Text | None = None
    own_brand: bool = not_null()
    colour: Text | None = None
    category: Text | None = None
    subcategory: Text | None = None
    unit_cost: NonNegativeMoney = not_null()
    unit_price: NonNegativeMoney = not_null()
    track_stock: bool = not_null()


class ProductPublic(BaseModel):
    id: int
    external_ref: str | None
    sku: str
    name: str
    brand: str | None
    own_brand: bool
    colour: str | None
    category: str | None
    subcategory: str | None
    currency: str
    unit_cost: Money
    unit_price: Money
    track_stock: bool
    stock_quantity: int
    status: RecordStatus
    created_at: datetime
    updated_at: datetime


class ProductsPublic(BaseModel):
    items: list[ProductPublic]
    next_cursor: str | None = None


class CatalogueItem(BaseModel):
    """A product as a customer sees it: what the shop sells and its price, nothing of its costs or stock."""

    id: int
    sku: str
    name: str
    brand: str | None
    own_brand: bool
    colour: str | None
    category: str | None
    subcategory: str | None
    currency: str
    unit_price: Money
    available: bool = Field(description="Whether it can be bought now (in stock, or not stock-tracked).")


class CataloguePage(BaseModel):
    items: list[CatalogueItem]
    next_cursor: str | None = None
