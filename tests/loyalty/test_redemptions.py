"""Reserving a reward for a bill against PostgreSQL: a token that does not apply is refused naming why;
the reservation is idempotent by purchase id, confirmed by the purchase event, released only when asked
behind the fence, and a whole cancellation gives the reward back, whichever of its events comes first."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.customer import PurchaseCancelled, PurchaseLineAmounts, PurchaseRecorded
from services.kit.consumer import Event
from services.kit.db import create_engine
from services.loyalty.redemptions import service as redemptions
from services.loyalty.rewards.events import on_purchases_cancelled, on_purchases_recorded
from tests.loyalty.conftest import ADMIN, MANAGER, allocation, put_products, shopper
from tests.support.problems import assert_problem

ALLOCATIONS = "/api/v1/loyalty/rewards/allocations"
RESERVE = "/api/v1/loyalty/redemptions"


async def earn(loyalty: Any, db: asyncpg.Connection, purchase_id: int = 1, customer_id: int = 7) -> dict[str, Any]:
    """A 20 % reward on product 1 for ``customer_id``, earned by bill ``purchase_id``."""
    await put_products(db, [(1, "SKU-A", "active", 0, 0), (2, "SKU-B", "active", 50, 0)])
    response = await loyalty.post(ALLOCATIONS, json=allocation(purchase_id, "600.00", customer_id=customer_id))
    reward = response.json()["reward"]
    assert reward["product_id"] == 1 and reward["percent"] == 20, response.text
    return dict(reward)


def reservation(
    purchase_id: int, token: str | None, *, customer_id: int = 7, products: list[int] | None = None
) -> dict[str, Any]:
    return {
        "purchase_id": purchase_id,
        "customer_id": customer_id,
        "reward_token": token,
        "product_ids": products or [1, 2],
    }


async def reward_row(db: asyncpg.Connection, token: str) -> asyncpg.Record:
    return await db.fetchrow("SELECT * FROM loyalty.reward WHERE token = $1", token)


async def outbox(db: asyncpg.Connection, event_type: str) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT payload FROM loyalty.event_outbox WHERE type = $1 ORDER BY id", event_type)
    return [json.loads(row["payload"]) for row in rows]


def _event(payload: Any, seq: int) -> Event[Any]:
    return Event(
        id=uuid.uuid4(),
        aggregate_id=f"purchase:{payload.purchase_id}",
        seq=seq,
        occurred_at=datetime.now(UTC),
        payload=payload,
    )


def recorded(purchase_id: int, token: str | None, *, customer_id: int = 7) -> Event[PurchaseRecorded]:
    line = PurchaseLineAmounts(
        line_id=purchase_id * 10,
        line_no=1,
        product_id=1,
        quantity=1,
        base_unit_price=Decimal("300.00"),
        local_unit_price=Decimal("300.00"),
        base_discount=Decimal("60.00"),
        local_discount=Decimal("60.00"),
        base_total=Decimal("240.00"),
        local_total=Decimal("240.00"),
    )
    bill = PurchaseRecorded(
        purchase_id=purchase_id,
        number=None,
        customer_id=customer_id,
        store_id=0,
        channel="self",
        source="live",
        currency="USD",
        base_currency="USD",
        rate=Decimal(1),
        purchased_at=datetime.now(UTC),
        reward_token=token,
        base_total=Decimal("240.00"),
        local_total=Decimal("240.00"),
        base_discount=Decimal("60.00"),
        local_discount=Decimal("60.00"),
        lines=[line],
    )
    return _event(bill, 1)


def cancelled(purchase_id: int, *, customer_id: int = 7) -> Event[PurchaseCancelled]:
    bill = PurchaseCancelled(
        purchase_id=purchase_id,
        customer_id=customer_id,
        source="live",
        cancelled_at=datetime.now(UTC),
        base_amount=Decimal("240.00"),
        local_amount=Decimal("240.00"),
    )
    return _event(bill, 2)


async def deliver(database_url: str, *events: Event[Any]) -> None:
    """Hand events to the rewards consumer's handlers, one transaction each, in the order given."""
    engine = create_engine(database_url)
    try:
        for event in events:
            handler = on_purchases_recorded if isinstance(event.payload, PurchaseRecorded) else on_purchases_cancelled
            async with AsyncSession(engine) as session, session.begin():
                await handler(session, [event])
    finally:
        await engine.dispose()


