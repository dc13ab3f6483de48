"""Monthly targets against PostgreSQL, on hand-made level runs and bills whose targets and cents are worked
out by hand: who gets a target and what it is, the achievement recorded once from live purchases (also
under concurrent bills and redelivered batches) with its gift and points, listings, ownership, the
schedule."""

import asyncio
import json
import random
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import asyncpg
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.contracts.customer import PurchaseCancelled, PurchaseLineReturned, PurchaseRecorded
from services.kit.consumer import Outcome
from services.kit.db import create_engine
from services.kit.events import Envelope
from services.loyalty.ledger.consumer import ledger_consumer
from services.loyalty.targets.rules import TargetMode, in_band, selected, target_for
from services.loyalty.targets.schedule import run_schedule
from tests.loyalty.conftest import ADMIN, CLERK, MANAGER, loyalty_settings, put_products, shopper
from tests.support.problems import assert_problem

RUNS = "/api/v1/loyalty/targets/runs"
FEB, MAR = date(2026, 2, 1), date(2026, 3, 1)
GIFT = 900  # the gift's product
D = Decimal


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url, pool_size=10)
    yield engine
    await engine.dispose()


async def level_run(db: asyncpg.Connection, month: date, rows: list[tuple[int, int | None, str]]) -> int:
    """A level run of ``month`` as the levels service stores it: (customer, level, volume) per customer."""
    run_id: int = await db.fetchval(
        "INSERT INTO loyalty.level_run (month, computed_at, program_version, thresholds, customers) "
        "VALUES ($1, now(), 1, '[]', $2) RETURNING id",
        month,
        len(rows),
    )
    await db.executemany(
        "INSERT INTO loyalty.customer_level (run_id, customer_id, level, volume, orders, brands, own_brand_volume, "
        "self_orders, assisted_orders) VALUES ($1, $2, $3, $4, 0, 0, 0, 0, 0)",
        [(run_id, customer, level, D(volume)) for customer, level, volume in rows],
    )
    return run_id


def run_body(**fields: Any) -> dict[str, Any]:
    return {"month": "2026-03-01", "mode": "percent", "percent": "10"} | fields


async def start_run(loyalty: Any, **fields: Any) -> dict[str, Any]:
    response = await loyalty.as_principal(MANAGER).post(RUNS, json=run_body(**fields))
    assert response.status_code == 201, response.text
    return dict(response.json())


