"""What crosses the API about RFM: a run asked for, a stored run, and one customer's scores in a run."""

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from services.analytics.rfm.rules import Scheme
from services.kit.money import Money


class RfmRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reference_date: date | None = Field(
        None,
        description="The day recency is counted to; purchases after it are left out. Default: today "
        "in the business time zone.",
    )
    scheme: Scheme = Field(
        Scheme.QUINTILE,
        description="`quintile`: scores 1–5 and segments on (R, F); `quartile`: the crm-box scheme, scores 1–4 and "
        "classes on their mean.",
    )


class LeftOut(BaseModel):
    no_purchase: int = Field(description="Customers (not deleted) without a purchase on or before the reference date.")
    guest_bills: int = Field(description="Bills without a customer on or before the reference date.")
    guest_lines: int = Field(description="Their purchase lines.")
    guest_revenue: Money = Field(description="Their spend in the base currency.")


class RfmRunPublic(BaseModel):
    id: int
    reference_date: date
    scheme: Scheme
    created_at: datetime
    customers: int = Field(description="Customers scored: those with a purchase on or before the reference date.")
    revenue: Money = Field(description="Their spend in the base currency, returns taken off.")
    left_out: LeftOut


class RfmRunsPublic(BaseModel):
    items: list[RfmRunPublic]
    next_cursor: str | None = None


class RfmCustomerPublic(BaseModel):
    run_id: int
    reference_date: date
    scheme: Scheme
    customer_id: int
    last_purchase: date = Field(description="The day of the last purchase on or before the reference date.")
    recency: int = Field(description="Days from the last purchase to the reference date.")
    frequency: int = Field(description="Orders (bills not cancelled) on or before the reference date.")
    monetary: Money = Field(description="Spend in the base currency, returns taken off.")
    r: int
    f: int
    m: int
    score: Decimal | None = Field(description="Quartile scheme: the mean of r, f and m (4 places); else none.")
    segment: str = Field(description="The segment (quintile) or class (quartile) key.")
    label: str
