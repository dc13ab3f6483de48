"""The loyalty service's event contracts: what happens to rewards and wallets, with what reports need.

Every reward event names the reward, its customer, the product it discounts, its category and
percent, the bill that earned it (a target's gift names its target instead), the program version it
was made under and its times. The token itself never travels: it is the customer's to spend, not an
analytic fact.

A customer reaching a monthly target is announced once, with the target, the volume that reached
it and what it credited.

Every wallet entry is announced once, with the balance it left; its free-text reason stays behind
(staff may write personal details in it).
"""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Literal

from services.kit.events import EventCatalog, EventPayload

AllocatedBy = Literal["call", "event", "target"]
WalletEntryKind = Literal["earn", "spend", "expire", "adjust", "refund"]


class RewardFacts(EventPayload):
    """What every reward event carries, so a report never has to look a reward up."""

    aggregate = "reward"

    reward_id: int
    customer_id: int
    product_id: int
    category: int
    percent: int
    purchase_id: int | None  # none for a target's gift, which names its target instead
    program_version: int
    allocated_at: datetime
    expires_at: datetime
    target_id: int | None = None


class RewardAllocated(RewardFacts):
    """A live bill earned a reward (from the purchase call or its event), or a reached target gave its gift.

    ``allocated_by`` says which: ``call``, ``event`` or ``target`` (a gift: category 0, no bill, its target).
    """

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


class WalletEntryWritten(EventPayload):
    """One entry written to a customer's wallet (points earned, spent, expired, adjusted or refunded).

    A positive entry is a lot of points with its expiry; an expiry names the lot it expires (a
    refund, the lot it gives back to). ``seq`` counts along the customer's wallet, so the latest
    event's ``balance_after`` is the balance.
    """

    event_type = "wallet.entry"
    aggregate = "wallet"
    aggregate_field = "customer_id"

    entry_id: int
    customer_id: int
    kind: WalletEntryKind
    points: int
    balance_after: int
    purchase_id: int | None = None
    lot_id: int | None = None
    expires_at: datetime | None = None
    source: str
    created_at: datetime


class TargetAchieved(EventPayload):
    """A customer's month-to-date volume of live purchases reached their target of a target run, once.

    ``reward_id`` is the gift credited (none when the run gives no gift), ``points`` the wallet points
    credited (0 when it gives none).
    """

    event_type = "target.achieved"
    aggregate = "target"

    target_id: int
    run_id: int
    customer_id: int
    month: date
    target: Decimal
    volume: Decimal
    achieved_at: datetime
    reward_id: int | None = None
    points: int = 0


catalog = EventCatalog(
    "loyalty",
    [
        RewardAllocated,
        RewardRedeemed,
        RewardReleased,
        RewardReinstated,
        RewardVoided,
        RewardExpired,
        WalletEntryWritten,
        TargetAchieved,
    ],
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
        WalletEntryWritten(
            entry_id=88,
            customer_id=301,
            kind="spend",
            points=-250,
            balance_after=1250,
            purchase_id=57,
            source="purchase:57",
            created_at=datetime(2024, 3, 20, 16, 30, tzinfo=UTC),
        ),
        TargetAchieved(
            target_id=512,
            run_id=4,
            customer_id=301,
            month=date(2024, 3, 1),
            target=Decimal("1331.00"),
            volume=Decimal("1354.20"),
            achieved_at=datetime(2024, 3, 18, 15, 2, tzinfo=UTC),
            reward_id=97,
            points=500,
        ),
    ]
}
"""One example payload per event type: the examples of docs/events.md."""