async def targets_of(loyalty: Any, run_id: int, **params: Any) -> dict[int, str]:
    response = await loyalty.as_principal(MANAGER).get(f"{RUNS}/{run_id}/targets", params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return {item["customer_id"]: item["target"] for item in response.json()["items"]}


# February: who bought what, and their level then.
FEBRUARY = [
    (101, 1, "999.99"),  # below lower
    (102, 1, "1000.00"),  # exactly lower: in
    (103, 2, "4999.99"),  # just below upper: in
    (104, 2, "5000.00"),  # exactly upper: out
    (105, 0, "0.00"),  # no volume: never a target
    (106, 3, "2000.00"),  # a level not chosen
    (107, None, "0.50"),  # between 0 and 1: no level
]


async def test_a_run_sets_targets_for_the_chosen_levels_and_band_by_percent_or_value_to_the_cent(loyalty, db):
    level_run_id = await level_run(db, FEB, FEBRUARY)
    band = await start_run(loyalty, levels=[1, 2], lower="1000.00", upper="5000.00", percent="10")
    assert (band["month"], band["origin"], band["level_run_id"], band["targets"], band["achieved"]) == (
        "2026-03-01",
        "api",
        level_run_id,
        2,
        0,
    )
    assert (band["levels"], band["lower"], band["upper"], band["mode"], band["created_by"]) == (
        [1, 2],
        "1000.00",
        "5000.00",
        "percent",
        "staff:manager",
    )
    # 1000.00 × 1.10 = 1100.00; 4999.99 × 1.10 = 5499.989, half-up to 5499.99
    assert await targets_of(loyalty, band["id"]) == {102: "1100.00", 103: "5499.99"}

    # By value, every level, no band: every customer who bought something in February, 105 left out.
    every = await start_run(loyalty, mode="value", percent=None, value="250.00")
    assert await targets_of(loyalty, every["id"]) == {
        101: "1249.99",
        102: "1250.00",
        103: "5249.99",
        104: "5250.00",
        106: "2250.00",
        107: "250.50",
    }
    # Level 0 chosen alone: its customers bought nothing, so nobody gets a target.
    assert (await start_run(loyalty, levels=[0]))["targets"] == 0

    # A zero percent and a zero value set no target at all.
    for fields in ({"percent": "0"}, {"mode": "value", "percent": None, "value": "0.00"}):
        run = await start_run(loyalty, **fields)
        assert run["targets"] == 0 and await targets_of(loyalty, run["id"]) == {}

    # The latest level run of February is the one read.
    latest = await level_run(db, FEB, [(101, 1, "1000.00")])
    again = await start_run(loyalty, levels=[1], lower="1000.00")
    assert again["level_run_id"] == latest and await targets_of(loyalty, again["id"]) == {101: "1100.00"}


async def test_last_months_levels_are_computed_when_missing_and_refused_while_it_goes_on(loyalty, db):
    # No February run: February is over, so its levels are computed now (from an empty ledger: nobody).
    run = await start_run(loyalty)
    level_run_id = await db.fetchval("SELECT id FROM loyalty.level_run WHERE month = $1", FEB)
    assert (run["level_run_id"], run["targets"]) == (level_run_id, 0)
    # A month whose month before is still going on: its levels would change.
    body = assert_problem(
        await loyalty.as_principal(MANAGER).post(RUNS, json=run_body(month="2099-01-01")), 409, "conflict"
    )
    assert body["detail"] == "compute the levels of 2098-12 first"
    assert await db.fetchval("SELECT count(*) FROM loyalty.target_run") == 1


async def test_bad_runs_are_refused_naming_the_field(loyalty, db):
    await level_run(db, FEB, FEBRUARY)
    manager = loyalty.as_principal(MANAGER)
    cases = [
        (run_body(month="2026-03-02"), "body.month"),
        (run_body(levels=[6]), "body.levels.0"),
        (run_body(levels=[1, 1]), "body.levels"),
        (run_body(lower="-1.00"), "body.lower"),
        (run_body(lower="500.00", upper="500.00"), "body.upper"),
        (run_body(mode="share"), "body.mode"),
        (run_body(percent=None), "body.percent"),
        (run_body(percent="-5"), "body.percent"),
        (run_body(value="10.00"), "body.value"),
        (run_body(mode="value", percent=None), "body.value"),
        (run_body(gift_percent=20), "body.gift_product_id"),
        (run_body(gift_product_id=GIFT), "body.gift_percent"),
        (run_body(gift_percent=0, gift_product_id=GIFT), "body.gift_percent"),
        (run_body(gift_percent=101, gift_product_id=GIFT), "body.gift_percent"),
        (run_body(gift_percent=20, gift_product_id=GIFT), "body.gift_product_id"),  # no such product
        (run_body(points=-1), "body.points"),
        (run_body(points=1.5), "body.points"),
        (run_body(colour="red"), "body.colour"),
    ]
    for body, field in cases:
        response = await manager.post(RUNS, json=body)
        assert_problem(response, 422, "validation")
        assert field in [error["field"] for error in response.json()["errors"]], (body, response.text)
    assert await db.fetchval("SELECT count(*) FROM loyalty.target_run") == 0


async def test_managers_start_runs_and_a_customer_reads_only_their_own_targets(loyalty, db):
    await level_run(db, FEB, FEBRUARY)
    assert_problem(await loyalty.as_principal(CLERK).post(RUNS, json=run_body()), 403, "forbidden")
    assert_problem(await loyalty.as_principal(shopper(102)).post(RUNS, json=run_body()), 403, "forbidden")
    run = await start_run(loyalty, levels=[1])
    assert (await loyalty.as_principal(ADMIN).get(f"{RUNS}/{run['id']}")).status_code == 200
    assert_problem(await loyalty.as_principal(shopper(102)).get(RUNS), 403, "forbidden")

    own = await loyalty.as_principal(shopper(102)).get("/api/v1/loyalty/customers/102/targets")
    assert own.status_code == 200, own.text
    (target,) = own.json()["items"]
    assert (target["run_id"], target["target"], target["base_volume"], target["level"], target["achieved_at"]) == (
        run["id"],
        "1100.00",
        "1000.00",
        1,
        None,
    )
    # Another customer's targets do not exist, as far as a customer can tell.
    assert_problem(
        await loyalty.as_principal(shopper(102)).get("/api/v1/loyalty/customers/101/targets"), 404, "not-found"
    )
    clerk = await loyalty.as_principal(CLERK).get("/api/v1/loyalty/customers/101/targets", params={"month": MAR})
    assert [t["target"] for t in clerk.json()["items"]] == ["1099.99"]
    assert_problem(
        await loyalty.as_principal(CLERK).get("/api/v1/loyalty/customers/101/targets", params={"month": "2026-03-05"}),
        422,
        "validation",
        ["query.month"],
    )
    assert_problem(await loyalty.as_principal(MANAGER).get(f"{RUNS}/999"), 404, "not-found")


# Bills as the customer service announces them, fed straight to the ledger's consumer.


def recorded(
    purchase_id: int,
    customer_id: int,
    total: str,
    at: datetime,
    *,
    source: str = "live",
    product_id: int = 1,
    lines: list[str] | None = None,
) -> Envelope:
    """A bill of one unit per line (``lines``: each line's total; one line of ``total`` by default)."""
    amounts = [D(amount) for amount in lines or [total]]
    assert sum(amounts) == D(total)
    payload = PurchaseRecorded(
        purchase_id=purchase_id,
        number=None,
        customer_id=customer_id,
        store_id=1,
        channel="assisted",
        source=source,  # type: ignore[arg-type]
        currency="USD",
        base_currency="USD",
        rate=D(1),
        purchased_at=at,
        reward_token=None,
        base_total=D(total),
        local_total=D(total),
        base_discount=D(0),
        local_discount=D(0),
        lines=[
            {
                "line_id": purchase_id * 10 + number,
                "line_no": number,
                "product_id": product_id,
                "quantity": 1,
                "base_unit_price": amount,
                "local_unit_price": amount,
                "base_discount": D(0),
                "local_discount": D(0),
                "base_total": amount,
                "local_total": amount,
            }
            for number, amount in enumerate(amounts, start=1)
        ],
    )
    return _envelope(payload, f"purchase:{purchase_id}", 1, at)


def returned(purchase_id: int, customer_id: int, line_no: int, amount: str, at: datetime) -> Envelope:
    """One unit of a bill's line given back, for ``amount``."""
    payload = PurchaseLineReturned(
        purchase_id=purchase_id,
        customer_id=customer_id,
        source="live",
        returned_at=at,
        lines=[
            {
                "line_id": purchase_id * 10 + line_no,
                "product_id": 1,
                "quantity": 1,
                "base_amount": D(amount),
                "local_amount": D(amount),
            }
        ],
    )
    return _envelope(payload, f"purchase:{purchase_id}", 2, at)


def cancelled(purchase_id: int, customer_id: int, total: str, at: datetime) -> Envelope:
    payload = PurchaseCancelled(
        purchase_id=purchase_id,
        customer_id=customer_id,
        source="live",
        cancelled_at=at,
        base_amount=D(total),
        local_amount=D(total),
    )
    return _envelope(payload, f"purchase:{purchase_id}", 2, at)


def _envelope(payload: Any, aggregate_id: str, seq: int, at: datetime) -> Envelope:
    return Envelope(
        id=uuid.uuid4(),
        type=payload.event_type,
        version=payload.version,
        occurred_at=at,
        aggregate_id=aggregate_id,
        seq=seq,
        payload=payload.model_dump(mode="json"),
    )


def in_march(day: int, hour: int = 3) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=UTC)


