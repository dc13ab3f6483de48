"""The loyalty service's event contracts: what happens to rewards, with what reward reports need.

Every reward event names the reward, its customer, the product it discounts, its category and
percent, the bill that earned it, the program version it was made under and its times. The token
itself never travels: it is the customer's to spend, not an analytic fact.
"""

from datetime import UTC, datetime
from typing import Literal

from services.kit.events import EventCatalog, EventPayload

AllocatedBy = Literal["call", "event"]


class RewardFacts(EventPayload):
    """What every reward event carries, so a report never has to look a reward up."""

    aggregate = "reward"

    reward_id: int
    customer_id: int
    product_id: int
    category: int
    percent: int
    purchase_id: int
    program_version: int
    allocated_at: datetime
    expires_at: datetime


class RewardAllocated(RewardFacts):
    """A live bill earned a reward: ``allocated_by`` says whether the purchase call or its event made it."""

    event_type = "reward.allocated"

    allocated_by: AllocatedBy


class RewardRedeemed(RewardFacts):
    """The reward discounted a line of ``redeemed_purchase_id``: the bill that reserved it was recorded."""

    event_type = "reward.redeemed"

    redeemed_purchase_id: int
    redeemed_at: datetime


class RewardReleased(RewardFacts):
    """A reserved reward is usable again: the bill that reserved it was never recorded."""

    event_type = "reward.released"

    released_purchase_id: int
    released_at: datetime


class RewardReinstated(RewardFacts):
    """The bill that redeemed the reward was cancelled whole before the reward expired: it is usable again."""

    event_type = "reward.reinstated"

    cancelled_purchase_id: int
    reinstated_at: datetime


class RewardVoided(RewardFacts):
    """The bill that earned the reward was cancelled whole before the reward was redeemed."""

    event_type = "reward.voided"

    voided_at: datetime


class RewardExpired(RewardFacts):
    """The reward reached its expiry unredeemed."""

    event_type = "reward.expired"

    expired_at: datetime


catalog = EventCatalog(
    "loyalty", [RewardAllocated, RewardRedeemed, RewardReleased, RewardReinstated, RewardVoided, RewardExpired]
)

_AT = datetime(2024, 3, 5, 10, 0, tzinfo=UTC)
_EXPIRES = datetime(2024, 6, 3, 10, 0, tzinfo=UTC)
_REWARD = {
    "reward_id": 9,
    "customer_id": 301,
    "product_id": 17,
    "category": 2,
    "percent": 20,
    "purchase_id": 42,
    "program_version": 1,
    "allocated_at": _AT,
    "expires_at": _EXPIRES,
}

EXAMPLES: dict[str, EventPayload] = {
    example.event_type: example
    for example in [
        RewardAllocated(**_REWARD, allocated_by="call"),
        RewardRedeemed(**_REWARD, redeemed_purchase_id=57, redeemed_at=datetime(2024, 3, 20, 16, 30, tzinfo=UTC)),
        RewardReleased(**_REWARD, released_purchase_id=57, released_at=datetime(2024, 3, 20, 16, 45, tzinfo=UTC)),
        RewardReinstated(**_REWARD, cancelled_purchase_id=57, reinstated_at=datetime(2024, 3, 22, 11, 5, tzinfo=UTC)),
        RewardVoided(**_REWARD, voided_at=datetime(2024, 3, 6, 9, 15, tzinfo=UTC)),
        RewardExpired(**_REWARD, expired_at=_EXPIRES),
    ]
}
"""One example payload per event type: the examples of docs/events.md."""
