"""RFM runs over a hand-made set with ties: scores, segments, classes, what is left out, segment shares,
members with their names (CSV made inert), one customer's answer, movements between runs, and bad input.

Every expected number is worked out here by hand from the bills, independently of the code: for a
customer with value v, cume_dist = (customers whose value is as good as v or worse) / customers, and the
score is ceil(5 × cume_dist) (quintile) or ceil(4 × cume_dist) (quartile)."""

import csv
import io
from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.analytics.app import create_app
from services.analytics.rfm import repository
from services.analytics.rfm.rules import Scheme
from tests.analytics.conftest import ANALYST, analytics_settings
from tests.conftest import ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill
from tests.support.builders import make_customer, make_product

RUNS = "/api/v1/analytics/rfm/runs"


@pytest.fixture
async def named(database_url: str, customer_process: str) -> AsyncIterator[ServiceClient]:
    """The analytics app reading names from the customer service process at ``customer_process``."""
    app = create_app(analytics_settings(database_url, events_relay=False, customer_url=customer_process))
    async with app.router.lifespan_context(app), ServiceClient(app, ANALYST) as client:
        yield client


async def shop(customer: ServiceClient, feed: OutboxFeed) -> dict[str, dict[str, Any]]:
    """Five buyers with ties, one customer who never buys, one who buys only in June, and guest bills.

    Lamps at 10.00; at 2026-05-31:
      Ann  3 bills (05-10, 05-20, 05-30), 1 lamp each: recency 1,  frequency 3, monetary 30.00
      Bob  1 bill  (05-30), 5 lamps:                   recency 1,  frequency 1, monetary 50.00
      Cat  2 bills (05-01, 05-15), 1 lamp each:        recency 16, frequency 2, monetary 20.00
      Dan  1 bill  (04-01), 2 lamps:                   recency 60, frequency 1, monetary 20.00
      Eve  3 bills (05-25, 05-26, 05-27), 1 each:      recency 4,  frequency 3, monetary 30.00
      Fay  never buys; Gus (named like a spreadsheet formula) buys 1 lamp on 06-02.
    """
    lamp = await make_product(customer, price="10.00", stock=None)
    mug = await make_product(customer, price="5.00", stock=None)
    people = {}
    for name in ["Ann", "Bob", "Cat", "Dan", "Eve", "Fay", '=HYPERLINK("http://x")']:
        people[name] = await make_customer(customer, name=name)
    people["Gus"] = people.pop('=HYPERLINK("http://x")')
    plan = {
        "Ann": [("05-10", 1), ("05-20", 1), ("05-30", 1)],
        "Bob": [("05-30", 5)],
        "Cat": [("05-01", 1), ("05-15", 1)],
        "Dan": [("04-01", 2)],
        "Eve": [("05-25", 1), ("05-26", 1), ("05-27", 1)],
        "Gus": [("06-02", 1)],
    }
    for name, bills in plan.items():
        for day, lamps in bills:
            await bill(customer, [(lamp, lamps)], f"2026-{day}T12:00:00Z", people[name])
    await bill(customer, [(lamp, 3), (mug, 2)], "2026-05-05T12:00:00Z")  # a guest: 1 bill, 2 lines, 40.00
    await bill(customer, [(lamp, 1)], "2026-06-02T12:00:00Z")  # a guest after the first reference date
    await feed.deliver()
    return people