async def achievements(db: asyncpg.Connection) -> list[asyncpg.Record]:
    return await db.fetch("SELECT * FROM loyalty.target_achievement ORDER BY target_id")


async def outbox_events(db: asyncpg.Connection, event_type: str) -> list[dict[str, Any]]:
    rows = await db.fetch("SELECT payload FROM loyalty.event_outbox WHERE type = $1 ORDER BY id", event_type)
    return [json.loads(row["payload"]) for row in rows]


async def test_live_purchases_reach_a_target_once_with_its_gift_and_points(loyalty, db, database_url, engine):
    await put_products(db, [(1, "SKU-1", "active", 0, 0), (GIFT, "GIFT-1", "active", 50, 0)])
    await level_run(db, FEB, [(7, 1, "1000.00"), (8, 1, "500.00")])
    run = await start_run(loyalty, percent="10", gift_percent=25, gift_product_id=GIFT, points=500)
    assert await targets_of(loyalty, run["id"]) == {7: "1100.00", 8: "550.00"}
    consumer = ledger_consumer(engine, loyalty_settings(database_url))

    # An imported March bill of 2,000.00 counts for the figures, not for targets.
    await consumer.apply_batch([recorded(1, 7, "2000.00", in_march(2), source="import")])
    await consumer.apply_batch([recorded(2, 7, "600.00", in_march(3))])
    # A 700.00 bill recorded and cancelled whole in one batch: the check comes after the whole batch.
    await consumer.apply_batch([recorded(3, 7, "700.00", in_march(4)), cancelled(3, 7, "700.00", in_march(4, 5))])
    assert await achievements(db) == []
    # 600.00 + 500.00 = 1,100.00: exactly the target.
    batch = [recorded(4, 7, "500.00", in_march(10))]
    await consumer.apply_batch(batch)
    (achieved,) = await achievements(db)
    assert (achieved["run_id"], achieved["customer_id"], achieved["month"], achieved["target"], achieved["volume"]) == (
        run["id"],
        7,
        MAR,
        D("1100.00"),
        D("1100.00"),
    )
    assert achieved["points"] == 500

    gift = await db.fetchrow("SELECT * FROM loyalty.reward WHERE id = $1", achieved["reward_id"])
    assert (gift["customer_id"], gift["product_id"], gift["percent"], gift["category"], gift["purchase_id"]) == (
        7,
        GIFT,
        25,
        0,
        None,
    )
    assert (gift["target_id"], gift["allocated_by"], gift["status"]) == (achieved["target_id"], "target", "usable")
    assert gift["allocated_at"] == achieved["achieved_at"]
    assert gift["expires_at"] == achieved["achieved_at"] + timedelta(days=90)
    entry = await db.fetchrow("SELECT * FROM loyalty.wallet_entry WHERE id = $1", achieved["wallet_entry_id"])
    assert (entry["customer_id"], entry["kind"], entry["points"], entry["source"]) == (
        7,
        "earn",
        500,
        f"target:{run['id']}:customer:7",
    )
    (event,) = await outbox_events(db, "target.achieved")
    assert event == {
        "target_id": achieved["target_id"],
        "run_id": run["id"],
        "customer_id": 7,
        "month": "2026-03-01",
        "target": "1100.00",
        "volume": "1100.00",
        "achieved_at": event["achieved_at"],
        "reward_id": gift["id"],
        "points": 500,
    }
    (allocated,) = await outbox_events(db, "reward.allocated")
    assert (allocated["allocated_by"], allocated["target_id"], allocated["purchase_id"]) == (
        "target",
        achieved["target_id"],
        None,
    )

    # The batch again (a redelivery), and a later bill: nothing more.
    assert await consumer.apply_batch(batch) == [Outcome.DUPLICATE]
    await consumer.apply_batch([recorded(5, 7, "900.00", in_march(20))])
    assert await achievements(db) == [achieved]
    assert await db.fetchval("SELECT count(*) FROM loyalty.reward") == 1
    assert await db.fetchval("SELECT sum(points) FROM loyalty.wallet_entry WHERE customer_id = 7") == 500
    assert len(await outbox_events(db, "target.achieved")) == 1
    # Customer 8 bought nothing in March live: still open.
    listed = await loyalty.as_principal(MANAGER).get(f"{RUNS}/{run['id']}/targets", params={"achieved": "false"})
    assert [t["customer_id"] for t in listed.json()["items"]] == [8]
    # The customer sees their gift among their rewards.
    rewards = (await loyalty.as_principal(shopper(7)).get("/api/v1/loyalty/customers/7/rewards")).json()["items"]
    assert [(r["target_id"], r["purchase_id"], r["percent"]) for r in rewards] == [(achieved["target_id"], None, 25)]


