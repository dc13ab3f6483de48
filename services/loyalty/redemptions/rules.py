"""The redemption rules of SPEC §3.1 as pure functions: may this token discount this bill, and until when
may a reservation wait for its bill."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta

from services.kit.errors import FieldError

REWARD_FIELD = "body.reward_token"


@dataclass(frozen=True)
class TokenFacts:
    """A reward as found by its token, locked."""

    customer_id: int
    product_id: int
    status: str
    expires_at: datetime
    reserved_purchase_id: int | None


def token_refusal(
    reward: TokenFacts | None, *, customer_id: int | None, product_ids: Collection[int], now: datetime
) -> FieldError | None:
    """Why the token cannot discount this bill (a field error on ``body.reward_token``), or None if it can.

    A token held by the asking bill itself is found before this is asked (the reservation is idempotent).
    """
    if reward is None:
        return FieldError(REWARD_FIELD, "no reward has this token", "unknown")
    if customer_id is None or reward.customer_id != customer_id:
        return FieldError(REWARD_FIELD, "the reward belongs to another customer", "not_yours")
    if reward.status == "redeemed":
        return FieldError(REWARD_FIELD, "the reward has been redeemed already", "redeemed")
    if reward.status == "voided":
        return FieldError(REWARD_FIELD, "the reward was voided: the bill that earned it was cancelled", "voided")
    if reward.status == "expired" or reward.expires_at <= now:
        return FieldError(REWARD_FIELD, f"the reward expired at {reward.expires_at.isoformat()}", "expired")
    if reward.status == "reserved":
        return FieldError(REWARD_FIELD, "the reward is reserved by another bill", "reserved")
    if reward.product_id not in product_ids:
        return FieldError(
            REWARD_FIELD, f"the reward is for product {reward.product_id}, which is not on the bill", "not_on_bill"
        )
    return None


def reservation_deadline(reserved_at: datetime, timeout: timedelta) -> datetime:
    """When an unconfirmed reservation is looked into: past it, the bill is fenced off and, if absent, released."""
    return reserved_at + timeout