async def test_a_usable_token_on_a_bill_with_its_product_is_reserved_once_by_purchase_id(loyalty, db):
    reward = await earn(loyalty, db)
    first = await loyalty.post(RESERVE, json=reservation(50, reward["token"]))
    assert first.status_code == 200, first.text
    held = first.json()
    assert held["status"] == "reserved" and held["points"] == 0 and held["points_value"] == "0.00"
    assert (held["reward"]["product_id"], held["reward"]["percent"]) == (1, 20)
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["reserved_purchase_id"]) == ("reserved", 50)

    again = await loyalty.post(RESERVE, json=reservation(50, reward["token"]))
    assert again.status_code == 200 and again.json() == held
    other = await loyalty.post(RESERVE, json=reservation(50, None) | {"points": 100})
    assert_problem(other, 409, "conflict")
    assert await db.fetchval("SELECT count(*) FROM loyalty.redemption") == 1


@pytest.mark.parametrize(
    ("case", "code"),
    [
        ("unknown", "unknown"),
        ("another customer's", "not_yours"),
        ("expired", "expired"),
        ("reserved by another bill", "reserved"),
        ("redeemed", "redeemed"),
        ("voided", "voided"),
        ("its product not on the bill", "not_on_bill"),
    ],
)
async def test_a_token_that_does_not_apply_is_a_422_naming_the_field_and_why(loyalty, db, case, code):
    reward = await earn(loyalty, db)
    token, body = reward["token"], reservation(60, reward["token"])
    if case == "unknown":
        body["reward_token"] = "no-such-token"
    elif case == "another customer's":
        body["customer_id"] = 8
    elif case == "expired":
        await db.execute("UPDATE loyalty.reward SET expires_at = now() - interval '1 second' WHERE token = $1", token)
    elif case == "reserved by another bill":
        assert (await loyalty.post(RESERVE, json=reservation(59, token))).status_code == 200
    elif case == "redeemed":
        await db.execute("UPDATE loyalty.reward SET status = 'redeemed' WHERE token = $1", token)
    elif case == "voided":
        await db.execute("UPDATE loyalty.reward SET status = 'voided' WHERE token = $1", token)
    else:
        body["product_ids"] = [2]
    before = dict(await reward_row(db, token))
    refused = await loyalty.post(RESERVE, json=body)
    assert_problem(refused, 422, "validation", ["body.reward_token"])
    (error,) = refused.json()["errors"]
    assert (error["field"], error["code"]) == ("body.reward_token", code), refused.text
    assert dict(await reward_row(db, token)) == before  # nothing changed
    assert await db.fetchval("SELECT count(*) FROM loyalty.redemption WHERE purchase_id = 60") == 0


async def test_bad_reservations_are_refused_naming_the_field_and_only_services_may_reserve(loyalty, db):
    reward = await earn(loyalty, db)
    cases = [
        (reservation(61, None), "body"),
        (reservation(61, reward["token"]) | {"product_ids": []}, "body.product_ids"),
        (reservation(61, reward["token"]) | {"points": 0}, "body.points"),
        (reservation(0, reward["token"]), "body.purchase_id"),
    ]
    for body, field in cases:
        response = await loyalty.post(RESERVE, json=body)
        assert_problem(response, 422, "validation")
        assert any(e["field"].startswith(field) for e in response.json()["errors"]), response.text
    for principal in (ADMIN, MANAGER, shopper(7)):
        refused = await loyalty.as_principal(principal).post(RESERVE, json=reservation(61, reward["token"]))
        assert_problem(refused, 403, "forbidden")
    assert (await reward_row(db, reward["token"]))["status"] == "usable"


