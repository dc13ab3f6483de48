"""What crosses the API about exchange rates."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from services.kit.money import Currency, Rate

MAX_RATES_PER_UPSERT = 10_000


class ExchangeRateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: date
    currency: Currency
    rate: Rate = Field(description="Units of `currency` per one unit of the base currency.")


class ExchangeRatesUpsert(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rates: list[ExchangeRateIn] = Field(min_length=1, max_length=MAX_RATES_PER_UPSERT)


class ExchangeRatesUpserted(BaseModel):
    inserted: int
    updated: int


class ExchangeRatePublic(BaseModel):
    currency: str
    date: date
    rate: Rate
    base_currency: str


class ExchangeRateLookup(ExchangeRatePublic):
    requested_date: date = Field(description="The date asked for; `date` is the rate's own (on or before it).")


class ExchangeRatesPublic(BaseModel):
    items: list[ExchangeRatePublic]
    next_cursor: str | None = None