async def test_a_target_reached_by_two_bills_at_the_same_instant_is_achieved_once(loyalty, db, database_url, engine):
    # Two products: the bills share no row but the customer's target (a product's units would serialise them).
    await put_products(db, [(1, "SKU-1", "active", 0, 0), (2, "SKU-2", "active", 0, 0)])
    await level_run(db, FEB, [(8, 1, "500.00")])
    run = await start_run(loyalty, percent="10", points=200)  # 550.00
    settings = loyalty_settings(database_url)
    at = in_march(12)
    # Two bills of 300.00 at the same instant, applied by two transactions at once: each alone is short of
    # 550.00; whichever locks the target second sees the other's bill, and achieves it once.
    first, second = ledger_consumer(engine, settings), ledger_consumer(engine, settings)
    for _ in range(3):  # also with the order the race happens to take
        await asyncio.gather(
            first.apply_batch([recorded(11, 8, "300.00", at)]),
            second.apply_batch([recorded(12, 8, "300.00", at, product_id=2)]),
        )
    (achieved,) = await achievements(db)
    assert (achieved["run_id"], achieved["customer_id"], achieved["volume"], achieved["target"]) == (
        run["id"],
        8,
        D("600.00"),
        D("550.00"),
    )
    assert achieved["reward_id"] is None  # no gift in this run
    assert await db.fetchval("SELECT sum(points) FROM loyalty.wallet_entry WHERE customer_id = 8") == 200

    # The same batch delivered twice at once: one applies it, the other finds it applied.
    await level_run(db, FEB, [(9, 1, "100.00")])
    other = await start_run(loyalty, percent="10", points=50)  # 110.00
    batch = [recorded(21, 9, "60.00", at), recorded(22, 9, "60.00", at)]
    outcomes = await asyncio.gather(first.apply_batch(batch), second.apply_batch(batch))
    assert sorted(o for result in outcomes for o in result) == [Outcome.APPLIED] * 2 + [Outcome.DUPLICATE] * 2
    rows = [a for a in await achievements(db) if a["run_id"] == other["id"]]
    assert [(a["customer_id"], a["volume"]) for a in rows] == [(9, D("120.00"))]
    assert await db.fetchval("SELECT sum(points) FROM loyalty.wallet_entry WHERE customer_id = 9") == 50
    assert len(await outbox_events(db, "target.achieved")) == 2


