"""The loyalty program: read by anyone signed in, changed by an admin or a manager into a new version that
applies to purchases recorded after it; every reward names the version it was made under."""

from datetime import UTC, datetime, timedelta

from tests.loyalty.conftest import ADMIN, CLERK, MANAGER, allocation, put_products, shopper
from tests.support.problems import assert_problem

PROGRAM = "/api/v1/loyalty/program"
ALLOCATIONS = "/api/v1/loyalty/rewards/allocations"


async def test_the_program_starts_with_the_specs_defaults_readable_by_anyone_signed_in(loyalty):
    for principal in (CLERK, MANAGER, shopper(7)):
        program = await loyalty.as_principal(principal).get(PROGRAM)
        assert program.status_code == 200, program.text
        body = program.json()
        assert (body["version"], body["changed_by"]) == (1, "defaults")
        assert body["reward_thresholds"] == ["250.00", "500.00", "750.00", "1000.00", "1250.00"]
        assert body["reward_percents"] == [10, 20, 30, 40, 50]
        assert (body["reward_expiry_days"], body["points_per_currency_unit"], body["points_expiry_months"]) == (
            90,
            100,
            12,
        )
        assert [level["volume"] for level in body["levels"]] == ["1.00", "10000.00", "20000.00", "30000.00", "75000.00"]


def changed(program: dict, **changes: object) -> dict:
    settings = {k: v for k, v in program.items() if k not in ("version", "effective_from", "changed_by")}
    return settings | changes


async def test_a_manager_changes_the_program_into_a_new_version_and_the_same_settings_change_nothing(loyalty):
    manager = loyalty.as_principal(MANAGER)
    current = (await manager.get(PROGRAM)).json()
    body = changed(current, reward_thresholds=["100.00", "200.00"], reward_percents=[15, 25], reward_expiry_days=30)
    first = await manager.put(PROGRAM, json=body)
    assert first.status_code == 200, first.text
    assert (first.json()["version"], first.json()["changed_by"], first.json()["reward_percents"]) == (
        2,
        "staff:manager",
        [15, 25],
    )
    again = await manager.put(PROGRAM, json=body)
    assert again.json() == first.json()
    by_admin = await loyalty.as_principal(ADMIN).put(PROGRAM, json=changed(body, points_expiry_months=6))
    assert by_admin.json()["version"] == 3
    versions = (await loyalty.as_principal(CLERK).get(f"{PROGRAM}/versions")).json()["items"]
    assert [v["version"] for v in versions] == [3, 2, 1]
    assert (await manager.get(PROGRAM)).json()["points_expiry_months"] == 6


async def test_a_clerk_or_a_customer_cannot_change_the_program(loyalty):
    current = (await loyalty.get(PROGRAM)).json()
    for principal in (CLERK, shopper(7)):
        refused = await loyalty.as_principal(principal).put(PROGRAM, json=changed(current, reward_expiry_days=1))
        assert_problem(refused, 403, "forbidden")
    assert (await loyalty.get(PROGRAM)).json()["version"] == 1


async def test_bad_program_settings_are_refused_naming_the_field(loyalty, db):
    manager = loyalty.as_principal(MANAGER)
    current = (await manager.get(PROGRAM)).json()
    cases = [
        (changed(current, reward_thresholds=["500.00", "250.00"], reward_percents=[10, 20]), "body.reward_thresholds"),
        (changed(current, reward_percents=[10, 20]), "body.reward_percents"),
        (changed(current, reward_percents=[10, 20, 30, 40, 500]), "body.reward_percents.4"),
        (changed(current, reward_thresholds=["-1.00"], reward_percents=[10]), "body.reward_thresholds.0"),
        (changed(current, reward_expiry_days=0), "body.reward_expiry_days"),
        (changed(current, levels=current["levels"][:4]), "body.levels"),
        (changed(current, levels=list(reversed(current["levels"]))), "body.levels"),
        (changed(current, colour="red"), "body.colour"),
    ]
    for body, field in cases:
        response = await manager.put(PROGRAM, json=body)
        assert_problem(response, 422, "validation")
        assert field in [error["field"] for error in response.json()["errors"]], (field, response.text)
    assert await db.fetchval("SELECT count(*) FROM loyalty.program_version") == 1


async def test_a_change_applies_to_purchases_recorded_after_it_and_rewards_remember_their_version(loyalty, db):
    await put_products(db, [(1, "SKU-A", "active", 0, 0)])
    before = datetime.now(UTC) - timedelta(seconds=5)
    current = (await loyalty.get(PROGRAM)).json()
    manager = loyalty.as_principal(MANAGER)
    await manager.put(PROGRAM, json=changed(current, reward_thresholds=["100.00"], reward_percents=[35]))

    earlier = await loyalty.post(ALLOCATIONS, json=allocation(1, "300.00", recorded_at=before.isoformat()))
    later = await loyalty.post(ALLOCATIONS, json=allocation(2, "300.00"))
    assert (earlier.json()["reward"]["category"], earlier.json()["reward"]["percent"]) == (1, 10)
    assert (later.json()["reward"]["category"], later.json()["reward"]["percent"]) == (1, 35)
    versions = dict(await db.fetch("SELECT purchase_id, program_version FROM loyalty.reward"))
    assert versions == {1: 1, 2: 2}
    # Under version 2 a bill of 150.00 earns; under version 1 it would not have.
    assert (await loyalty.post(ALLOCATIONS, json=allocation(3, "150.00"))).json()["reward"]["percent"] == 35
    assert (await loyalty.post(ALLOCATIONS, json=allocation(4, "150.00", recorded_at=before.isoformat()))).json()[
        "reward"
    ] is None
