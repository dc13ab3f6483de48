"""Wallets against PostgreSQL: points earned once per source, spent once per bill oldest first and never
below zero however many bills spend at once, refunded lot by lot, adjusted by managers, expired by the
job, and read by their customer and by staff. Every test checks the balance against the entries."""

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.kit.db import create_engine
from services.kit.errors import Conflict, InvalidInput
from services.loyalty.wallet import service
from services.loyalty.wallet.rules import add_months
from tests.loyalty.conftest import ADMIN, CLERK, MANAGER, shopper
from tests.support.problems import assert_problem

EARNINGS = "/api/v1/loyalty/wallet/earnings"


def wallet_of(customer_id: int) -> str:
    return f"/api/v1/loyalty/customers/{customer_id}/wallet"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=20)
    yield engine
    await engine.dispose()


async def run(engine: AsyncEngine, call: Callable[..., Awaitable[Any]], **arguments: Any) -> Any:
    """A service call in a transaction of its own, committed when it returns."""
    async with AsyncSession(engine) as session, session.begin():
        return await call(session, **arguments)


async def balanced(db: asyncpg.Connection, customer_id: int) -> int:
    """The wallet's balance, checked against the sum of its entries and its events; the balance."""
    stored = await db.fetchval("SELECT balance FROM loyalty.wallet WHERE customer_id = $1", customer_id) or 0
    total = await db.fetchval(
        "SELECT coalesce(sum(points), 0) FROM loyalty.wallet_entry WHERE customer_id = $1", customer_id
    )
    assert stored == total >= 0
    events = await wallet_events(db, customer_id)
    entries = await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE customer_id = $1", customer_id)
    assert len(events) == entries
    if events:
        assert events[-1]["balance_after"] == stored
    return int(stored)


async def wallet_events(db: asyncpg.Connection, customer_id: int) -> list[dict[str, Any]]:
    rows = await db.fetch(
        "SELECT payload FROM loyalty.event_outbox WHERE type = 'wallet.entry' AND aggregate_id = $1 ORDER BY seq",
        f"wallet:{customer_id}",
    )
    return [json.loads(row["payload"]) for row in rows]


def earning(source: str, points: int = 150, customer_id: int = 7, reason: str = "target reached") -> dict[str, Any]:
    return {"customer_id": customer_id, "points": points, "reason": reason, "source": source}


async def test_points_are_earned_once_per_source_and_the_wallet_shows_them_with_their_value(loyalty, db):
    first = await loyalty.post(EARNINGS, json=earning("target:1:customer:7"))
    assert first.status_code == 201, first.text
    entry = first.json()
    assert (entry["kind"], entry["points"], entry["source"], entry["reason"]) == (
        "earn",
        150,
        "target:1:customer:7",
        "target reached",
    )
    created = datetime.fromisoformat(entry["created_at"])
    assert datetime.fromisoformat(entry["expires_at"]) == add_months(created, 12)

    again = await loyalty.post(EARNINGS, json=earning("target:1:customer:7", points=999))
    assert again.status_code == 200 and again.json() == entry
    assert await balanced(db, 7) == 150

    wallet = (await loyalty.get(wallet_of(7))).json()
    assert wallet == {
        "customer_id": 7,
        "balance": 150,
        "value": "1.50",
        "currency": "USD",
        "points_per_currency_unit": 100,
        "next_expiry": entry["expires_at"],
        "expiring_points": 150,
    }
    (event,) = await wallet_events(db, 7)
    assert "reason" not in event
    assert event | {"created_at": None, "expires_at": None} == {
        "entry_id": entry["id"],
        "customer_id": 7,
        "kind": "earn",
        "points": 150,
        "balance_after": 150,
        "purchase_id": None,
        "lot_id": None,
        "expires_at": None,
        "source": "target:1:customer:7",
        "created_at": None,
    }
    # The same source for another customer is a mistake, not a second earning.
    assert_problem(await loyalty.post(EARNINGS, json=earning("target:1:customer:7", customer_id=8)), 409, "conflict")
    assert await balanced(db, 8) == 0


