"""The loyalty program's settings and their defaults (SPEC §3.1, §3.2, §3.5), checked as a whole."""

from decimal import Decimal
from itertools import pairwise
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from services.kit.money import NonNegativeMoney

Percent = Annotated[int, Field(ge=1, le=100)]
Share = Annotated[Decimal, Field(ge=0, lt=100, max_digits=5, decimal_places=2)]


class LevelThresholds(BaseModel):
    """What a month's figures must reach for a level: each "at least", the self-order share "more than"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level: int = Field(ge=1, le=5)
    volume: NonNegativeMoney
    orders: int = Field(0, ge=0)
    brands: int = Field(0, ge=0)
    own_brand_volume: NonNegativeMoney = Decimal("0.00")
    self_order_share_above: Share | None = Field(
        None, description="Percent of self orders among self and assisted orders that must be exceeded; none: any."
    )


def _level(
    level: int, volume: int, orders: int = 0, brands: int = 0, own: int = 0, share: int | None = None
) -> LevelThresholds:
    return LevelThresholds(
        level=level,
        volume=Decimal(volume),
        orders=orders,
        brands=brands,
        own_brand_volume=Decimal(own),
        self_order_share_above=None if share is None else Decimal(share),
    )


DEFAULT_REWARD_THRESHOLDS = [Decimal(250), Decimal(500), Decimal(750), Decimal(1000), Decimal(1250)]
DEFAULT_REWARD_PERCENTS = [10, 20, 30, 40, 50]
DEFAULT_LEVELS = [
    _level(1, 1),
    _level(2, 10_000, 3, 5),
    _level(3, 20_000, 5, 10, 2_000),
    _level(4, 30_000, 8, 20, 8_000, 30),
    _level(5, 75_000, 12, 40, 15_000, 60),
]


class ProgramSettings(BaseModel):
    """One version of the program. A bill's total (after discounts) above the n-th reward threshold earns
    category n, worth the n-th percent off; the levels are those of SPEC §3.2 unless changed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reward_thresholds: list[NonNegativeMoney] = Field(
        default_factory=lambda: list(DEFAULT_REWARD_THRESHOLDS),
        min_length=1,
        max_length=10,
        description="Bill totals (base currency, after discounts) a bill must exceed for categories 1, 2, ...",
    )
    reward_percents: list[Percent] = Field(
        default_factory=lambda: list(DEFAULT_REWARD_PERCENTS),
        min_length=1,
        max_length=10,
        description="Percent off the rewarded product for categories 1, 2, ... (one per threshold).",
    )
    reward_expiry_days: int = Field(90, ge=1, le=3650, description="Days a reward token stays usable.")
    points_per_currency_unit: int = Field(
        100, ge=1, le=1_000_000, description="Wallet points worth 1.00 in the base currency when spent."
    )
    points_expiry_months: int = Field(12, ge=1, le=120, description="Months after which earned points expire.")
    levels: list[LevelThresholds] = Field(
        default_factory=lambda: list(DEFAULT_LEVELS),
        min_length=5,
        max_length=5,
        description="The thresholds of levels 1 to 5, in order.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        from services.kit.errors import InvalidInput

        thresholds = self.reward_thresholds
        if any(later <= earlier for earlier, later in pairwise(thresholds)):
            raise InvalidInput.field("body.reward_thresholds", "must rise strictly, one per category", "order")
        if len(self.reward_percents) != len(thresholds):
            raise InvalidInput.field("body.reward_percents", "needs one percent per reward threshold", "length")
        if [level.level for level in self.levels] != [1, 2, 3, 4, 5]:
            raise InvalidInput.field("body.levels", "must list levels 1 to 5 in order", "order")
        return self


DEFAULT_PROGRAM = ProgramSettings()