async def test_runs_and_achievements_are_listed_a_page_at_a_time(loyalty, db, database_url, engine):
    await put_products(db, [(1, "SKU-1", "active", 0, 0)])
    await level_run(db, FEB, [(c, 1, "100.00") for c in (31, 32, 33)])
    run = await start_run(loyalty, mode="value", percent=None, value="20.00")  # 120.00 each
    consumer = ledger_consumer(engine, loyalty_settings(database_url))
    await consumer.apply_batch([recorded(31, 31, "120.00", in_march(5)), recorded(33, 33, "150.50", in_march(6))])
    manager = loyalty.as_principal(MANAGER)
    first = (await manager.get(f"{RUNS}/{run['id']}/achievements", params={"limit": 1})).json()
    second = (
        await manager.get(f"{RUNS}/{run['id']}/achievements", params={"limit": 1, "cursor": first["next_cursor"]})
    ).json()
    assert [(a["customer_id"], a["volume"], a["target"]) for a in first["items"] + second["items"]] == [
        (31, "120.00", "120.00"),
        (33, "150.50", "120.00"),
    ]
    assert second["next_cursor"] is None
    detail = (await manager.get(f"{RUNS}/{run['id']}")).json()
    assert (detail["targets"], detail["achieved"]) == (3, 2)
    done = (await manager.get(f"{RUNS}/{run['id']}/targets", params={"achieved": "true"})).json()["items"]
    assert [(t["customer_id"], t["achieved_volume"]) for t in done] == [(31, "120.00"), (33, "150.50")]

    later = await start_run(loyalty, percent="5")
    await level_run(db, MAR, [(31, 1, "120.00")])
    april = await start_run(loyalty, month="2026-04-01", percent="5")
    runs = (await manager.get(RUNS)).json()["items"]
    assert [r["id"] for r in runs] == [april["id"], later["id"], run["id"]]
    march = (await manager.get(RUNS, params={"month": "2026-03-01"})).json()["items"]
    assert [r["id"] for r in march] == [later["id"], run["id"]]
    # A run made after its month began achieves at once the targets already reached (31 and 33: 5 % on 100.00).
    assert (await manager.get(f"{RUNS}/{later['id']}")).json()["achieved"] == 2
    assert_problem(await manager.get(f"{RUNS}/999/achievements"), 404, "not-found")