async def test_the_value_follows_the_program_in_force(loyalty, db):
    program = (await loyalty.as_principal(ADMIN).get("/api/v1/loyalty/program")).json()
    settings = {key: program[key] for key in program if key not in ("version", "effective_from", "changed_by")}
    changed = await loyalty.as_principal(ADMIN).put(
        "/api/v1/loyalty/program", json=settings | {"points_per_currency_unit": 150}
    )
    assert changed.status_code == 200, changed.text
    await loyalty.post(EARNINGS, json=earning("gift:1", points=155))
    wallet = (await loyalty.get(wallet_of(7))).json()
    assert (wallet["balance"], wallet["value"], wallet["points_per_currency_unit"]) == (155, "1.03", 150)


async def test_only_services_credit_earnings_and_bad_ones_name_the_field(loyalty):
    for principal in (ADMIN, MANAGER, shopper(7)):
        assert_problem(await loyalty.as_principal(principal).post(EARNINGS, json=earning("x")), 403, "forbidden")
    cases = [
        (earning("x", points=0), "body.points"),
        (earning("x", points=10_000_001), "body.points"),
        (earning("x", reason=""), "body.reason"),
        (earning(""), "body.source"),
        (earning("x", customer_id=0), "body.customer_id"),
        (earning("x") | {"colour": "red"}, "body.colour"),
    ]
    for body, field in cases:
        response = await loyalty.post(EARNINGS, json=body)
        assert_problem(response, 422, "validation")
        assert field in [error["field"] for error in response.json()["errors"]], (body, response.text)


async def test_a_bill_spends_the_oldest_points_once_and_a_refund_gives_each_lot_back(engine, db):
    now = datetime.now(UTC)
    old = await run(
        engine, service.earn, customer_id=7, points=50, reason="a", source="s:1", at=now - timedelta(days=300)
    )
    new = await run(
        engine, service.earn, customer_id=7, points=100, reason="b", source="s:2", at=now - timedelta(days=10)
    )
    spend = await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=80, at=now)
    assert (spend.kind, spend.points, spend.purchase_id, spend.source, spend.reason) == (
        "spend",
        -80,
        42,
        "purchase:42",
        "spent on purchase 42",
    )
    assert spend.expires_at is None and spend.lot_id is None
    assert await balanced(db, 7) == 70
    # Asked again (a retry, the purchase event): the same spend, nothing more taken.
    again = await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=80, at=now)
    assert again.id == spend.id
    with pytest.raises(Conflict):
        await run(engine, service.spend_for_purchase, customer_id=8, purchase_id=42, points=80, at=now)
    assert await balanced(db, 7) == 70

    refunds = await run(engine, service.refund_purchase, purchase_id=42, reason="bill cancelled", at=now)
    assert [(r.kind, r.points, r.lot_id, r.expires_at, r.purchase_id) for r in refunds] == [
        ("refund", 50, old.id, old.expires_at, 42),
        ("refund", 30, new.id, new.expires_at, 42),
    ]
    assert {r.reason for r in refunds} == {"bill cancelled"}
    assert await balanced(db, 7) == 150
    assert await run(engine, service.refund_purchase, purchase_id=42, reason="again", at=now) == []
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE kind = 'refund'") == 2
    assert await run(engine, service.balance, customer_id=7) == 150
    # The refunded points are spent again before the newer lot, as they were the first time.
    await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=43, points=60, at=now)
    rows = await db.fetch("SELECT lot_id, points FROM loyalty.wallet_entry WHERE kind = 'refund' ORDER BY id")
    assert [tuple(row) for row in rows] == [(old.id, 50), (new.id, 30)]
    assert await balanced(db, 7) == 90


async def test_a_bill_given_back_before_it_spent_never_spends(engine, db):
    now = datetime.now(UTC)
    await run(engine, service.earn, customer_id=7, points=100, reason="a", source="s:1", at=now)
    assert await run(engine, service.refund_purchase, purchase_id=42, reason="bill abandoned", at=now) == []
    with pytest.raises(Conflict):
        await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=10, at=now)
    assert await balanced(db, 7) == 100


async def test_spending_more_than_the_wallet_holds_is_refused_and_changes_nothing(engine, db):
    now = datetime.now(UTC)
    await run(engine, service.earn, customer_id=7, points=100, reason="a", source="s:1", at=now)
    with pytest.raises(InvalidInput) as refused:
        await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=101, at=now)
    assert refused.value.errors == [
        {"field": "body.points", "message": "the wallet holds only 100 points", "code": "insufficient_points"}
    ]
    with pytest.raises(InvalidInput):
        await run(engine, service.spend_for_purchase, customer_id=9, purchase_id=43, points=1, at=now)
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE kind = 'spend'") == 0
    assert await balanced(db, 7) == 100 and await balanced(db, 9) == 0


