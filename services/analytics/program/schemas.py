"""The loyalty effectiveness reports' parameters."""

from enum import StrEnum

DEFAULT_LIMIT = 100
DEFAULT_LIFT_DAYS = 90
DEFAULT_CLAIM_DAYS = 7


class PeriodGrain(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


class RewardDimension(StrEnum):
    CATEGORY = "category"
    PRODUCT = "product"


class Trend(StrEnum):
    TRENDING = "trending"
    LEAST = "least"


LIFT_METHOD = (
    "Matched comparison per period of first redemption. Redeemers of a period are the customers whose first "
    "redemption (of a reward still redeemed) falls in it; their anchor is that day. Comparables of the period are "
    "the customers who bought in it and had redeemed nothing up to {days} days after its end; their anchor is "
    "their first purchase day in it. For everyone, spend before is what their recorded bills came to (base "
    "currency, net of returns) in the {days} days before the anchor, spend after in the {days} days from the "
    "anchor on (the anchor day included). Figures are means per customer (customers who spent nothing count as "
    "0.00); lift is after minus before, and lift_difference is the redeemers' lift minus the comparables'."
)