async def test_the_schedule_makes_the_months_run_once_on_its_first_day(db, database_url, engine):
    await level_run(db, FEB, FEBRUARY)
    settings = loyalty_settings(database_url, target_schedule='{"levels": [1], "mode": "value", "value": "100.00"}')
    assert await run_schedule(engine, settings, today=date(2026, 3, 2)) is None  # not the first day
    run = await run_schedule(engine, settings, today=MAR)
    assert (run.month, run.origin, run.targets, run.created_by) == (MAR, "schedule", 2, "schedule")
    assert await run_schedule(engine, settings, today=MAR) is None  # once
    assert await db.fetchval("SELECT count(*) FROM loyalty.target_run") == 1
    targets = await db.fetch("SELECT customer_id, target FROM loyalty.target ORDER BY customer_id")
    assert [tuple(t) for t in targets] == [(101, D("1099.99")), (102, D("1100.00"))]
    # April: no March levels yet; March is over, so they are computed first.
    april = await run_schedule(engine, settings, today=date(2026, 4, 1))
    assert april.level_run_id == await db.fetchval("SELECT id FROM loyalty.level_run WHERE month = $1", MAR)
    # A month whose month before is still going on: the schedule waits rather than fails.
    assert await run_schedule(engine, settings, today=date(2099, 1, 1)) is None
    # Off: nothing, even on a first day.
    off = loyalty_settings(database_url)
    assert await run_schedule(engine, off, today=date(2026, 5, 1)) is None
    assert await db.fetchval("SELECT count(*) FROM loyalty.target_run") == 2


def test_a_schedule_that_is_not_a_run_stops_the_service_from_starting(database_url):
    with pytest.raises(Exception, match="percent"):
        loyalty_settings(database_url, target_schedule='{"mode": "percent"}')