async def run(client: ServiceClient, **body: Any) -> dict[str, Any]:
    response = await client.post(RUNS, json=body)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_rfm_runs_scores_segments_members_and_movements(
    customer: ServiceClient, named: ServiceClient, feed: OutboxFeed
) -> None:
    people = await shop(customer, feed)
    ids = {name: p["id"] for name, p in people.items()}

    may = await run(named, reference_date="2026-05-31")
    assert may["scheme"] == "quintile" and may["reference_date"] == "2026-05-31"
    assert may["customers"] == 5 and may["revenue"] == "150.00"
    # Left out: Fay (no purchase) and Gus (nothing on or before 05-31); the guest bill of 05-05 only.
    assert may["left_out"] == {"no_purchase": 2, "guest_bills": 1, "guest_lines": 2, "guest_revenue": "40.00"}

    async def scores(run_id: int, name: str) -> tuple[int, int, int, str]:
        response = await named.get(f"{RUNS}/{run_id}/customers/{ids[name]}")
        assert response.status_code == 200, response.text
        body = response.json()
        return body["r"], body["f"], body["m"], body["segment"]

    # R, recency descending (worse first): Dan 60 -> 1/5 = 0.2 -> ceil(1.0) = 1; Cat 16 -> 2/5 -> 2;
    #   Eve 4 -> 3/5 -> 3; Ann and Bob tie at 1 -> 5/5 -> 5 (both).
    # F, orders ascending: Bob and Dan tie at 1 -> 2/5 = 0.4 -> ceil(2.0) = 2; Cat 2 -> 3/5 -> 3;
    #   Ann and Eve tie at 3 -> 5/5 -> 5.
    # M, spend ascending: Cat and Dan tie at 20 -> 2/5 -> 2; Ann and Eve tie at 30 -> 4/5 -> 4; Bob 50 -> 5.
    # Segments on (R, F): Ann 55 champions, Bob 52 potential loyalist, Cat 23 at risk, Dan 12 hibernating,
    #   Eve 35 loyal.
    assert await scores(may["id"], "Ann") == (5, 5, 4, "champions")
    assert await scores(may["id"], "Bob") == (5, 2, 5, "potential_loyalist")
    assert await scores(may["id"], "Cat") == (2, 3, 2, "at_risk")
    assert await scores(may["id"], "Dan") == (1, 2, 2, "hibernating")
    assert await scores(may["id"], "Eve") == (3, 5, 4, "loyal")

    cat = (await named.get(f"{RUNS}/{may['id']}/customers/{ids['Cat']}")).json()
    assert cat == {
        "run_id": may["id"],
        "reference_date": "2026-05-31",
        "scheme": "quintile",
        "customer_id": ids["Cat"],
        "last_purchase": "2026-05-15",
        "recency": 16,
        "frequency": 2,
        "monetary": "20.00",
        "r": 2,
        "f": 3,
        "m": 2,
        "score": None,
        "segment": "at_risk",
        "label": "At Risk",
    }
    for name in ("Fay", "Gus"):
        missing = await named.get(f"{RUNS}/{may['id']}/customers/{ids[name]}")
        assert missing.status_code == 404 and missing.headers["content-type"] == "application/problem+json"
        assert missing.json()["errors"][0]["field"] == "path.customer_id"

    # Shares of 5 customers and of 150.00: 1/5 = 0.2000; 50/150 = 0.3333; 20/150 = 0.1333.
    segments = (await named.get(f"{RUNS}/{may['id']}/segments")).json()
    assert segments["filters"] == {"run_id": may["id"], "reference_date": "2026-05-31", "scheme": "quintile"}
    table = {
        r["segment"]: (r["customers"], r["customer_share"], r["revenue"], r["revenue_share"]) for r in segments["rows"]
    }
    assert [r["segment"] for r in segments["rows"]] == [
        "champions", "loyal", "potential_loyalist", "new", "promising", "need_attention", "about_to_sleep",
        "at_risk", "cant_lose_them", "hibernating",
    ]  # fmt: skip
    assert table["champions"] == (1, "0.2000", "30.00", "0.2000")
    assert table["loyal"] == (1, "0.2000", "30.00", "0.2000")
    assert table["potential_loyalist"] == (1, "0.2000", "50.00", "0.3333")
    assert table["at_risk"] == (1, "0.2000", "20.00", "0.1333")
    assert table["hibernating"] == (1, "0.2000", "20.00", "0.1333")
    assert table["new"] == (0, "0.0000", "0.00", "0.0000")
    chart = (await named.get(f"{RUNS}/{may['id']}/segments", params={"format": "chart"})).json()
    assert chart["labels"][0] == "Champions" and chart["series"][0]["values"][:3] == [1, 1, 1]

    # Members with names, a page at a time by customer id.
    first = (await named.get(f"{RUNS}/{may['id']}/members", params={"limit": 3})).json()
    assert [r["name"] for r in first["rows"]] == ["Ann", "Bob", "Cat"]
    rest = (await named.get(f"{RUNS}/{may['id']}/members", params={"limit": 3, "cursor": first["next_cursor"]})).json()
    assert [r["name"] for r in rest["rows"]] == ["Dan", "Eve"] and rest["next_cursor"] is None
    loyal = (await named.get(f"{RUNS}/{may['id']}/members", params={"segment": "loyal"})).json()["rows"]
    assert loyal == [
        {"customer_id": ids["Eve"], "name": "Eve", "segment": "loyal", "recency": 4, "frequency": 3,
         "monetary": "30.00", "r": 3, "f": 5, "m": 4}
    ]  # fmt: skip

    # June: Gus bought on 06-02; at 2026-06-05 (6 customers):
    #   R, recency descending: Dan 65 -> 1/6 -> ceil(0.83) = 1; Cat 21 -> 2/6 -> ceil(1.67) = 2;
    #     Eve 9 -> 3/6 -> ceil(2.5) = 3; Ann and Bob tie at 6 -> 5/6 -> ceil(4.17) = 5; Gus 3 -> 6/6 -> 5.
    #   F, orders ascending: Bob, Dan and Gus tie at 1 -> 3/6 -> ceil(2.5) = 3; Cat 2 -> 4/6 -> ceil(3.33) = 4;
    #     Ann and Eve 3 -> 5.
    #   Segments: Ann 55 champions, Bob 53 and Gus 53 potential loyalist, Cat 24 and Dan 13 at risk, Eve 35 loyal.
    june = await run(named, reference_date="2026-06-05")
    assert june["customers"] == 6 and june["revenue"] == "160.00"
    assert june["left_out"] == {"no_purchase": 1, "guest_bills": 2, "guest_lines": 3, "guest_revenue": "50.00"}
    assert await scores(june["id"], "Gus") == (5, 3, 1, "potential_loyalist")  # M: 10.00 is the least, 1/6 -> 1
    assert await scores(june["id"], "Dan") == (1, 3, 3, "at_risk")  # M: Cat and Dan tie at 20 -> 3/6 -> 3

    moved = await named.get("/api/v1/analytics/rfm/movements", params={"from_run": may["id"], "to_run": june["id"]})
    assert moved.status_code == 200, moved.text
    assert [(r["from_segment"], r["to_segment"], r["customers"], r["moved"]) for r in moved.json()["rows"]] == [
        ("champions", "champions", 1, False),
        ("loyal", "loyal", 1, False),
        ("potential_loyalist", "potential_loyalist", 1, False),
        ("at_risk", "at_risk", 1, False),
        ("hibernating", "at_risk", 1, True),
        (None, "potential_loyalist", 1, True),  # Gus: in June's run only
    ]

    listed = (await named.get(RUNS, params={"limit": 1})).json()
    assert [r["id"] for r in listed["items"]] == [june["id"]]
    older = (await named.get(RUNS, params={"limit": 1, "cursor": listed["next_cursor"]})).json()
    assert [r["id"] for r in older["items"]] == [may["id"]] and older["next_cursor"] is None
    assert (await named.get(f"{RUNS}/{may['id']}")).json() == may

    # The CSV holds every member with its name; a name a spreadsheet would run comes out inert.
    download = await named.get(f"{RUNS}/{june['id']}/members", params={"format": "csv", "limit": 1})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(download.text)))
    assert rows[0] == ["customer_id", "name", "segment", "recency", "frequency", "monetary", "r", "f", "m"]
    assert [row[1] for row in rows[1:]] == ["Ann", "Bob", "Cat", "Dan", "Eve", '\'=HYPERLINK("http://x")']
    assert rows[-1][2:] == ["potential_loyalist", "3", "1", "10.00", "5", "3", "1"]