async def test_a_spend_never_takes_points_past_their_expiry(engine, db):
    now = datetime.now(UTC)
    stale = await run(
        engine, service.earn, customer_id=7, points=100, reason="a", source="s:1", at=now - timedelta(days=400)
    )
    await run(engine, service.earn, customer_id=7, points=20, reason="b", source="s:2", at=now)
    with pytest.raises(InvalidInput):
        await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=50, at=now)
    assert await run(engine, service.balance, customer_id=7) == 20
    await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=43, points=20, at=now)
    kinds = await db.fetch("SELECT kind, points, lot_id FROM loyalty.wallet_entry ORDER BY id")
    assert [tuple(row) for row in kinds] == [
        ("earn", 100, None),
        ("expire", -100, stale.id),  # every write first expires what is due by its time
        ("earn", 20, None),
        ("spend", -20, None),
    ]
    assert await balanced(db, 7) == 0
    assert await db.fetchval("SELECT next_expiry FROM loyalty.wallet WHERE customer_id = 7") is None


async def test_a_hundred_bills_spending_at_once_never_take_the_balance_below_zero(engine, db):
    now = datetime.now(UTC)
    await run(engine, service.earn, customer_id=7, points=500, reason="a", source="s:1", at=now)

    async def spend(purchase_id: int) -> Any:
        try:
            return await run(
                engine, service.spend_for_purchase, customer_id=7, purchase_id=purchase_id, points=7, at=now
            )
        except InvalidInput as refused:
            return refused

    outcomes = await asyncio.gather(*(spend(purchase_id) for purchase_id in range(1, 101)))
    spent = [outcome for outcome in outcomes if not isinstance(outcome, InvalidInput)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, InvalidInput)]
    assert -sum(entry.points for entry in spent) <= 500
    assert (len(spent), len(refused)) == (71, 29)  # 71 × 7 = 497: every bill that fitted was served
    assert {error["code"] for outcome in refused for error in outcome.errors} == {"insufficient_points"}
    assert await balanced(db, 7) == 3


async def test_managers_adjust_wallets_and_never_below_zero(loyalty, db):
    manager = loyalty.as_principal(MANAGER)
    adjustments = "/api/v1/loyalty/customers/7/wallet/adjustments"
    added = await manager.post(adjustments, json={"points": 300, "reason": "goodwill: late delivery"})
    assert added.status_code == 201, added.text
    entry = added.json()
    assert (entry["kind"], entry["points"], entry["source"], entry["reason"]) == (
        "adjust",
        300,
        "staff:manager",
        "goodwill: late delivery",
    )
    assert datetime.fromisoformat(entry["expires_at"]) == add_months(datetime.fromisoformat(entry["created_at"]), 12)
    taken = await manager.post(adjustments, json={"points": -120, "reason": "duplicate credit"})
    assert taken.status_code == 201 and taken.json()["expires_at"] is None
    assert await balanced(db, 7) == 180

    before = await db.fetch("SELECT * FROM loyalty.wallet_entry ORDER BY id")
    too_much = await manager.post(adjustments, json={"points": -181, "reason": "oops"})
    body = assert_problem(too_much, 422, "validation", ["body.points"])
    assert body["errors"][0]["code"] == "insufficient_points"
    assert "180" in body["errors"][0]["message"]
    assert await db.fetch("SELECT * FROM loyalty.wallet_entry ORDER BY id") == before
    assert await balanced(db, 7) == 180

    for bad, field in [
        ({"points": 0, "reason": "x"}, "body.points"),
        ({"points": 10_000_001, "reason": "x"}, "body.points"),
        ({"points": -10_000_001, "reason": "x"}, "body.points"),
        ({"points": 5}, "body.reason"),
        ({"points": 5, "reason": ""}, "body.reason"),
        ({"points": 5, "reason": "x" * 501}, "body.reason"),
    ]:
        response = await manager.post(adjustments, json=bad)
        assert_problem(response, 422, "validation")
        assert field in [error["field"] for error in response.json()["errors"]], (bad, response.text)
    for principal in (CLERK, shopper(7)):
        refused = await loyalty.as_principal(principal).post(adjustments, json={"points": 5, "reason": "x"})
        assert refused.status_code in (403, 404), refused.text
    assert await balanced(db, 7) == 180