async def test_the_purchase_event_redeems_the_reserved_reward_once(loyalty, db, database_url):
    reward = await earn(loyalty, db)
    assert (await loyalty.post(RESERVE, json=reservation(70, reward["token"]))).status_code == 200
    await deliver(database_url, recorded(70, reward["token"]), recorded(70, reward["token"]))
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["redeemed_purchase_id"], row["reserved_purchase_id"]) == ("redeemed", 70, None)
    (redeemed,) = await outbox(db, "reward.redeemed")
    assert (redeemed["reward_id"], redeemed["redeemed_purchase_id"]) == (row["id"], 70)
    assert await db.fetchval("SELECT status FROM loyalty.redemption WHERE purchase_id = 70") == "confirmed"
    spent_again = await loyalty.post(RESERVE, json=reservation(71, reward["token"]))
    assert spent_again.json()["errors"][0]["code"] == "redeemed"


async def test_a_released_reservation_frees_the_token_and_its_purchase_id_is_dead(loyalty, db, database_url):
    reward = await earn(loyalty, db)
    assert (await loyalty.post(RESERVE, json=reservation(80, reward["token"]))).status_code == 200
    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            assert await redemptions.release(session, 80, at=datetime.now(UTC)) is True
        async with AsyncSession(engine) as session, session.begin():
            assert await redemptions.release(session, 80, at=datetime.now(UTC)) is False  # once
    finally:
        await engine.dispose()
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["reserved_purchase_id"]) == ("usable", None)
    (released,) = await outbox(db, "reward.released")
    assert released["released_purchase_id"] == 80
    assert_problem(await loyalty.post(RESERVE, json=reservation(80, reward["token"])), 409, "conflict")
    assert (await loyalty.post(RESERVE, json=reservation(81, reward["token"]))).status_code == 200


async def test_a_whole_cancellation_gives_back_the_redeemed_reward_unless_it_expired(loyalty, db, database_url):
    reward = await earn(loyalty, db)
    assert (await loyalty.post(RESERVE, json=reservation(90, reward["token"]))).status_code == 200
    await deliver(database_url, recorded(90, reward["token"]), cancelled(90), cancelled(90))
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["redeemed_purchase_id"]) == ("usable", None)
    (back,) = await outbox(db, "reward.reinstated")
    assert back["cancelled_purchase_id"] == 90
    assert await db.fetchval("SELECT status FROM loyalty.redemption WHERE purchase_id = 90") == "cancelled"

    # Redeemed again, by bill 91; it expires; then bill 91 is cancelled: the reward stays spent.
    assert (await loyalty.post(RESERVE, json=reservation(91, reward["token"]))).status_code == 200
    await deliver(database_url, recorded(91, reward["token"]))
    await db.execute(
        "UPDATE loyalty.reward SET expires_at = now() - interval '1 second' WHERE token = $1", reward["token"]
    )
    await deliver(database_url, cancelled(91))
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["redeemed_purchase_id"]) == ("redeemed", 91)
    assert len(await outbox(db, "reward.reinstated")) == 1


async def test_a_cancellation_that_arrives_before_the_purchase_event_still_gives_the_reward_back(
    loyalty, db, database_url
):
    reward = await earn(loyalty, db)
    assert (await loyalty.post(RESERVE, json=reservation(95, reward["token"]))).status_code == 200
    await deliver(database_url, cancelled(95), recorded(95, reward["token"]))
    row = await reward_row(db, reward["token"])
    assert (row["status"], row["reserved_purchase_id"], row["redeemed_purchase_id"]) == ("usable", None, None)
    assert [e["redeemed_purchase_id"] for e in await outbox(db, "reward.redeemed")] == [95]
    assert [e["cancelled_purchase_id"] for e in await outbox(db, "reward.reinstated")] == [95]
    # The late purchase event neither redeems it again nor earns the cancelled bill a reward.
    assert await db.fetchval("SELECT count(*) FROM loyalty.reward WHERE purchase_id = 95") == 0
    assert await db.fetchval("SELECT status FROM loyalty.redemption WHERE purchase_id = 95") == "cancelled"


