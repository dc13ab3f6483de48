"""Redemption, the saga of SPEC §3.1: reserve before the bill, confirm from its event, release only behind
the customer service's fence, give back when the bill is cancelled whole.

Every step locks the bill (``rewards.repository.lock_purchase``) before anything else, so the steps of
one bill (its reservation, its confirmation, a release, a cancellation, its own reward) run one at a
time, whichever arrives first.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.loyalty import RewardRedeemed, RewardReinstated, RewardReleased
from services.kit.clock import utcnow
from services.kit.errors import Conflict, InvalidInput
from services.loyalty.outbox import outbox
from services.loyalty.program.service import program_at
from services.loyalty.redemptions import repository
from services.loyalty.redemptions.rules import TokenFacts, reservation_deadline, token_refusal
from services.loyalty.rewards.repository import lock_purchase
from services.loyalty.rewards.service import reward_facts
from services.loyalty.wallet import service as wallet
from services.loyalty.wallet.rules import points_value


@dataclass(frozen=True)
class Ask:
    """What a bill asks to use, before it is recorded: a reward's token, points, or both."""

    purchase_id: int
    customer_id: int
    reward_token: str | None
    points: int
    product_ids: frozenset[int]


@dataclass(frozen=True)
class Reservation:
    """A reservation as its bill needs it: its state, the reward it holds (or None) and the points."""

    row: Any
    reward: Any


async def reserve(session: AsyncSession, ask: Ask, *, hold_for: timedelta) -> Reservation:
    """Hold what the bill asks for until its event confirms it; idempotent by purchase id.

    A token that does not apply is a 422 naming ``body.reward_token`` and why; asking again for a bill
    whose reservation was released (the bill was fenced off) is a 409.
    """
    await lock_purchase(session, ask.purchase_id)
    existing = await repository.find(session, ask.purchase_id)
    if existing is not None:
        return await _same_reservation(session, existing, ask)
    now = utcnow()
    held = await _hold_reward(session, ask, now) if ask.reward_token is not None else None
    value = Decimal("0.00")
    if ask.points:
        program = await program_at(session, now)
        value = points_value(ask.points, program.settings.points_per_currency_unit)
        await wallet.spend_for_purchase(
            session, customer_id=ask.customer_id, purchase_id=ask.purchase_id, points=ask.points, at=now
        )
    row = await repository.insert_reservation(
        session,
        {
            "purchase_id": ask.purchase_id,
            "customer_id": ask.customer_id,
            "reward_id": held.id if held is not None else None,
            "points": ask.points,
            "points_value": value,
            "reserved_at": now,
            "deadline": reservation_deadline(now, hold_for),
        },
    )
    return Reservation(row, held)


async def _same_reservation(session: AsyncSession, existing: Any, ask: Ask) -> Reservation:
    if existing.status == "released":
        raise Conflict(f"purchase {ask.purchase_id} was abandoned and its reservation released; record a new bill")
    held = (await repository.rewards_of(session, [existing.reward_id])).get(existing.reward_id)
    same = (
        existing.customer_id == ask.customer_id
        and existing.points == ask.points
        and (held.token if held is not None else None) == ask.reward_token
    )
    if not same:
        raise Conflict(f"purchase {ask.purchase_id} has reserved something else already")
    return Reservation(existing, held)


async def _hold_reward(session: AsyncSession, ask: Ask, now: datetime) -> Any:
    assert ask.reward_token is not None
    found = await repository.reward_by_token(session, ask.reward_token)
    facts = None
    if found is not None:
        facts = TokenFacts(
            found.customer_id, found.product_id, found.status, found.expires_at, found.reserved_purchase_id
        )
    refusal = token_refusal(facts, customer_id=ask.customer_id, product_ids=ask.product_ids, now=now)
    if refusal is not None:
        raise InvalidInput(f"reward_token: {refusal['message']}", errors=[refusal])
    return await repository.move_reward(
        session,
        found.id,
        where={"status": "usable"},
        values={"status": "reserved", "reserved_purchase_id": ask.purchase_id},
    )


