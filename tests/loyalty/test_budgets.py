"""Budget allocation against PostgreSQL (SPEC §3.3, §3.4): groups with a tie at a quantile and an empty group,
every cent of a hand-worked month, a level selection, city and store filters, stored runs read and exported,
and, for random months, allocated + unspent = amount with no customer a cent away from a group peer."""

import csv
import io
import random
from collections import defaultdict
from datetime import date
from decimal import Decimal

from tests.loyalty.conftest import CLERK, MANAGER, shopper
from tests.loyalty.monthly import put_customer, put_customers_with_volumes, put_figures
from tests.support.problems import assert_problem

D = Decimal
RUNS = "/api/v1/loyalty/budgets/runs"
GROUPS = "/api/v1/loyalty/levels/groups"


async def put_hand_month(db) -> None:
    """October, by hand (band 3: retention at or below the 0.3 quantile, promotion at or above the 0.7 one).

    Level 1, customers 101 to 111, volumes 10, 20, … 110: the 0.3 quantile is the 4th volume (position
    0.3 × 10 = 3 from 0), 40, and the 0.7 quantile the 8th, 80: both ties. Retention 101–104, consistent
    105–107, promotion 108–111. Level 2, customers 201–203, 10,000 each: both quantiles 10,000, retention
    wins the tie, so promotion is empty. Level 3, 301–304, 20,000 to 23,000: quantiles 20,900 and 22,100,
    retention 301, promotion 304. Level 4, 401 and 402, 30,000 and 40,000: quantiles 33,000 and 37,000.
    Level 0: customers 1, 2, 3. Left out: 90 (inactive, 50,000), 91 (0.50: no level).
    Odd ids live in Sydney (store 1), even ones in Perth (store 2).
    """
    for customer_id in (1, 2, 3):
        await put_customer(db, customer_id, city="Sydney" if customer_id % 2 else "Perth", store_id=2 - customer_id % 2)
    for n, customer_id in enumerate(range(101, 112), start=1):
        await put_customer(db, customer_id, city="Sydney" if customer_id % 2 else "Perth", store_id=2 - customer_id % 2)
        await put_figures(db, customer_id, D(10 * n))
    for customer_id in (201, 202, 203):
        await put_customer(db, customer_id, city="Sydney" if customer_id % 2 else "Perth", store_id=2 - customer_id % 2)
        await put_figures(db, customer_id, "10000.00", 3, 5)
    for n, customer_id in enumerate(range(301, 305)):
        await put_customer(db, customer_id, city="Sydney" if customer_id % 2 else "Perth", store_id=2 - customer_id % 2)
        await put_figures(db, customer_id, D(20000 + 1000 * n), 5, 10, "2000")
    for volume, customer_id in ((30000, 401), (40000, 402)):
        await put_customer(db, customer_id, city="Sydney" if customer_id % 2 else "Perth", store_id=2 - customer_id % 2)
        await put_figures(db, customer_id, D(volume), 8, 20, "8000", 4, 6)
    await put_customer(db, 90, status="inactive")
    await put_figures(db, 90, "50000.00", 12, 40, "15000", 9, 1)
    await put_customer(db, 91)
    await put_figures(db, 91, "0.50")


# The total volume of levels 1 to 5: 660 + 30,000 + 86,000 + 70,000 = 186,660. Of 1,000.00, in cents:
# level 1 100,000 × 660 / 186,660 = 353.58, level 2 16,072.00, level 3 46,073.07, level 4 37,501.34; the
# floors add to 99,999 and the cent left goes to the largest remainder, level 1: 3.54, 160.72, 460.73, 375.01.
# Level 1: promotion 1.77 (3.54 / 2), retention 1.77, each over 4 customers: 0.45 to the lowest id, 0.44 to
# the others. Level 2: 160.72 unspent (no promotion group). Level 3: promotion 230.36 (460.73 / 2 = 230.365,
# rounded down) to 304, retention 230.37 to 301. Level 4: promotion 187.50 to 402, retention 187.51 to 401.
# Level 0: 100.00 over 3 customers: 33.34 to customer 1, 33.33 to 2 and 3.
HAND_SHARES = {
    1: (0, "level0", "33.34"),
    2: (0, "level0", "33.33"),
    3: (0, "level0", "33.33"),
    101: (1, "retention", "0.45"),
    102: (1, "retention", "0.44"),
    103: (1, "retention", "0.44"),
    104: (1, "retention", "0.44"),
    108: (1, "promotion", "0.45"),
    109: (1, "promotion", "0.44"),
    110: (1, "promotion", "0.44"),
    111: (1, "promotion", "0.44"),
    301: (3, "retention", "230.37"),
    304: (3, "promotion", "230.36"),
    401: (4, "retention", "187.51"),
    402: (4, "promotion", "187.50"),
}


