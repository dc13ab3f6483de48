"""What crosses the API about redemptions: a bill's reservation asked by the customer service, and its answer."""

from datetime import datetime
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from services.kit.money import Money

MAX_POINTS = 10_000_000

Token = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=128)]


class ReservationRequest(BaseModel):
    """A bill about to be recorded, asking to use a reward's token, wallet points, or both."""

    model_config = ConfigDict(extra="forbid")

    purchase_id: int = Field(ge=1, le=2**62, description="Drawn before the bill's transaction: the saga's key.")
    customer_id: int = Field(ge=1, le=2**62)
    reward_token: Token | None = None
    points: int | None = Field(default=None, ge=1, le=MAX_POINTS)
    product_ids: list[Annotated[int, Field(ge=1, le=2**62)]] = Field(
        min_length=1, max_length=500, description="The products on the bill: a reward applies only to one of them."
    )

    @model_validator(mode="after")
    def asks_for_something(self) -> Self:
        if self.reward_token is None and self.points is None:
            raise ValueError("a reservation needs a reward_token, points, or both")
        return self


class ReservedReward(BaseModel):
    reward_id: int
    product_id: int
    percent: int
    expires_at: datetime


class ReservationPublic(BaseModel):
    purchase_id: int
    status: str = Field(description="reserved, confirmed, released or cancelled.")
    reward: ReservedReward | None
    points: int
    points_value: Money = Field(description="What the points are worth off the bill, in the base currency.")


class SettlementPublic(BaseModel):
    purchase_id: int
    status: str | None = Field(description="The reservation's status once settled (none if the bill had none).")