async def test_the_worked_example_of_the_docs(loyalty, db, database_url, engine):
    """docs/loyalty.md, "Targets": Dana, Eli, Fay, Gus and Hal in February; Eli's March."""
    dana, eli, fay, gus, hal, mug = 1, 2, 3, 4, 5, 17
    await put_products(db, [(1, "SKU-1", "active", 0, 0), (mug, "MUG-01", "active", 0, 0)])
    await level_run(
        db, FEB, [(dana, 2, "12100.00"), (eli, 1, "333.33"), (fay, 0, "0.00"), (gus, 3, "25000.00"), (hal, 1, "299.99")]
    )
    band = {"levels": [1, 2], "lower": "300.00", "upper": "20000.00"}
    gift = {"gift_percent": 25, "gift_product_id": mug, "points": 500}
    by_value = await start_run(loyalty, **band, mode="value", percent=None, value="250.00")
    assert await targets_of(loyalty, by_value["id"]) == {dana: "12350.00", eli: "583.33"}
    await db.execute("DELETE FROM loyalty.target WHERE run_id = $1", by_value["id"])  # the example has one run
    run = await start_run(loyalty, **band, percent="10", **gift)
    assert await targets_of(loyalty, run["id"]) == {dana: "13310.00", eli: "366.66"}

    consumer = ledger_consumer(engine, loyalty_settings(database_url))
    await consumer.apply_batch([recorded(31, eli, "200.00", in_march(3))])
    await consumer.apply_batch([recorded(32, eli, "150.00", in_march(5), lines=["140.00", "10.00"])])
    await consumer.apply_batch([returned(32, eli, 2, "10.00", in_march(6))])
    await consumer.apply_batch([recorded(33, eli, "500.00", in_march(9), source="import")])
    assert await achievements(db) == []  # 340.00
    await consumer.apply_batch([recorded(34, eli, "26.66", in_march(14))])
    await consumer.apply_batch([recorded(35, eli, "80.00", in_march(20))])
    (achieved,) = await achievements(db)
    assert (achieved["customer_id"], achieved["volume"], achieved["target"], achieved["points"]) == (
        eli,
        D("366.66"),
        D("366.66"),
        500,
    )
    reward = await db.fetchrow("SELECT * FROM loyalty.reward WHERE id = $1", achieved["reward_id"])
    assert (reward["product_id"], reward["percent"], reward["expires_at"] - reward["allocated_at"]) == (
        mug,
        25,
        timedelta(days=90),
    )
    wallet = await loyalty.as_principal(shopper(eli)).get(f"/api/v1/loyalty/customers/{eli}/wallet")
    assert (wallet.json()["balance"], wallet.json()["value"]) == (500, "5.00")


async def test_the_runs_sql_sets_exactly_the_targets_the_rules_give(loyalty, db):
    """For random volumes, levels, bands, percents and values, the set-based SQL agrees with the pure rules."""
    rng = random.Random(24)
    cents = [0, 1, 50, 99, 100, 12_345, 99_999, 1_000_000]  # 0.00 to 10,000.00, and some at random

    def volume() -> str:
        return f"{D(rng.choice([*cents, rng.randint(0, 10**7)])) / 100:.2f}"

    february = [(customer, rng.choice([None, 0, 1, 2, 3, 4, 5]), volume()) for customer in range(1, 301)]
    await level_run(db, FEB, february)
    for _ in range(6):
        levels = sorted(rng.sample(range(6), rng.randint(1, 6))) if rng.random() < 0.7 else None
        lower = D(rng.choice([0, 100, 5_000, 33_333])) / 100
        upper = lower + D(rng.randint(1, 10**7)) / 100 if rng.random() < 0.6 else None
        mode = rng.choice([TargetMode.PERCENT, TargetMode.VALUE])
        amount = D(rng.randint(1, 20_000)) / 100
        fields: dict[str, Any] = {
            "levels": levels,
            "lower": f"{lower:.2f}",
            "upper": None if upper is None else f"{upper:.2f}",
            "mode": mode.value,
            "percent": f"{amount:.2f}" if mode is TargetMode.PERCENT else None,
            "value": f"{amount:.2f}" if mode is TargetMode.VALUE else None,
        }
        run = await start_run(loyalty, **fields)
        expected = {}
        for customer, level, volume in february:
            target = target_for(D(volume), mode, amount)
            if selected(level, levels) and in_band(D(volume), lower, upper) and target is not None:
                expected[customer] = f"{target:.2f}"
        assert await targets_of(loyalty, run["id"]) == expected, fields
        assert run["targets"] == len(expected)
