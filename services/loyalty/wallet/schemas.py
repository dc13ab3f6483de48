"""What crosses the API about wallets: a wallet as its customer sees it, its entries, and the writes to it."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.kit.money import Money

MAX_POINTS = 10_000_000


def _not_zero(points: int) -> int:
    if points == 0:
        raise ValueError("must not be zero")
    return points


class WalletEntryKind(StrEnum):
    EARN = "earn"
    SPEND = "spend"
    EXPIRE = "expire"
    ADJUST = "adjust"
    REFUND = "refund"


Reason = Annotated[str, Field(min_length=1, max_length=500)]


class AdjustmentCreate(BaseModel):
    """A staff correction of a wallet: points added (a lot that expires) or taken (oldest first)."""

    model_config = ConfigDict(extra="forbid")

    points: Annotated[int, Field(ge=-MAX_POINTS, le=MAX_POINTS), AfterValidator(_not_zero)] = Field(
        description="Points to add (positive) or take (negative); never zero."
    )
    reason: Reason = Field(description="Why: kept in the wallet's history.")


class EarningCreate(BaseModel):
    """Points a customer earned (a completed target, say), credited once per source."""

    model_config = ConfigDict(extra="forbid")

    customer_id: int = Field(ge=1, le=2**62)
    points: int = Field(gt=0, le=MAX_POINTS)
    reason: Reason
    source: str = Field(
        min_length=1,
        max_length=200,
        description="What earned the points (`target:12:customer:7`): a source earns once, asking again returns it.",
    )


class WalletEntryPublic(BaseModel):
    id: int
    customer_id: int
    kind: WalletEntryKind
    points: int = Field(description="Positive: points credited (a lot that expires); negative: points taken.")
    reason: str
    source: str
    purchase_id: int | None
    lot_id: int | None = Field(description="An expiry: the lot it expires; a refund: the lot it gives back to.")
    expires_at: datetime | None = Field(description="When the points of a positive entry expire.")
    created_at: datetime


class WalletEntriesPublic(BaseModel):
    items: list[WalletEntryPublic]
    next_cursor: str | None = None


class WalletPublic(BaseModel):
    """A wallet as its customer sees it now: points past their expiry are gone already."""

    customer_id: int
    balance: int = Field(description="The points the customer can spend.")
    value: Money = Field(description="What they are worth when spent, rounded down to the cent.")
    currency: str
    points_per_currency_unit: int
    next_expiry: datetime | None = Field(description="When the next points expire; none when the wallet is empty.")
    expiring_points: int = Field(description="How many points expire then.")
