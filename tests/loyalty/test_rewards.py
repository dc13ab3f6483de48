"""Rewards against PostgreSQL: allocated once per qualifying live bill on the least-selling active product,
voided with a bill cancelled whole, expired by the job, and read by their customer and by staff."""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.consumer import Event
from services.kit.db import create_engine
from tests.loyalty.conftest import ADMIN, CLERK, MANAGER, allocation, put_products, shopper
from tests.support.problems import assert_problem

ALLOCATIONS = "/api/v1/loyalty/rewards/allocations"


async def outbox(db: asyncpg.Connection, event_type: str) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT payload FROM loyalty.event_outbox WHERE type = $1 ORDER BY id", event_type)
    return [json.loads(row["payload"]) for row in rows]


async def test_a_qualifying_bill_earns_a_reward_on_the_least_selling_active_product(loyalty, db):
    await put_products(
        db,
        [
            (1, "SKU-A", "active", 50, 10),  # 40 without a reward
            (2, "SKU-C", "active", 12, 0),  # 12
            (3, "SKU-B", "active", 20, 8),  # 12: ties with SKU-C, and B comes first
            (4, "SKU-0", "inactive", 0, 0),  # fewest, but not on sale
        ],
    )
    response = await loyalty.post(ALLOCATIONS, json=allocation(42, "600.00"))
    assert response.status_code == 200, response.text
    reward = response.json()["reward"]
    assert (reward["product_id"], reward["sku"], reward["category"], reward["percent"]) == (3, "SKU-B", 2, 20)
    expires = datetime.fromisoformat(reward["expires_at"])
    assert timedelta(days=89, hours=23) < expires - datetime.now(UTC) <= timedelta(days=90)
    row = await db.fetchrow("SELECT * FROM loyalty.reward WHERE purchase_id = 42")
    assert (row["token"], row["customer_id"], row["program_version"], row["status"]) == (
        reward["token"],
        7,
        1,
        "usable",
    )
    assert row["allocated_by"] == "call"
    (event,) = await outbox(db, "reward.allocated")
    assert event | {"allocated_at": None, "expires_at": None} == {
        "reward_id": row["id"],
        "customer_id": 7,
        "product_id": 3,
        "category": 2,
        "percent": 20,
        "purchase_id": 42,
        "target_id": None,  # a bill's reward, not a target's gift
        "program_version": 1,
        "allocated_by": "call",
        "allocated_at": None,
        "expires_at": None,
    }
    assert "token" not in event


async def test_a_bill_earns_one_reward_however_often_and_concurrently_it_is_offered(loyalty, db):
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    answers = await asyncio.gather(*(loyalty.post(ALLOCATIONS, json=allocation(42, "1300.00")) for _ in range(12)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["reward"]["token"] for a in answers}) == 1
    assert await db.fetchval("SELECT count(*) FROM loyalty.reward WHERE purchase_id = 42") == 1
    assert len(await outbox(db, "reward.allocated")) == 1
    # Offered again later, with another total even: the bill's reward is the one it has.
    again = await loyalty.post(ALLOCATIONS, json=allocation(42, "300.00"))
    assert again.json()["reward"] == answers[0].json()["reward"]


async def test_imported_guest_small_bills_and_an_empty_catalogue_earn_nothing(loyalty, db):
    nothing = [
        allocation(1, "900.00", source="import"),
        allocation(2, "900.00", customer_id=None),
        allocation(3, "250.00"),
    ]
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    for body in nothing:
        response = await loyalty.post(ALLOCATIONS, json=body)
        assert response.status_code == 200 and response.json()["reward"] is None, response.text
    await db.execute("UPDATE loyalty.product SET status = 'inactive'")
    assert (await loyalty.post(ALLOCATIONS, json=allocation(4, "900.00"))).json()["reward"] is None
    assert await db.fetchval("SELECT count(*) FROM loyalty.reward") == 0


async def test_many_rewards_have_distinct_tokens(loyalty, db):
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    for purchase_id in range(1, 41):
        await loyalty.post(ALLOCATIONS, json=allocation(purchase_id, "300.00"))
    assert await db.fetchval("SELECT count(DISTINCT token) FROM loyalty.reward") == 40


async def test_only_services_may_allocate_not_even_an_admin(loyalty):
    for principal in (ADMIN, MANAGER, shopper(7)):
        refused = await loyalty.as_principal(principal).post(ALLOCATIONS, json=allocation(42, "600.00"))
        assert_problem(refused, 403, "forbidden")


async def test_bad_allocations_are_refused_naming_the_field(loyalty):
    cases = [
        (allocation(42, "-1.00"), "body.base_total"),
        (allocation(42, "12.345"), "body.base_total"),
        (allocation(0, "600.00"), "body.purchase_id"),
        (allocation(42, "600.00", source="phone"), "body.source"),
        (allocation(42, "600.00", recorded_at="2024-03-05T10:00:00"), "body.recorded_at"),
        (allocation(42, "600.00", colour="red"), "body.colour"),
    ]
    for body, field in cases:
        response = await loyalty.post(ALLOCATIONS, json=body)
        assert_problem(response, 422, "validation")
        assert field in [error["field"] for error in response.json()["errors"]], (body, response.text)


