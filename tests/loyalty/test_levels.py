"""Monthly levels against PostgreSQL (SPEC §3.2): every rule on a hand-made month, stored runs read again
as they were, listing filters and the CSV export, the thresholds in force at the month's end, permissions."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

from services.loyalty.levels.rules import level_of
from services.loyalty.program.rules import DEFAULT_LEVELS
from tests.loyalty.conftest import ADMIN, CLERK, MANAGER, shopper
from tests.loyalty.monthly import put_customer, put_figures
from tests.support.problems import assert_problem

RUNS = "/api/v1/loyalty/levels/runs"
LEVELS = "/api/v1/loyalty/levels"

# customer id: (figures or none, the level expected; None: no level)
EXPECTED = {
    1: (("0.50", 1, 1, "0", 1, 0), None),  # a volume strictly between 0 and 1: no level
    2: (None, 0),  # active, no purchase in the month
    3: (("1.00", 1, 1, "0", 0, 1), 1),
    4: (("10000.00", 3, 5, "0", 1, 2), 2),
    5: (("9999.99", 3, 5, "0", 1, 2), 1),  # one cent short of level 2
    6: (("20000.00", 5, 10, "2000.00", 1, 4), 3),
    7: (("30000.00", 8, 20, "8000.00", 3, 7), 3),  # self share exactly 30 %: not more than 30 %
    8: (("30000.00", 8, 20, "8000.00", 4, 6), 4),
    9: (("75000.00", 12, 40, "15000.00", 6, 4), 4),  # exactly 60 %: level 4, not 5
    10: (("75000.00", 12, 40, "15000.00", 7, 3), 5),
    11: (("75000.00", 12, 40, "15000.00", 0, 0), 3),  # neither self nor assisted orders: no share, fails 4 and 5
    12: (("0.00", 0, 0, "0", 0, 0), 0),  # bills all cancelled: volume 0
    13: (("0.99", 1, 1, "0", 1, 0), None),
}


async def put_month(db) -> None:
    for customer_id, (figures, _) in EXPECTED.items():
        city, store = ("Sydney", 1) if customer_id % 2 else ("Perth", 2)
        await put_customer(db, customer_id, city=city, store_id=store)
        if figures is not None:
            await put_figures(db, customer_id, *figures)
    # Left out: an inactive and a deleted customer, a customer created after October without October bills.
    await put_customer(db, 20, status="inactive")
    await put_figures(db, 20, "50000.00", 10, 10)
    await put_customer(db, 21, status="deleted")
    await put_customer(db, 22, created_at=datetime(2026, 11, 2, tzinfo=UTC))
    # Counted: created before the month ended (level 0); created after it but with October bills (an import).
    await put_customer(db, 23, created_at=datetime(2026, 10, 31, 23, 59, tzinfo=UTC))
    await put_customer(db, 24, created_at=datetime(2026, 11, 5, tzinfo=UTC))
    await put_figures(db, 24, "5.00")
    # Figures of another month only: level 0 in October. A guest's figures have no customer row.
    await put_customer(db, 25)
    await put_figures(db, 25, "40000.00", 9, 9, month=datetime(2026, 9, 1).date())
    # Imported in November with September bills: a customer since September, level 0 in October; with
    # December bills only, not a customer yet in October.
    await put_customer(db, 26, created_at=datetime(2026, 11, 5, tzinfo=UTC))
    await put_figures(db, 26, "40.00", month=datetime(2026, 9, 1).date())
    await put_customer(db, 27, created_at=datetime(2026, 11, 5, tzinfo=UTC))
    await put_figures(db, 27, "40.00", month=datetime(2026, 12, 1).date())
    await put_figures(db, 99, "70.00")


ALL_EXPECTED = {cid: level for cid, (_, level) in EXPECTED.items()} | {23: 0, 24: 1, 25: 0, 26: 0}


async def test_a_months_levels_follow_every_rule(loyalty, db):
    await put_month(db)
    response = await loyalty.as_principal(MANAGER).post(RUNS, json={"month": "2026-10"})
    assert response.status_code == 201, response.text
    run = response.json()
    assert (run["month"], run["program_version"], run["customers"]) == ("2026-10-01", 1, len(ALL_EXPECTED))
    assert [t["volume"] for t in run["thresholds"]] == ["1.00", "10000.00", "20000.00", "30000.00", "75000.00"]
    assert run["levels"] == [
        {"level": None, "customers": 2, "volume": "1.49"},
        {"level": 0, "customers": 5, "volume": "0.00"},
        {"level": 1, "customers": 3, "volume": "10005.99"},
        {"level": 2, "customers": 1, "volume": "10000.00"},
        {"level": 3, "customers": 3, "volume": "125000.00"},
        {"level": 4, "customers": 2, "volume": "105000.00"},
        {"level": 5, "customers": 1, "volume": "75000.00"},
    ]
    listed = (await loyalty.as_principal(MANAGER).get(LEVELS, params={"month": "2026-10", "limit": 500})).json()
    assert listed["run_id"] == run["id"]
    assert {row["customer_id"]: row["level"] for row in listed["items"]} == ALL_EXPECTED
    seven = next(row for row in listed["items"] if row["customer_id"] == 7)
    assert seven == {
        "customer_id": 7,
        "level": 3,
        "volume": "30000.00",
        "orders": 8,
        "brands": 20,
        "own_brand_volume": "8000.00",
        "self_orders": 3,
        "assisted_orders": 7,
        "city": "Sydney",
        "home_store_id": 1,
    }
    # The pure rule agrees with the SQL on every customer with figures.
    for figures, level in EXPECTED.values():
        if figures is not None:
            volume, orders, brands, own, self_orders, assisted = figures
            assert (
                level_of(
                    DEFAULT_LEVELS,
                    volume=Decimal(volume),
                    orders=orders,
                    brands=brands,
                    own_brand_volume=Decimal(own),
                    self_orders=self_orders,
                    assisted_orders=assisted,
                )
                == level
            )


async def test_listing_filters_pages_and_exports(loyalty, db):
    await put_month(db)
    manager = loyalty.as_principal(MANAGER)
    assert (await manager.post(RUNS, json={"month": "2026-10-01"})).status_code == 201

    async def ids(**params):
        body = (await manager.get(LEVELS, params={"month": "2026-10", **params})).json()
        return [row["customer_id"] for row in body["items"]]

    assert await ids(level=3) == [6, 7, 11]
    assert await ids(level=0) == [2, 12, 23, 25, 26]
    assert await ids(city="Perth") == [2, 4, 6, 8, 10, 12]
    assert await ids(store_id=2, level=4) == [8]
    assert await ids(city="Perth", store_id=1) == []

    first = (await manager.get(LEVELS, params={"month": "2026-10", "limit": 5})).json()
    assert [row["customer_id"] for row in first["items"]] == [1, 2, 3, 4, 5]
    second = (await manager.get(LEVELS, params={"month": "2026-10", "limit": 5, "cursor": first["next_cursor"]})).json()
    assert [row["customer_id"] for row in second["items"]] == [6, 7, 8, 9, 10]

    exported = await manager.get(f"{LEVELS}.csv", params={"month": "2026-10", "city": "Perth"})
    assert exported.status_code == 200, exported.text
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text)))
    assert rows[0] == [
        "customer_id",
        "level",
        "volume",
        "orders",
        "brands",
        "own_brand_volume",
        "self_orders",
        "assisted_orders",
        "city",
        "home_store_id",
    ]
    assert [(row[0], row[1], row[2]) for row in rows[1:]] == [
        ("2", "0", "0.00"),
        ("4", "2", "10000.00"),
        ("6", "3", "20000.00"),
        ("8", "4", "30000.00"),
        ("10", "5", "75000.00"),
        ("12", "0", "0.00"),
    ]


async def test_a_city_a_spreadsheet_would_run_is_exported_inert(loyalty, db):
    await put_customer(db, 1, city='=HYPERLINK("http://x")')
    await put_figures(db, 1, "5.00")
    manager = loyalty.as_principal(MANAGER)
    await manager.post(RUNS, json={"month": "2026-10"})
    exported = await manager.get(f"{LEVELS}.csv", params={"month": "2026-10"})
    (row,) = list(csv.reader(io.StringIO(exported.text)))[1:]
    assert row[8] == '\'=HYPERLINK("http://x")'


async def test_a_run_is_read_again_as_it_was(loyalty, db):
    await put_month(db)
    manager = loyalty.as_principal(MANAGER)
    first = (await manager.post(RUNS, json={"month": "2026-10"})).json()
    await db.execute("UPDATE loyalty.monthly_figures SET volume = 80000, self_orders = 9 WHERE customer_id = 9")
    await db.execute("UPDATE loyalty.customer SET status = 'inactive' WHERE id = 3")
    second = (await manager.post(RUNS, json={"month": "2026-10"})).json()
    assert second["id"] > first["id"] and second["customers"] == first["customers"] - 1

    async def level_of_nine(**params):
        body = (await manager.get(LEVELS, params={"month": "2026-10", "level": 5, **params})).json()
        return body["run_id"], [row["customer_id"] for row in body["items"]]

    assert await level_of_nine() == (second["id"], [9, 10])
    assert await level_of_nine(run_id=first["id"]) == (first["id"], [10])
    runs = (await manager.get(RUNS, params={"month": "2026-10"})).json()
    assert [run["id"] for run in runs["items"]] == [second["id"], first["id"]]
    read = (await manager.get(f"{RUNS}/{first['id']}")).json()
    assert read == first
    assert_problem(await manager.get(f"{RUNS}/999"), 404, "not-found")
    assert_problem(await manager.get(LEVELS, params={"month": "2026-09"}), 404, "not-found")
    assert_problem(await manager.get(LEVELS, params={"month": "2026-11", "run_id": first["id"]}), 422, "validation")


async def test_the_thresholds_in_force_when_the_month_ended_are_used(loyalty, db):
    await put_month(db)
    admin = loyalty.as_principal(ADMIN)
    program = (await admin.get("/api/v1/loyalty/program")).json()
    settings = {key: program[key] for key in program if key not in ("version", "effective_from", "changed_by")}
    settings["levels"][1]["volume"] = "5.00"  # level 2 from 5.00 (and 3 orders, 5 brands), in force from now
    assert (await admin.put("/api/v1/loyalty/program", json=settings)).status_code == 200
    october = (await admin.post(RUNS, json={"month": "2026-10"})).json()
    assert october["program_version"] == 1 and october["thresholds"][1]["volume"] == "10000.00"
    this_month = datetime.now(UTC).strftime("%Y-%m")
    current = (await admin.post(RUNS, json={"month": this_month})).json()
    assert current["program_version"] == 2 and current["thresholds"][1]["volume"] == "5.00"


async def test_bad_months_and_who_may_compute_and_read(loyalty, db):
    manager = loyalty.as_principal(MANAGER)
    for month in ("2026-13", "2026-10-02", "October", ""):
        assert_problem(await manager.post(RUNS, json={"month": month}), 422, "validation", ["body.month"])
    assert_problem(await manager.get(LEVELS), 422, "validation", ["query.month"])
    for principal in (CLERK, shopper(7)):
        assert_problem(await loyalty.as_principal(principal).post(RUNS, json={"month": "2026-10"}), 403, "forbidden")
        assert_problem(await loyalty.as_principal(principal).get(RUNS), 403, "forbidden")
    assert (await manager.get(RUNS)).status_code == 200