EARNINGS = "/api/v1/loyalty/wallet/earnings"


async def credit(loyalty: Any, points: int, *, customer_id: int = 7, source: str = "gift:1") -> None:
    body = {"customer_id": customer_id, "points": points, "reason": "a gift", "source": source}
    response = await loyalty.post(EARNINGS, json=body)
    assert response.status_code == 201, response.text


async def wallet_of(db: asyncpg.Connection, customer_id: int = 7) -> tuple[int, int, list[tuple[str, int]]]:
    """The wallet's balance, the sum of its entries, and its entries (kind, points) in order."""
    balance = await db.fetchval("SELECT balance FROM loyalty.wallet WHERE customer_id = $1", customer_id)
    rows = await db.fetch(
        "SELECT kind, points FROM loyalty.wallet_entry WHERE customer_id = $1 ORDER BY id", customer_id
    )
    return balance, sum(row["points"] for row in rows), [(row["kind"], row["points"]) for row in rows]


async def test_points_are_reserved_by_spending_them_at_the_programs_value_and_released_as_a_refund(
    loyalty, db, database_url
):
    await credit(loyalty, 1_000)
    body = reservation(100, None) | {"points": 250}
    held = await loyalty.post(RESERVE, json=body)
    assert held.status_code == 200, held.text
    assert (held.json()["points"], held.json()["points_value"], held.json()["reward"]) == (250, "2.50", None)
    assert (await loyalty.post(RESERVE, json=body)).json() == held.json()  # asked again: spent once
    assert await wallet_of(db) == (750, 750, [("earn", 1_000), ("spend", -250)])

    too_many = await loyalty.post(RESERVE, json=reservation(101, None) | {"points": 751})
    assert_problem(too_many, 422, "validation", ["body.points"])
    assert too_many.json()["errors"][0]["code"] == "insufficient_points"
    assert await db.fetchval("SELECT count(*) FROM loyalty.redemption WHERE purchase_id = 101") == 0

    engine = create_engine(database_url)
    try:
        async with AsyncSession(engine) as session, session.begin():
            assert await redemptions.release(session, 100, at=datetime.now(UTC))
    finally:
        await engine.dispose()
    assert await wallet_of(db) == (1_000, 1_000, [("earn", 1_000), ("spend", -250), ("refund", 250)])


async def test_a_whole_cancellation_refunds_the_points_a_bill_spent_also_when_it_comes_first(loyalty, db, database_url):
    reward = await earn(loyalty, db)
    await credit(loyalty, 500)
    for purchase_id in (110, 111):
        both = reservation(purchase_id, reward["token"] if purchase_id == 110 else None) | {"points": 200}
        assert (await loyalty.post(RESERVE, json=both)).status_code == 200
    spent = recorded(110, reward["token"]).payload.model_copy(update={"points_spent": 200})
    await deliver(database_url, _event(spent, 1), cancelled(110))
    late = recorded(111, None).payload.model_copy(update={"points_spent": 200})
    await deliver(database_url, cancelled(111), _event(late, 1))  # the cancellation overtakes the purchase
    balance, total, entries = await wallet_of(db)
    assert (balance, total) == (500, 500)
    assert [kind for kind, _ in entries] == ["earn", "spend", "spend", "refund", "refund"]
    assert (await reward_row(db, reward["token"]))["status"] == "usable"
    statuses = dict(await db.fetch("SELECT purchase_id, status FROM loyalty.redemption"))
    assert statuses == {110: "cancelled", 111: "cancelled"}
    await deliver(database_url, cancelled(110), cancelled(111))  # again: nothing more
    assert (await wallet_of(db))[0] == 500 and len((await wallet_of(db))[2]) == 5
