"""What crosses the API about budget allocations: the request, a run with its levels, and its customers' shares."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from services.kit.money import Money, NonNegativeMoney
from services.loyalty.levels.schemas import Band, Level, Month

ShareGroup = Literal["promotion", "retention", "level0"]


def _distinct_sorted(levels: list[int]) -> list[int]:
    if len(set(levels)) != len(levels):
        raise ValueError("must not repeat a level")
    return sorted(levels)


class BudgetRunCreate(BaseModel):
    """A month's marketing budget to allocate."""

    model_config = ConfigDict(extra="forbid")

    month: Month = Field(description="The month, `YYYY-MM`: its latest level run is used (computed now if none).")
    band: Band
    amount: NonNegativeMoney = Field(description="Shared by levels 1 to 5 in proportion to their volume.")
    level0_amount: NonNegativeMoney = Field(description="Shared equally by the level-0 customers.")
    levels: Annotated[list[Level], AfterValidator(_distinct_sorted)] = Field(
        default_factory=lambda: [0, 1, 2, 3, 4, 5],
        min_length=1,
        max_length=6,
        description="The levels paid (0 to 5); the others' shares are reported unspent. Default: all.",
    )
    city: str | None = Field(None, min_length=1, max_length=200, description="Return only this city's customers.")
    store_id: int | None = Field(None, ge=1, le=2**62, description="Return only this home store's customers.")
    level_run_id: int | None = Field(None, ge=1, description="A level run of the month; none: its latest.")


class BudgetLevelPublic(BaseModel):
    level: int
    selected: bool
    volume: Money
    customers: int
    promotion_customers: int
    consistent_customers: int
    retention_customers: int
    share: Money = Field(description="Its share of the amount by volume (level 0: the level-0 amount).")
    promotion_amount: Money
    retention_amount: Money
    allocated: Money
    unspent: Money = Field(description="Not selected, or an empty promotion or retention group: the whole share.")


class BudgetRunPublic(BaseModel):
    """One allocation, as stored: its input, the level run it read, and what it allocated and left unspent."""

    id: int
    month: date
    band: int
    amount: Money
    level0_amount: Money
    levels: list[int]
    city: str | None
    store_id: int | None
    level_run_id: int
    computed_at: datetime
    created_by: str
    allocated: Money = Field(description="Of the amount: allocated + unspent = amount.")
    unspent: Money
    level0_allocated: Money = Field(description="Of the level-0 amount: allocated + unspent = level-0 amount.")
    level0_unspent: Money
    per_level: list[BudgetLevelPublic] = Field(default_factory=list, description="Levels 0 to 5.")
    shown_customers: int | None = Field(None, description="The customers the run returns (its city and store).")
    shown_amount: Money | None = Field(None, description="What those customers receive.")


class BudgetRunsPublic(BaseModel):
    items: list[BudgetRunPublic]
    next_cursor: str | None = None


class BudgetSharePublic(BaseModel):
    customer_id: int
    level: int
    group: ShareGroup
    amount: Money
    city: str | None
    home_store_id: int | None


class BudgetSharesPublic(BaseModel):
    run_id: int
    items: list[BudgetSharePublic]
    next_cursor: str | None = None