async def test_an_adjustment_with_an_idempotency_key_acts_once(loyalty, db):
    manager = loyalty.as_principal(MANAGER)
    adjustments = "/api/v1/loyalty/customers/7/wallet/adjustments"
    headers = {"Idempotency-Key": "adjust-7-1"}
    first = await manager.post(adjustments, json={"points": 40, "reason": "x"}, headers=headers)
    second = await manager.post(adjustments, json={"points": 40, "reason": "x"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert await balanced(db, 7) == 40


async def test_a_customer_reads_their_own_wallet_newest_first_and_staff_read_anyones(loyalty, engine, db):
    now = datetime.now(UTC)
    await run(engine, service.earn, customer_id=7, points=100, reason="first", source="s:1", at=now)
    await run(engine, service.earn, customer_id=7, points=50, reason="second", source="s:2", at=now)
    await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=30, at=now)
    await run(engine, service.refund_purchase, purchase_id=42, reason="cancelled", at=now)
    await run(engine, service.earn, customer_id=8, points=5, reason="theirs", source="s:3", at=now)

    mine = loyalty.as_principal(shopper(7))
    listed = await mine.get(wallet_of(7) + "/entries")
    assert listed.status_code == 200, listed.text
    assert [(e["kind"], e["points"], e["reason"]) for e in listed.json()["items"]] == [
        ("refund", 30, "cancelled"),
        ("spend", -30, "spent on purchase 42"),
        ("earn", 50, "second"),
        ("earn", 100, "first"),
    ]
    spend = listed.json()["items"][1]
    assert (spend["purchase_id"], spend["source"], spend["expires_at"]) == (42, "purchase:42", None)
    first = await mine.get(wallet_of(7) + "/entries", params={"limit": 3})
    rest = await mine.get(wallet_of(7) + "/entries", params={"cursor": first.json()["next_cursor"]})
    assert [e["reason"] for e in rest.json()["items"]] == ["first"] and rest.json()["next_cursor"] is None
    assert (await mine.get(wallet_of(7))).json()["balance"] == 150

    assert_problem(await mine.get(wallet_of(8)), 404, "not-found")
    assert_problem(await mine.get(wallet_of(8) + "/entries"), 404, "not-found")
    for staff in (CLERK, MANAGER):
        theirs = await loyalty.as_principal(staff).get(wallet_of(8) + "/entries")
        assert [e["reason"] for e in theirs.json()["items"]] == ["theirs"]
    assert await balanced(db, 7) == 150 and await balanced(db, 8) == 5


async def test_a_customer_never_seen_has_an_empty_wallet(loyalty, db):
    wallet = await loyalty.as_principal(shopper(12345)).get(wallet_of(12345))
    assert wallet.status_code == 200, wallet.text
    assert wallet.json() | {"currency": None} == {
        "customer_id": 12345,
        "balance": 0,
        "value": "0.00",
        "currency": None,
        "points_per_currency_unit": 100,
        "next_expiry": None,
        "expiring_points": 0,
    }
    entries = await loyalty.as_principal(CLERK).get(wallet_of(12345) + "/entries")
    assert entries.json() == {"items": [], "next_cursor": None}
    assert await balanced(db, 12345) == 0


async def test_the_expiry_job_expires_what_is_left_of_lots_past_their_expiry_once(loyalty_app, engine, db):
    from services.kit.jobs import JobRun
    from services.loyalty.wallet.expiry import EXPIRY_JOB, points_expiry

    # This test runs the expiry itself: the app's scheduler, which would run the job's slot due now at any
    # moment, is stopped first (its jobs stay registered).
    await loyalty_app.state.scheduler.stop()
    now = datetime.now(UTC)
    months_ago = lambda months: add_months(now, -months)  # noqa: E731
    lot = await run(engine, service.earn, customer_id=7, points=100, reason="a", source="s:1", at=months_ago(13))
    await run(engine, service.spend_for_purchase, customer_id=7, purchase_id=42, points=30, at=months_ago(12))
    fresh = await run(engine, service.earn, customer_id=7, points=50, reason="b", source="s:2", at=months_ago(11))
    await run(engine, service.earn, customer_id=8, points=10, reason="c", source="s:3", at=months_ago(2))
    # Until the job runs the wallet still holds the stale points, but its customer no longer sees them.
    assert await balanced(db, 7) == 120
    assert await run(engine, service.balance, customer_id=7) == 50
    assert await db.fetchval("SELECT next_expiry FROM loyalty.wallet WHERE customer_id = 7") == lot.expires_at

    assert await run(engine, service.expire_due, now=now) == 1
    expired = await db.fetchrow("SELECT * FROM loyalty.wallet_entry WHERE kind = 'expire'")
    assert (expired["customer_id"], expired["points"], expired["lot_id"], expired["source"], expired["reason"]) == (
        7,
        -70,
        lot.id,
        f"lot:{lot.id}",
        "expired",
    )
    assert await balanced(db, 7) == 50 and await balanced(db, 8) == 10
    assert await db.fetchval("SELECT next_expiry FROM loyalty.wallet WHERE customer_id = 7") == fresh.expires_at
    assert await run(engine, service.expire_due, now=now) == 0

    # A bill cancelled now gives back points whose lot is past its expiry: the next run expires them.
    (refund,) = await run(engine, service.refund_purchase, purchase_id=42, reason="cancelled", at=now)
    assert (refund.points, refund.expires_at) == (30, lot.expires_at)
    assert await balanced(db, 7) == 80
    job = points_expiry(loyalty_app.state.engine, loyalty_app.state.settings)
    assert job.name == EXPIRY_JOB and EXPIRY_JOB in loyalty_app.state.scheduler.jobs
    await job.run(JobRun(name=EXPIRY_JOB, key="test", attempt=1))
    assert await balanced(db, 7) == 50
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE kind = 'expire'") == 2
    await job.run(JobRun(name=EXPIRY_JOB, key="again", attempt=1))
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE kind = 'expire'") == 2
    assert await balanced(db, 7) == 50 and await balanced(db, 8) == 10


async def test_the_database_refuses_a_negative_balance_and_entries_of_the_wrong_sign(db):
    with pytest.raises(asyncpg.CheckViolationError):
        await db.execute("INSERT INTO loyalty.wallet (customer_id, balance) VALUES (7, -1)")
    bad = [
        ("earn", -5, "now()", None),
        ("spend", 5, "now()", 1),
        ("adjust", 5, "NULL", None),  # a lot must expire
        ("adjust", 0, "NULL", None),
    ]
    for kind, points, expires, purchase_id in bad:
        with pytest.raises(asyncpg.CheckViolationError):
            await db.execute(
                "INSERT INTO loyalty.wallet_entry (customer_id, kind, points, reason, source, purchase_id, "
                f"expires_at, created_at) VALUES (7, $1, $2, 'r', 's', $3, {expires}, now())",
                kind,
                points,
                purchase_id,
            )


async def test_the_expiry_job_works_through_many_wallets_a_chunk_at_a_time(loyalty_app, engine, db, monkeypatch):
    from services.kit.jobs import JobRun
    from services.loyalty.wallet.expiry import EXPIRY_JOB, points_expiry

    monkeypatch.setattr(service, "EXPIRY_CHUNK", 2)
    past = add_months(datetime.now(UTC), -13)
    for customer_id in range(1, 6):
        await run(
            engine, service.earn, customer_id=customer_id, points=10, reason="a", source=f"s:{customer_id}", at=past
        )
    await run(engine, service.earn, customer_id=6, points=10, reason="a", source="s:6", at=datetime.now(UTC))
    job = points_expiry(loyalty_app.state.engine, loyalty_app.state.settings)
    await job.run(JobRun(name=EXPIRY_JOB, key="test", attempt=1))  # a transaction per two wallets
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet_entry WHERE kind = 'expire'") == 5
    for customer_id in range(7, 10):
        await run(
            engine, service.earn, customer_id=customer_id, points=10, reason="a", source=f"s:{customer_id}", at=past
        )
    assert await run(engine, service.expire_due) == 3  # every chunk, in the caller's one transaction
    assert await db.fetchval("SELECT count(*) FROM loyalty.wallet WHERE next_expiry <= now()") == 0
    for customer_id in range(1, 10):
        assert await balanced(db, customer_id) == (10 if customer_id == 6 else 0)
