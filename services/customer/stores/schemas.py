"""What crosses the API about stores."""

from datetime import date, datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from services.customer.base import RecordStatus, RequiredText, Text
from services.kit.api import not_null


class StoreSort(StrEnum):
    ID = "id"
    NAME = "name"


class StoreCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = None
    name: RequiredText
    online: bool = False
    country: Text | None = None
    state: Text | None = None
    square_metres: int | None = Field(default=None, ge=0, le=10_000_000)
    opened_on: date | None = None


class StoreUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = None
    name: RequiredText = not_null()
    country: Text | None = None
    state: Text | None = None
    square_metres: int | None = Field(default=None, ge=0, le=10_000_000)
    opened_on: date | None = None
    status: RecordStatus = not_null()


class StorePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    external_ref: str | None
    name: str
    online: bool
    country: str | None
    state: str | None
    square_metres: int | None
    opened_on: date | None
    status: RecordStatus
    created_at: datetime
    updated_at: datetime


class StoresPublic(BaseModel):
    items: list[StorePublic]
    next_cursor: str | None = None
