"""What crosses the API about purchases: a bill in, a bill with both base and local amounts out."""

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from services.kit.money import Currency, Money, NonNegativeMoney, Rate

MAX_LINES = 500
MAX_QUANTITY = 1_000_000
MAX_POINTS = 10_000_000

Quantity = Annotated[int, Field(ge=1, le=MAX_QUANTITY)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]


class PurchaseSource(StrEnum):
    LIVE = "live"
    IMPORT = "import"


class PurchaseStatus(StrEnum):
    RECORDED = "recorded"
    CANCELLED = "cancelled"


class PurchaseLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_id: int = Field(ge=1, le=2**62)
    quantity: Quantity
    discount: NonNegativeMoney = Field(
        default=Decimal("0.00"), description="Amount off this line, in the bill's currency; at most the line's price."
    )


class PurchaseCreate(BaseModel):
    """A bill. The channel comes from the caller, the prices from the catalogue."""

    model_config = ConfigDict(extra="forbid")

    customer_id: int | None = Field(default=None, ge=1, le=2**62, description="None for a guest sale.")
    store_id: int = Field(default=0, ge=0, le=2**62, description="0 is the online shop.")
    currency: Currency | None = Field(default=None, description="Defaults to the base currency.")
    purchased_at: datetime | None = Field(default=None, description="Defaults to now; never in the future.")
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None = None
    reward_token: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)] | None = Field(
        default=None, description="A reward to redeem: its percent comes off the rewarded product's line."
    )
    points: int | None = Field(
        default=None,
        ge=1,
        le=MAX_POINTS,
        description="Wallet points to spend as a discount on the bill, at the program's value (100 points = 1.00).",
    )
    lines: list[PurchaseLineCreate] = Field(min_length=1, max_length=MAX_LINES)


class PurchaseLinePublic(BaseModel):
    id: int
    line_no: int
    product_id: int
    sku: str
    name: str
    brand: str | None
    category: str | None
    quantity: int
    returned_quantity: int
    base_unit_price: Money
    local_unit_price: Money
    base_gross: Money
    base_discount: Money
    base_total: Money
    local_gross: Money
    local_discount: Money
    local_total: Money
    base_net: Money = Field(description="Base total less what was returned or cancelled.")
    local_net: Money = Field(description="Local total less what was returned or cancelled.")


class PurchasePublic(BaseModel):
    id: int
    number: str | None
    customer_id: int | None
    store_id: int
    channel: str
    source: PurchaseSource
    status: PurchaseStatus
    base_currency: str
    currency: str
    rate: Rate
    rate_date: date | None = None
    purchased_at: datetime
    reward_token: str | None
    base_gross: Money
    base_discount: Money
    base_total: Money
    local_gross: Money
    local_discount: Money
    local_total: Money
    base_returned: Money
    local_returned: Money
    base_net: Money
    local_net: Money
    cancelled_at: datetime | None
    cancel_reason: str | None
    reward_product_id: int | None = Field(default=None, description="The product the redeemed reward discounted.")
    reward_percent: int | None = Field(default=None, description="The redeemed reward's percent off.")
    reward_discount: Money = Field(description="What the redeemed reward took off, in the bill's currency.")
    points_spent: int = Field(description="Wallet points spent on the bill.")
    points_value: Money = Field(description="What the points spent were worth, in the base currency.")
    points_discount: Money = Field(description="What the points took off, in the bill's currency.")
    lines: list[PurchaseLinePublic]


class PurchaseReward(BaseModel):
    """The reward a new bill earned: a percent off one product, held as a token until it expires."""

    token: str
    product_id: int
    sku: str | None
    category: int
    percent: int
    expires_at: datetime


class PurchaseRecordedPublic(PurchasePublic):
    reward: PurchaseReward | None = Field(
        default=None,
        description="The reward the bill earned, when the loyalty service answered in time; otherwise none here, "
        "and the reward (if any) is allocated from the purchase event and listed among the customer's rewards.",
    )


class PurchasesPublic(BaseModel):
    items: list[PurchasePublic]
    next_cursor: str | None = None


class CancelRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason | None = None


class ReturnLine(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_id: int = Field(ge=1, le=2**62)
    quantity: Quantity


class ReturnRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lines: list[ReturnLine] = Field(min_length=1, max_length=MAX_LINES)
    reason: Reason | None = None


class AbandonPublic(BaseModel):
    purchase_id: int
    outcome: Literal["abandoned", "recorded"]