async def _cancel(database_url: str, purchase_id: int) -> None:
    from services.contracts.customer import PurchaseCancelled
    from services.loyalty.rewards.events import on_purchases_cancelled

    engine = create_engine(database_url)
    cancelled = PurchaseCancelled(
        purchase_id=purchase_id,
        customer_id=7,
        source="live",
        cancelled_at=datetime.now(UTC),
        base_amount=Decimal("600.00"),
        local_amount=Decimal("600.00"),
    )
    event = Event(
        id=__import__("uuid").uuid4(),
        aggregate_id=f"purchase:{purchase_id}",
        seq=2,
        occurred_at=datetime.now(UTC),
        payload=cancelled,
    )
    async with AsyncSession(engine) as session, session.begin():
        await on_purchases_cancelled(session, [event])
    await engine.dispose()


async def test_a_cancelled_bill_voids_its_unredeemed_reward_and_one_cancelled_first_never_earns(
    loyalty, db, database_url
):
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    await loyalty.post(ALLOCATIONS, json=allocation(42, "600.00"))
    await _cancel(database_url, 42)
    assert await db.fetchval("SELECT status FROM loyalty.reward WHERE purchase_id = 42") == "voided"
    (voided,) = await outbox(db, "reward.voided")
    assert (voided["purchase_id"], voided["category"], voided["percent"]) == (42, 2, 20)
    await _cancel(database_url, 42)  # again: nothing more
    assert len(await outbox(db, "reward.voided")) == 1

    # A bill cancelled before loyalty allocated its reward (the call and the event both late) earns none.
    await _cancel(database_url, 43)
    late = await loyalty.post(ALLOCATIONS, json=allocation(43, "600.00"))
    assert late.json()["reward"] is None
    assert await db.fetchval("SELECT count(*) FROM loyalty.reward WHERE purchase_id = 43") == 0

    # A redeemed reward is not taken back by a cancellation.
    await loyalty.post(ALLOCATIONS, json=allocation(44, "600.00"))
    await db.execute("UPDATE loyalty.reward SET status = 'redeemed', redeemed_at = now() WHERE purchase_id = 44")
    await _cancel(database_url, 44)
    assert await db.fetchval("SELECT status FROM loyalty.reward WHERE purchase_id = 44") == "redeemed"


async def test_the_expiry_job_marks_rewards_past_their_expiry_and_announces_them(loyalty, loyalty_app, db):
    from services.kit.jobs import JobRun
    from services.loyalty.rewards.expiry import EXPIRY_JOB, reward_expiry

    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    for purchase_id in (1, 2, 3):
        await loyalty.post(ALLOCATIONS, json=allocation(purchase_id, "800.00"))
    await db.execute("UPDATE loyalty.reward SET expires_at = now() - interval '1 minute' WHERE purchase_id IN (1, 2)")
    job = reward_expiry(loyalty_app.state.engine, loyalty_app.state.settings)
    assert job.name == EXPIRY_JOB and EXPIRY_JOB in loyalty_app.state.scheduler.jobs
    await job.run(JobRun(name=EXPIRY_JOB, key="test", attempt=1))
    statuses = dict(await db.fetch("SELECT purchase_id, status FROM loyalty.reward"))
    assert statuses == {1: "expired", 2: "expired", 3: "usable"}
    expired = await outbox(db, "reward.expired")
    assert sorted(e["purchase_id"] for e in expired) == [1, 2]
    assert all(e["expired_at"] == e["expires_at"] for e in expired)
    await job.run(JobRun(name=EXPIRY_JOB, key="again", attempt=1))
    assert len(await outbox(db, "reward.expired")) == 2


async def test_a_customer_reads_their_own_rewards_by_status_and_staff_read_anyones(loyalty, db):
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    for purchase_id in (1, 2, 3, 4):
        await loyalty.post(ALLOCATIONS, json=allocation(purchase_id, "300.00"))
    await loyalty.post(ALLOCATIONS, json=allocation(5, "300.00", customer_id=8))
    await db.execute("UPDATE loyalty.reward SET status = 'redeemed' WHERE purchase_id = 2")
    await db.execute("UPDATE loyalty.reward SET status = 'voided' WHERE purchase_id = 3")
    # Past its expiry, not yet marked by the job: the customer sees it expired already.
    await db.execute("UPDATE loyalty.reward SET expires_at = now() - interval '1 second' WHERE purchase_id = 4")

    mine = loyalty.as_principal(shopper(7))
    listed = await mine.get("/api/v1/loyalty/customers/7/rewards")
    assert listed.status_code == 200, listed.text
    assert [(r["purchase_id"], r["status"]) for r in listed.json()["items"]] == [
        (4, "expired"),
        (3, "voided"),
        (2, "redeemed"),
        (1, "usable"),
    ]
    for status, purchases in [("usable", [1]), ("expired", [4]), ("redeemed", [2]), ("voided", [3])]:
        page = await mine.get("/api/v1/loyalty/customers/7/rewards", params={"status": status})
        assert [r["purchase_id"] for r in page.json()["items"]] == purchases, status
    first = await mine.get("/api/v1/loyalty/customers/7/rewards", params={"limit": 3})
    rest = await mine.get("/api/v1/loyalty/customers/7/rewards", params={"cursor": first.json()["next_cursor"]})
    assert [r["purchase_id"] for r in rest.json()["items"]] == [1]

    assert_problem(await mine.get("/api/v1/loyalty/customers/8/rewards"), 404, "not-found")
    assert_problem(await mine.get("/api/v1/loyalty/customers/7/rewards", params={"status": "lost"}), 422, "validation")
    for staff in (CLERK, MANAGER):
        theirs = await loyalty.as_principal(staff).get("/api/v1/loyalty/customers/8/rewards")
        assert [r["purchase_id"] for r in theirs.json()["items"]] == [5]
