"""What crosses the API about customers."""

import math
import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, StringConstraints

from services.customer.base import RecordStatus, RequiredText, Text
from services.kit.api import not_null

_USERNAME = re.compile(r"^[a-z0-9._@+-]+$")


def normalise_username(value: str) -> str:
    """Usernames are trimmed and lower-cased, so ``  Ada `` and ``ada`` are the same person."""
    value = value.strip().lower()
    if not _USERNAME.match(value):
        raise ValueError("may hold only letters, digits and . _ @ + -")
    return value


Username = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=64), AfterValidator(normalise_username)
]
Phone = Annotated[str, StringConstraints(strip_whitespace=True, max_length=32, pattern=r"^\+?[0-9 ()./-]{3,32}$")]
CountryText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=100)]
Postcode = Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)]
Email = Annotated[EmailStr, AfterValidator(str.lower)]
ReferenceId = Annotated[int, Field(ge=0, le=2**62)]


def _plausible_birth_date(value: date) -> date:
    if not (date(1900, 1, 1) <= value <= date.today()):
        raise ValueError("birth date must lie between 1900-01-01 and today")
    return value


BirthDate = Annotated[date, AfterValidator(_plausible_birth_date)]


def _storable_json(value: Any) -> Any:
    """PostgreSQL's JSON holds neither NaN nor Infinity (which Python's parser accepts) nor NUL characters."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("numbers must be finite")
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("text may not contain NUL characters")
    if isinstance(value, dict):
        for key, item in value.items():
            _storable_json(key)
            _storable_json(item)
    if isinstance(value, list):
        for item in value:
            _storable_json(item)
    return value


CustomAttributes = Annotated[dict[str, Any], AfterValidator(_storable_json)]


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class CustomerSort(StrEnum):
    ID = "id"
    ID_DESC = "-id"
    NAME = "name"
    NAME_DESC = "-name"
    CREATED_AT = "created_at"
    CREATED_AT_DESC = "-created_at"


class CustomerBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = Field(default=None, description="The key of this customer in a source system.")
    name: Text | None = None
    email: Email | None = None
    phone: Phone | None = None
    gender: Gender | None = None
    birth_date: BirthDate | None = None
    city: Text | None = None
    state: Text | None = None
    postcode: Postcode | None = None
    country: CountryText | None = None
    continent: CountryText | None = None
    city_id: ReferenceId | None = None
    home_store_id: ReferenceId | None = None
    marketing_consent: bool = False
    custom_attributes: CustomAttributes = Field(default_factory=dict)


SIGN_IN_DESCRIPTION = (
    "Whether the customer signs in at the gateway (set by the gateway only): their username then "
    "changes only through their own account there."
)


class CustomerCreate(CustomerBase):
    username: Username | None = None
    name: RequiredText
    has_sign_in: bool = Field(default=False, description=SIGN_IN_DESCRIPTION)


class CustomerUpdate(BaseModel):
    """Every field optional: only the fields sent change (``null`` clears a field that may be empty)."""

    model_config = ConfigDict(extra="forbid")

    external_ref: Text | None = None
    username: Username | None = None
    name: RequiredText | None = None
    email: Email | None = None
    phone: Phone | None = None
    gender: Gender | None = None
    birth_date: BirthDate | None = None
    city: Text | None = None
    state: Text | None = None
    postcode: Postcode | None = None
    country: CountryText | None = None
    continent: CountryText | None = None
    city_id: ReferenceId | None = None
    home_store_id: ReferenceId | None = None
    marketing_consent: bool = not_null()
    custom_attributes: CustomAttributes | None = None
    has_sign_in: bool = not_null(description=SIGN_IN_DESCRIPTION)


SELF_EDITABLE = frozenset(
    {
        "name",
        "email",
        "phone",
        "gender",
        "birth_date",
        "city",
        "state",
        "postcode",
        "country",
        "continent",
        "marketing_consent",
    }
)
"""What customers may change in their own profile; the rest is the shop's (their username changes
through their own account at the gateway, which keeps their sign-in in step)."""


def fields_closed_to_customers(update: CustomerUpdate) -> list[str]:
    """The fields of ``update`` a customer may not change in their own profile, in the body's order."""
    return [name for name in update.model_fields_set if name not in SELF_EDITABLE]


class CustomerPublic(BaseModel):
    """A customer as the API shows it: stored fields plus the age and age band derived from them."""

    id: int
    external_ref: str | None
    username: str | None
    name: str | None
    email: str | None
    phone: str | None
    gender: str | None
    birth_date: date | None
    age: int | None = Field(description="Whole years at today's date in the business time zone.")
    age_band: str | None = Field(description="under 10, 10-19, ..., 50-59, 60 and above.")
    city: str | None
    state: str | None
    postcode: str | None
    country: str | None
    continent: str | None
    city_id: int | None
    home_store_id: int | None
    marketing_consent: bool
    has_sign_in: bool = Field(description=SIGN_IN_DESCRIPTION)
    status: RecordStatus
    custom_attributes: dict[str, Any]
    created_at: datetime
    updated_at: datetime


class CustomersPublic(BaseModel):
    items: list[CustomerPublic]
    next_cursor: str | None = None
