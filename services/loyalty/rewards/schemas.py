"""What crosses the API about rewards: an allocation asked by a service, a customer's rewards and catalogue."""

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from services.kit.money import Money, NonNegativeMoney


class RewardStatus(StrEnum):
    USABLE = "usable"
    RESERVED = "reserved"
    REDEEMED = "redeemed"
    EXPIRED = "expired"
    VOIDED = "voided"


class PurchaseSource(StrEnum):
    LIVE = "live"
    IMPORT = "import"


class AllocationRequest(BaseModel):
    """A recorded bill, offered for a reward by the service that recorded it."""

    model_config = ConfigDict(extra="forbid")

    purchase_id: int = Field(ge=1, le=2**62)
    customer_id: int | None = Field(default=None, ge=1, le=2**62, description="None for a guest sale.")
    source: PurchaseSource
    base_total: NonNegativeMoney = Field(description="The bill's total after discounts, in the base currency.")
    recorded_at: AwareDatetime = Field(description="When the bill was recorded: the program version in force then.")


class RewardEarned(BaseModel):
    """A reward as the purchase that earned it shows it."""

    token: str
    product_id: int
    sku: str | None
    category: int
    percent: int
    expires_at: datetime


class AllocationPublic(BaseModel):
    purchase_id: int
    reward: RewardEarned | None = Field(description="The bill's reward (made now or before), or none.")


class RewardPublic(BaseModel):
    id: int
    token: str
    customer_id: int
    product_id: int
    purchase_id: int | None = Field(description="The bill that earned it; none for a target's gift.")
    target_id: int | None = Field(None, description="The target whose achievement gave it, for a gift.")
    category: int
    percent: int
    program_version: int
    status: RewardStatus
    allocated_at: datetime
    expires_at: datetime
    redeemed_at: datetime | None
    voided_at: datetime | None
    expired_at: datetime | None


class RewardsPublic(BaseModel):
    items: list[RewardPublic]
    next_cursor: str | None = None


class ProductReward(BaseModel):
    """The signed-in customer's usable reward on a product."""

    percent: int
    expires_at: datetime


class CatalogueProduct(BaseModel):
    id: int
    sku: str
    name: str
    brand: str | None
    category: str | None
    currency: str
    unit_price: Money
    reward: ProductReward | None


class RewardClaims(BaseModel):
    """How much of what the customer earned they have claimed: redeemed over earned (voided ones left out)."""

    earned: int
    claimed: int
    claimed_share: Decimal | None = Field(description="claimed / earned to 4 places; none before the first reward.")


class RewardCataloguePage(BaseModel):
    items: list[CatalogueProduct]
    next_cursor: str | None = None
    claims: RewardClaims