async def confirm(session: AsyncSession, purchase_id: int, *, at: datetime) -> bool:
    """The bill exists (its event came, or the fence found it): what it reserved is spent. False if nothing was open.

    The caller holds the bill's lock.
    """
    row = await _settle_open(session, purchase_id, "confirmed", at)
    if row is None:
        return False
    if row.reward_id is not None:
        redeemed = await repository.move_reward(
            session,
            row.reward_id,
            where={"status": "reserved", "reserved_purchase_id": purchase_id},
            values={
                "status": "redeemed",
                "reserved_purchase_id": None,
                "redeemed_purchase_id": purchase_id,
                "redeemed_at": at,
            },
        )
        if redeemed is not None:
            event = RewardRedeemed(**reward_facts(redeemed), redeemed_purchase_id=purchase_id, redeemed_at=at)
            await outbox.add(session, event)
    return True


async def _settle_open(session: AsyncSession, purchase_id: int, status: str, at: datetime) -> Any:
    """End the bill's reservation as ``status`` if it is still open; the reservation as it was, or None."""
    row = await repository.find(session, purchase_id, lock=True)
    if row is None or row.status != "reserved":
        return None
    await repository.settle(session, purchase_id, status, at)
    return row


async def release(session: AsyncSession, purchase_id: int, *, at: datetime) -> bool:
    """Free what the bill reserved. Only once the customer service's fence says the bill can never be
    recorded; False if nothing was open."""
    await lock_purchase(session, purchase_id)
    row = await _settle_open(session, purchase_id, "released", at)
    if row is None:
        return False
    if row.reward_id is not None:
        freed = await repository.move_reward(
            session,
            row.reward_id,
            where={"status": "reserved", "reserved_purchase_id": purchase_id},
            values={"status": "usable", "reserved_purchase_id": None},
        )
        if freed is not None:
            await outbox.add(
                session, RewardReleased(**reward_facts(freed), released_purchase_id=purchase_id, released_at=at)
            )
    if row.points:
        await wallet.refund_purchase(session, purchase_id=purchase_id, reason="the bill was never recorded", at=at)
    return True


async def give_back(session: AsyncSession, purchase_id: int, *, cancelled_at: datetime) -> None:
    """A wholly cancelled bill gives back what it redeemed: its reward if not expired yet, its points (as
    refunds, each with the expiry of the points it gives back).

    The cancellation may come before loyalty has seen the bill's event: the bill existed, so its
    reservation is confirmed first. The caller holds the bill's lock.
    """
    now = utcnow()
    await confirm(session, purchase_id, at=cancelled_at)
    row = await repository.find(session, purchase_id, lock=True)
    if row is None or row.status != "confirmed":
        return
    await repository.settle(session, purchase_id, "cancelled", now)
    if row.reward_id is not None:
        spent = await repository.reward_by_id(session, row.reward_id)
        # Given back only if this bill spent it and it has not expired meanwhile (then it stays spent).
        if spent.status == "redeemed" and spent.redeemed_purchase_id == purchase_id and spent.expires_at > now:
            back = await repository.move_reward(
                session,
                row.reward_id,
                where={"status": "redeemed"},
                values={"status": "usable", "redeemed_purchase_id": None, "redeemed_at": None},
            )
            event = RewardReinstated(**reward_facts(back), cancelled_purchase_id=purchase_id, reinstated_at=now)
            await outbox.add(session, event)
    if row.points:
        await wallet.refund_purchase(session, purchase_id=purchase_id, reason="the bill was cancelled", at=now)


async def postpone(session: AsyncSession, purchase_id: int, *, until: datetime) -> None:
    await repository.postpone(session, purchase_id, until)


async def due(session: AsyncSession, *, now: datetime, limit: int) -> list[int]:
    return await repository.due(session, now, limit=limit)