async def all_shares(client, run_id, **params):
    """Every share a run returns, read four to a page."""
    found, cursor = [], None
    while True:
        page_params = {"limit": 4, **params} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"{RUNS}/{run_id}/shares", params=page_params)).json()
        found += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            return {row["customer_id"]: (row["level"], row["group"], row["amount"]) for row in found}


async def test_groups_with_a_tie_at_each_quantile_and_an_empty_promotion_group(loyalty, db):
    await put_hand_month(db)
    manager = loyalty.as_principal(MANAGER)
    await manager.post("/api/v1/loyalty/levels/runs", json={"month": "2026-10"})
    body = (await manager.get(GROUPS, params={"month": "2026-10", "band": 3})).json()
    assert [
        (
            g["level"],
            g["customers"],
            g["retention_to"],
            g["promotion_from"],
            g["promotion"],
            g["consistent"],
            g["retention"],
        )
        for g in body["levels"]
    ] == [
        (1, 11, 40.0, 80.0, 4, 3, 4),
        (2, 3, 10000.0, 10000.0, 0, 0, 3),
        (3, 4, 20900.0, 22100.0, 1, 2, 1),
        (4, 2, 33000.0, 37000.0, 1, 0, 1),
    ]
    members = (
        await manager.get(
            f"{GROUPS}/customers", params={"month": "2026-10", "band": 3, "level": 1, "group": "promotion"}
        )
    ).json()
    assert [m["customer_id"] for m in members["items"]] == [108, 109, 110, 111]
    # Band 1: retention at or below the 0.1 quantile (20), promotion from the 0.9 quantile (100).
    narrow = (await manager.get(GROUPS, params={"month": "2026-10", "band": 1})).json()["levels"][0]
    assert (narrow["retention_to"], narrow["promotion_from"], narrow["retention"], narrow["promotion"]) == (
        20.0,
        100.0,
        2,
        2,
    )
    for band in ("0", "5", "x"):
        assert_problem(
            await manager.get(GROUPS, params={"month": "2026-10", "band": band}), 422, "validation", ["query.band"]
        )
    assert_problem(await manager.get(GROUPS, params={"month": "2026-10"}), 422, "validation", ["query.band"])


