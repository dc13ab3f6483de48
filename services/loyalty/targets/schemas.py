"""What crosses the API about targets: a run asked for (or scheduled), runs, targets and achievements."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.kit.money import Money, NonNegativeMoney
from services.loyalty.targets.rules import TargetMode

MAX_POINTS = 10_000_000

Level = Annotated[int, Field(ge=0, le=5)]


class TargetRunTerms(BaseModel):
    """What a run sets, for which customers, and what reaching a target gives: all but the month (the
    schedule's setting is exactly this)."""

    model_config = ConfigDict(extra="forbid")

    levels: list[Level] | None = Field(
        None, min_length=1, max_length=6, description="Last month's levels chosen (0 to 5); none: every customer."
    )
    lower: NonNegativeMoney = Field(Decimal("0.00"), description="Last month's volume at least this.")
    upper: NonNegativeMoney | None = Field(None, description="Last month's volume below this; none: no upper limit.")
    mode: TargetMode = Field(description="`percent`: volume × (1 + percent/100); `value`: volume + value.")
    percent: Decimal | None = Field(
        None, ge=0, le=1000, max_digits=6, decimal_places=2, description="With `percent`: 0 sets no target."
    )
    value: NonNegativeMoney | None = Field(None, description="With `value`: 0 sets no target.")
    gift_percent: int | None = Field(None, ge=1, le=100, description="The gift's percent off (with its product).")
    gift_product_id: int | None = Field(None, ge=1, le=2**62, description="The gift's product (with its percent).")
    points: int = Field(0, ge=0, le=MAX_POINTS, description="Wallet points credited on reaching the target.")

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        from services.kit.errors import InvalidInput

        if self.levels is not None and len(set(self.levels)) != len(self.levels):
            raise InvalidInput.field("body.levels", "names a level twice", "unique")
        if self.upper is not None and self.upper <= self.lower:
            raise InvalidInput.field("body.upper", "must be more than lower", "order")
        if self.mode is TargetMode.PERCENT:
            if self.percent is None:
                raise InvalidInput.field("body.percent", "is required with mode percent", "required")
            if self.value is not None:
                raise InvalidInput.field("body.value", "goes with mode value only", "forbidden")
        else:
            if self.value is None:
                raise InvalidInput.field("body.value", "is required with mode value", "required")
            if self.percent is not None:
                raise InvalidInput.field("body.percent", "goes with mode percent only", "forbidden")
        if self.gift_percent is None and self.gift_product_id is not None:
            raise InvalidInput.field("body.gift_percent", "a gift needs its percent and its product", "required")
        if self.gift_product_id is None and self.gift_percent is not None:
            raise InvalidInput.field("body.gift_product_id", "a gift needs its percent and its product", "required")
        return self

    @property
    def amount(self) -> Decimal:
        """The percent or the value, whichever the mode uses."""
        amount = self.percent if self.mode is TargetMode.PERCENT else self.value
        assert amount is not None  # checked above
        return amount


class TargetRunCreate(TargetRunTerms):
    """A target run for a month, from last month's levels and volumes."""

    month: date = Field(description="The first day of the month the targets are for.")

    @model_validator(mode="after")
    def _first_day(self) -> Self:
        from services.kit.errors import InvalidInput

        if self.month.day != 1:
            raise InvalidInput.field("body.month", "must be the first day of a month", "first_day")
        return self


class TargetRunPublic(BaseModel):
    id: int
    month: date
    origin: str = Field(description="`api` or `schedule`.")
    level_run_id: int = Field(description="The level run of last month the run read.")
    levels: list[int] | None
    lower: Money
    upper: Money | None
    mode: TargetMode
    percent: Decimal | None
    value: Money | None
    gift_percent: int | None
    gift_product_id: int | None
    points: int
    targets: int = Field(description="Targets set.")
    achieved: int = Field(description="Targets achieved so far.")
    created_by: str
    created_at: datetime


class TargetRunsPublic(BaseModel):
    items: list[TargetRunPublic]
    next_cursor: str | None = None


class TargetPublic(BaseModel):
    id: int
    run_id: int
    customer_id: int
    month: date
    level: int | None = Field(description="Last month's level.")
    base_volume: Money = Field(description="Last month's volume.")
    target: Money = Field(description="The month's volume of live purchases to reach.")
    gift_percent: int | None
    gift_product_id: int | None
    points: int
    achieved_at: datetime | None
    achieved_volume: Money | None = Field(description="The month-to-date volume that reached the target.")
    reward_id: int | None = Field(description="The gift credited on reaching it.")


class TargetsPublic(BaseModel):
    items: list[TargetPublic]
    next_cursor: str | None = None


class AchievementPublic(BaseModel):
    target_id: int
    run_id: int
    customer_id: int
    month: date
    target: Money
    volume: Money = Field(description="The month-to-date volume of live purchases that reached the target.")
    achieved_at: datetime
    reward_id: int | None = Field(description="The gift reward credited; none when the run gives no gift.")
    points: int = Field(description="Wallet points credited.")
    wallet_entry_id: int | None


class AchievementsPublic(BaseModel):
    items: list[AchievementPublic]
    next_cursor: str | None = None