async def test_the_quartile_scheme_scores_one_to_four_and_classes_on_the_mean(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    people = await shop(customer, feed)
    quartile = await run(analytics, reference_date="2026-05-31", scheme="quartile")
    assert quartile["scheme"] == "quartile" and quartile["customers"] == 5
    # ceil(4 × cume_dist), same cume_dists as the quintile run at 05-31:
    #   R: Dan 0.2 -> ceil(0.8) = 1, Cat 0.4 -> ceil(1.6) = 2, Eve 0.6 -> ceil(2.4) = 3, Ann and Bob 1.0 -> 4.
    #   F: Bob and Dan 0.4 -> 2, Cat 0.6 -> 3, Ann and Eve 1.0 -> 4.
    #   M: Cat and Dan 0.4 -> 2, Ann and Eve 0.8 -> ceil(3.2) = 4, Bob 1.0 -> 4.
    # Means: Ann 12/3 = 4 very high; Eve 11/3 = 3.6667 very high; Bob 10/3 = 3.3333 high;
    #   Cat 7/3 = 2.3333 medium; Dan 5/3 = 1.6667 medium.
    expected = {
        "Ann": (4, 4, 4, "4.0000", "very_high"),
        "Bob": (4, 2, 4, "3.3333", "high"),
        "Cat": (2, 3, 2, "2.3333", "medium"),
        "Dan": (1, 2, 2, "1.6667", "medium"),
        "Eve": (3, 4, 4, "3.6667", "very_high"),
    }
    for name, scores in expected.items():
        body = (await analytics.get(f"{RUNS}/{quartile['id']}/customers/{people[name]['id']}")).json()
        assert (body["r"], body["f"], body["m"], body["score"], body["segment"]) == scores, name
    segments = (await analytics.get(f"{RUNS}/{quartile['id']}/segments")).json()["rows"]
    # Revenue: very high Ann 30 + Eve 30 = 60/150 = 0.4000; high Bob 50 -> 0.3333; medium 40 -> 0.2667.
    assert [(r["segment"], r["label"], r["customers"], r["customer_share"], r["revenue_share"]) for r in segments] == [
        ("very_high", "Very high", 2, "0.4000", "0.4000"),
        ("high", "High", 1, "0.2000", "0.3333"),
        ("medium", "Medium", 2, "0.4000", "0.2667"),
        ("low", "Low", 0, "0.0000", "0.0000"),
    ]
    wrong = await analytics.get(f"{RUNS}/{quartile['id']}/members", params={"segment": "champions"})
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["field"] == "query.segment"


async def test_a_run_before_any_purchase_and_bad_input(analytics: ServiceClient) -> None:
    empty = await run(analytics)  # today in the business time zone, nobody has bought
    keyed = {"Idempotency-Key": "rfm-once"}
    once = await analytics.post(RUNS, json={"scheme": "quartile"}, headers=keyed)
    again = await analytics.post(RUNS, json={"scheme": "quartile"}, headers=keyed)
    assert once.status_code == again.status_code == 201 and once.json()["id"] == again.json()["id"]
    assert (await analytics.get(RUNS)).json()["items"][0]["id"] == once.json()["id"]
    assert len((await analytics.get(RUNS)).json()["items"]) == 2
    assert empty["customers"] == 0 and empty["revenue"] == "0.00"
    segments = (await analytics.get(f"{RUNS}/{empty['id']}/segments")).json()["rows"]
    assert all(r["customers"] == 0 and r["customer_share"] is None for r in segments)

    bad_scheme = await analytics.post(RUNS, json={"scheme": "decile"})
    assert bad_scheme.status_code == 422 and bad_scheme.headers["content-type"] == "application/problem+json"
    assert bad_scheme.json()["errors"][0]["field"] == "body.scheme"
    bad_date = await analytics.post(RUNS, json={"reference_date": "2026-02-30"})
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "body.reference_date"
    extra = await analytics.post(RUNS, json={"weights": [1, 2]})
    assert extra.status_code == 422

    unknown = empty["id"] + 100
    for path in (f"{RUNS}/{unknown}", f"{RUNS}/{unknown}/segments", f"{RUNS}/{unknown}/members"):
        response = await analytics.get(path)
        assert response.status_code == 404, path
        assert response.json()["errors"][0]["field"] == "path.run_id"
    moved = await analytics.get("/api/v1/analytics/rfm/movements", params={"from_run": empty["id"], "to_run": unknown})
    assert moved.status_code == 404 and moved.json()["errors"][0]["field"] == "query.to_run"
    missing = await analytics.get("/api/v1/analytics/rfm/movements", params={"from_run": empty["id"]})
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "query.to_run"
    bad_cursor = await analytics.get(f"{RUNS}/{empty['id']}/members", params={"cursor": "nope"})
    assert bad_cursor.status_code == 400 and bad_cursor.json()["errors"][0]["field"] == "query.cursor"


@pytest.mark.parametrize("scheme", ["quintile", "quartile"])
async def test_a_run_as_of_today_reads_the_summaries_and_scores_as_the_lines_do(
    customer: ServiceClient, feed: OutboxFeed, engine: AsyncEngine, scheme: str
) -> None:
    """A run with no line after its date reads the customers' summaries; scored from every line instead, each
    customer gets the same figures, scores and segment, and the run the same counts."""
    await shop(customer, feed)
    # A return and a cancellation, so the summaries' net spend and orders are tested too.
    lamp_bills = (await customer.get("/api/v1/purchases", params={"limit": 50})).json()["items"]
    first, second = lamp_bills[-1], lamp_bills[-2]
    returned = await customer.post(
        f"/api/v1/purchases/{first['id']}/returns",
        json={"lines": [{"line_id": first["lines"][0]["id"], "quantity": 1}]},
    )
    assert returned.status_code == 200, returned.text
    assert (await customer.post(f"/api/v1/purchases/{second['id']}/cancel", json={})).status_code == 200
    await feed.deliver()
    runs = {}
    async with AsyncSession(engine) as session, session.begin():
        for from_summaries in (True, False):
            runs[from_summaries] = await repository.create_run(
                session, date(2026, 6, 30), Scheme(scheme), from_summaries=from_summaries
            )
    async with engine.connect() as connection:
        scores = {
            source: (
                await connection.execute(
                    text("""SELECT customer_id, recency, frequency, monetary, r, f, m, segment
                            FROM analytics.rfm_score WHERE run_id = :run ORDER BY customer_id"""),
                    {"run": run_id},
                )
            ).all()
            for source, run_id in runs.items()
        }
        counts = {
            source: (
                await connection.execute(
                    text("""SELECT customers, revenue, no_purchase, guest_bills, guest_lines, guest_revenue
                            FROM analytics.rfm_run WHERE id = :run"""),
                    {"run": run_id},
                )
            ).one()
            for source, run_id in runs.items()
        }
    assert len(scores[True]) == 6 and scores[True] == scores[False]
    assert counts[True] == counts[False]