async def test_a_hand_worked_month_is_allocated_to_the_cent_and_stored(loyalty, db):
    await put_hand_month(db)
    manager = loyalty.as_principal(MANAGER)
    response = await manager.post(
        RUNS, json={"month": "2026-10", "band": 3, "amount": "1000.00", "level0_amount": "100.00"}
    )
    assert response.status_code == 201, response.text
    run = response.json()
    assert (run["allocated"], run["unspent"], run["level0_allocated"], run["level0_unspent"]) == (
        "839.28",
        "160.72",
        "100.00",
        "0.00",
    )
    assert [
        (lv["level"], lv["customers"], lv["share"], lv["promotion_amount"], lv["retention_amount"], lv["unspent"])
        for lv in run["per_level"]
    ] == [
        (0, 3, "100.00", "0.00", "0.00", "0.00"),
        (1, 11, "3.54", "1.77", "1.77", "0.00"),
        (2, 3, "160.72", "0.00", "0.00", "160.72"),
        (3, 4, "460.73", "230.36", "230.37", "0.00"),
        (4, 2, "375.01", "187.50", "187.51", "0.00"),
        (5, 0, "0.00", "0.00", "0.00", "0.00"),
    ]
    assert (run["shown_customers"], run["shown_amount"]) == (15, "939.28")
    assert await all_shares(manager, run["id"]) == {
        cid: (lv, g, D(a).to_eng_string()) for cid, (lv, g, a) in HAND_SHARES.items()
    }
    assert await all_shares(manager, run["id"], level=1, group="retention") == {
        cid: share for cid, share in HAND_SHARES.items() if share[:2] == (1, "retention")
    }
    assert (await manager.get(f"{RUNS}/{run['id']}")).json() == run
    listed = (await manager.get(RUNS, params={"month": "2026-10"})).json()
    assert [r["id"] for r in listed["items"]] == [run["id"]]
    exported = await manager.get(f"{RUNS}/{run['id']}/shares.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == ["customer_id", "level", "group", "amount", "city", "home_store_id"]
    assert {int(r[0]): (int(r[1]), r[2], r[3]) for r in rows[1:]} == HAND_SHARES
    assert rows[1] == ["1", "0", "level0", "33.34", "Sydney", "1"]


async def test_a_level_selection_pays_only_its_levels_with_their_share_of_the_whole_month(loyalty, db):
    await put_hand_month(db)
    manager = loyalty.as_principal(MANAGER)
    body = {"month": "2026-10", "band": 3, "amount": "1000.00", "level0_amount": "100.00", "levels": [3, 1]}
    run = (await manager.post(RUNS, json=body)).json()
    assert run["levels"] == [1, 3]
    assert (run["allocated"], run["unspent"], run["level0_allocated"], run["level0_unspent"]) == (
        "464.27",
        "535.73",
        "0.00",
        "100.00",
    )
    assert await all_shares(manager, run["id"]) == {
        cid: share for cid, share in HAND_SHARES.items() if share[0] in (1, 3)
    }


async def test_city_and_store_narrow_the_rows_after_the_national_computation(loyalty, db):
    await put_hand_month(db)
    manager = loyalty.as_principal(MANAGER)
    base = {"month": "2026-10", "band": 3, "amount": "1000.00", "level0_amount": "100.00"}
    national = (await manager.post(RUNS, json=base)).json()
    perth = (await manager.post(RUNS, json=base | {"city": "Perth"})).json()
    store = (await manager.post(RUNS, json=base | {"store_id": 1})).json()
    for run in (perth, store):
        assert run["per_level"] == national["per_level"] and run["allocated"] == national["allocated"]
        assert run["level_run_id"] == national["level_run_id"]
    assert await all_shares(manager, perth["id"]) == {cid: s for cid, s in HAND_SHARES.items() if cid % 2 == 0}
    assert await all_shares(manager, store["id"]) == {cid: s for cid, s in HAND_SHARES.items() if cid % 2 == 1}
    # Perth, the even ids: 33.33 (2) + 0.44 (102) + 0.44 (104) + 0.45 (108) + 0.44 (110) + 230.36 (304)
    # + 187.50 (402) = 452.96, to 7 customers.
    assert (perth["shown_customers"], perth["shown_amount"]) == (7, "452.96")
    both = (await manager.post(RUNS, json=base | {"city": "Perth", "store_id": 1})).json()
    assert await all_shares(manager, both["id"]) == {}


async def test_bad_requests_and_who_may_allocate(loyalty, db):
    manager = loyalty.as_principal(MANAGER)
    base = {"month": "2026-10", "band": 3, "amount": "1000.00", "level0_amount": "0"}
    for change, field in (
        ({"band": 5}, "body.band"),
        ({"band": 0}, "body.band"),
        ({"amount": "-1"}, "body.amount"),
        ({"amount": "1.001"}, "body.amount"),
        ({"levels": [6]}, "body.levels.0"),
        ({"levels": [1, 1]}, "body.levels"),
        ({"levels": []}, "body.levels"),
        ({"month": "2026-10-15"}, "body.month"),
    ):
        assert_problem(await manager.post(RUNS, json=base | change), 422, "validation", [field])
    for principal in (CLERK, shopper(7)):
        assert_problem(await loyalty.as_principal(principal).post(RUNS, json=base), 403, "forbidden")
    assert_problem(await manager.get(f"{RUNS}/12345"), 404, "not-found")
    # No level run yet for the month: one is computed; an empty month leaves everything unspent.
    run = (await manager.post(RUNS, json=base | {"level0_amount": "5.00"})).json()
    assert (run["allocated"], run["unspent"], run["level0_unspent"]) == ("0.00", "1000.00", "5.00")


async def test_random_months_add_up_and_no_peer_is_more_than_a_cent_away(loyalty, db):
    rng = random.Random(24)
    manager = loyalty.as_principal(MANAGER)
    next_id = 1
    for month in range(1, 7):
        first = f"2026-{month:02d}"
        volumes = {}
        for _ in range(rng.randint(5, 60)):
            volumes[next_id] = str(
                D(rng.choice([0, rng.randint(100, 9_999_99), rng.randint(1_000_000, 9_000_000)])) / 100
            )
            next_id += 1
        await put_customers_with_volumes(db, volumes, month=date(2026, month, 1))
        amount = D(rng.randint(0, 10_000_000)) / 100
        level0_amount = D(rng.randint(0, 100_000)) / 100
        levels = sorted(rng.sample(range(6), rng.randint(1, 6)))
        body = {
            "month": first,
            "band": rng.randint(1, 4),
            "amount": str(amount),
            "level0_amount": str(level0_amount),
            "levels": levels,
        }
        response = await manager.post(RUNS, json=body)
        assert response.status_code == 201, response.text
        run = response.json()
        assert D(run["allocated"]) + D(run["unspent"]) == amount
        assert D(run["level0_allocated"]) + D(run["level0_unspent"]) == level0_amount
        for level in run["per_level"]:
            assert D(level["allocated"]) + D(level["unspent"]) == D(level["share"])
        shares = await db.fetch(
            'SELECT level, "group", customer_id, amount FROM loyalty.budget_share WHERE run_id = $1', run["id"]
        )
        assert sum((row["amount"] for row in shares), D(0)) == D(run["allocated"]) + D(run["level0_allocated"])
        by_group = defaultdict(list)
        for row in shares:
            by_group[row["level"], row["group"]].append((row["customer_id"], row["amount"]))
        for members in by_group.values():
            amounts = [amount for _, amount in sorted(members)]
            assert max(amounts) - min(amounts) <= D("0.01")
            assert amounts == sorted(amounts, reverse=True)
