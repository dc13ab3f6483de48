"""What crosses the API about levels and groups: a month, a level run, customers' levels and groups."""

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from services.kit.money import Money
from services.loyalty.levels.rules import Group
from services.loyalty.program.rules import LevelThresholds

_MONTH = re.compile(r"^(\d{4})-(\d{2})(?:-01)?$")


def _month(value: Any) -> Any:
    """``2026-10`` or ``2026-10-01``: the first day of the month; any other day is refused."""
    if isinstance(value, date):
        if value.day != 1:
            raise ValueError("must be a month (YYYY-MM) or its first day")
        return value
    match = _MONTH.match(value) if isinstance(value, str) else None
    if match is None:
        raise ValueError("must be a month (YYYY-MM) or its first day")
    year, month = int(match[1]), int(match[2])
    if not (1 <= month <= 12 and 1 <= year <= 9999):
        raise ValueError("must be a month (YYYY-MM) or its first day")
    return date(year, month, 1)


Month = Annotated[
    date,
    BeforeValidator(_month),
    WithJsonSchema({"type": "string", "pattern": r"^\d{4}-\d{2}(-01)?$", "examples": ["2026-10"]}),
]
Level = Annotated[int, Field(ge=0, le=5)]
Band = Annotated[int, Field(ge=1, le=4, description="The band b: promotion from the (10 − b)/10 quantile.")]


class LevelRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: Month = Field(description="The month to compute, `YYYY-MM`.")


class LevelCount(BaseModel):
    level: int | None = Field(description="None: a volume strictly between 0 and 1 (no level).")
    customers: int
    volume: Money


class LevelRunPublic(BaseModel):
    """One computation of a month's levels: the thresholds it used and how many customers it placed."""

    id: int
    month: date
    computed_at: datetime
    program_version: int
    thresholds: list[LevelThresholds]
    customers: int
    levels: list[LevelCount] = Field(default_factory=list, description="Customers and volume per level.")


class LevelRunsPublic(BaseModel):
    items: list[LevelRunPublic]
    next_cursor: str | None = None


class CustomerLevelPublic(BaseModel):
    """A customer's level in a run, with the month's figures it was computed from."""

    customer_id: int
    level: int | None
    volume: Money
    orders: int
    brands: int
    own_brand_volume: Money
    self_orders: int
    assisted_orders: int
    city: str | None
    home_store_id: int | None


class CustomerLevelsPublic(BaseModel):
    run_id: int
    month: date
    items: list[CustomerLevelPublic]
    next_cursor: str | None = None


class LevelGroups(BaseModel):
    """One level's groups: the quantiles (linear interpolation, as PostgreSQL's ``percentile_cont``) and sizes."""

    level: int
    customers: int
    volume: Money
    retention_to: float = Field(description="The b/10 quantile: volumes at or below it are in retention.")
    promotion_from: float = Field(description="The (10 − b)/10 quantile: volumes at or above it (not in retention).")
    promotion: int
    consistent: int
    retention: int
    promotion_volume: Money
    retention_volume: Money


class GroupsPublic(BaseModel):
    run_id: int
    month: date
    band: int
    levels: list[LevelGroups]


class GroupMemberPublic(BaseModel):
    customer_id: int
    level: int
    volume: Money
    group: Group
    city: str | None
    home_store_id: int | None


class GroupMembersPublic(BaseModel):
    run_id: int
    month: date
    band: int
    items: list[GroupMemberPublic]
    next_cursor: str | None = None
