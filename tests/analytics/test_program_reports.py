"""Loyalty effectiveness reports on a hand-made sequence: bills recorded, returned and cancelled through the
customer service, and the loyalty service's reward and wallet events (allocations, redemptions, a redemption
taken back by a cancelled bill, a void, an expiry, points earned, spent, refunded, adjusted and expired) applied
by the analytics feed as the broker would deliver them. Every figure is worked out by hand from the sequence."""

import csv
import io
import uuid
from datetime import datetime, timedelta
from typing import Any

from services.contracts.loyalty import (
    RewardAllocated,
    RewardExpired,
    RewardRedeemed,
    RewardReinstated,
    RewardVoided,
    WalletEntryWritten,
)
from services.kit.consumer import Outcome
from services.kit.events import Envelope, EventPayload
from tests.conftest import ServiceClient
from tests.loyalty.conftest import OutboxFeed
from tests.loyalty.test_monthly_figures import bill, give_back
from tests.support.builders import make_customer, make_product

REPORTS = "/api/v1/analytics/loyalty"


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day}T10:00:00+00:00")


class Loyalty:
    """The loyalty service's events of the sequence, each reward's and wallet's in their order."""

    def __init__(self) -> None:
        self.events: list[Envelope] = []
        self.seq: dict[str, int] = {}

    def emit(self, payload: EventPayload, when: datetime) -> None:
        aggregate = payload.aggregate_id()
        self.seq[aggregate] = self.seq.get(aggregate, 0) + 1
        self.events.append(
            Envelope(
                id=uuid.uuid4(),
                type=payload.event_type,
                version=payload.version,
                occurred_at=when,
                aggregate_id=aggregate,
                seq=self.seq[aggregate],
                payload=payload.model_dump(mode="json"),
            )
        )


def facts(reward_id: int, customer: dict[str, Any], product: dict[str, Any], allocated: datetime, **more: Any) -> Any:
    return {
        "reward_id": reward_id,
        "customer_id": customer["id"],
        "product_id": product["id"],
        "category": more.pop("category", 1),
        "percent": more.pop("percent", 10),
        "purchase_id": more.pop("purchase_id", None),
        "program_version": 1,
        "allocated_at": allocated,
        "expires_at": allocated + timedelta(days=90),
        **more,
    }


async def _shop(customer: ServiceClient) -> dict[str, Any]:
    """Four customers' bills over January to March 2026, one returned in part, two cancelled; rewards and points."""
    ann, bob, cat, dan = [await make_customer(customer) for _ in range(4)]
    tv = await make_product(customer, price="300.00", stock=None, name="Television")
    radio = await make_product(customer, price="40.00", stock=None, name="Radio")
    cable = await make_product(customer, price="5.00", stock=None, name="=cable")  # a spreadsheet formula
    b = {
        "bob-jan": await bill(customer, [(radio, 2)], "2026-01-10T10:00:00Z", bob),  # 80.00
        "cat-jan": await bill(customer, [(cable, 3)], "2026-01-12T10:00:00Z", cat),  # 15.00
        "ann-jan": await bill(customer, [(tv, 1)], "2026-01-25T10:00:00Z", ann),  # 300.00
        "ann-feb": await bill(customer, [(radio, 1), (cable, 2)], "2026-02-03T10:00:00Z", ann),  # 50.00
        "bob-feb": await bill(customer, [(radio, 3)], "2026-02-14T10:00:00Z", bob),  # cancelled
        "dan-feb": await bill(customer, [(tv, 1)], "2026-02-20T10:00:00Z", dan),  # cancelled
        "cat-mar": await bill(customer, [(cable, 2)], "2026-03-02T10:00:00Z", cat),  # 10.00
        "ann-mar": await bill(customer, [(radio, 2), (cable, 1)], "2026-03-10T10:00:00Z", ann),  # 85.00, 40.00 back
        "bob-mar": await bill(customer, [(radio, 1)], "2026-03-15T10:00:00Z", bob),  # 40.00
        "dan-mar": await bill(customer, [(tv, 1)], "2026-03-20T10:00:00Z", dan),  # 300.00
    }
    await give_back(customer, b["ann-mar"], 0, 1)  # one radio
    for name in ("bob-feb", "dan-feb"):
        assert (await customer.post(f"/api/v1/purchases/{b[name]['id']}/cancel", json={})).status_code == 200

    loyalty = Loyalty()
    # R1: Ann's radio reward from her January bill, redeemed on her February bill 216 hours later.
    r1 = facts(1, ann, radio, at("2026-01-25"), purchase_id=b["ann-jan"]["id"])
    loyalty.emit(RewardAllocated(**r1, allocated_by="call"), at("2026-01-25"))
    loyalty.emit(
        RewardRedeemed(**r1, redeemed_purchase_id=b["ann-feb"]["id"], redeemed_at=at("2026-02-03")), at("2026-02-03")
    )
    # R2: Bob's radio reward, redeemed on his February bill, given back when it was cancelled, then expired.
    r2 = facts(2, bob, radio, at("2026-01-10"), purchase_id=b["bob-jan"]["id"])
    loyalty.emit(RewardAllocated(**r2, allocated_by="event"), at("2026-01-10"))
    loyalty.emit(
        RewardRedeemed(**r2, redeemed_purchase_id=b["bob-feb"]["id"], redeemed_at=at("2026-02-14")), at("2026-02-14")
    )
    loyalty.emit(
        RewardReinstated(**r2, cancelled_purchase_id=b["bob-feb"]["id"], reinstated_at=at("2026-02-16")),
        at("2026-02-16"),
    )
    loyalty.emit(RewardExpired(**r2, expired_at=at("2026-04-10")), at("2026-04-10"))
    # R3: Cat's gift (category 0) on cables from a reached target, redeemed 240 hours later.
    r3 = facts(3, cat, cable, at("2026-02-20"), category=0, percent=15, target_id=5)
    loyalty.emit(RewardAllocated(**r3, allocated_by="target"), at("2026-02-20"))
    loyalty.emit(
        RewardRedeemed(**r3, redeemed_purchase_id=b["cat-mar"]["id"], redeemed_at=at("2026-03-02")), at("2026-03-02")
    )
    # R4: Dan's TV reward, voided when the February bill that earned it was cancelled.
    r4 = facts(4, dan, tv, at("2026-02-20"), purchase_id=b["dan-feb"]["id"])
    loyalty.emit(RewardAllocated(**r4, allocated_by="call"), at("2026-02-20"))
    loyalty.emit(RewardVoided(**r4, voided_at=at("2026-02-21")), at("2026-02-21"))
    # R5: Dan's radio reward from March, still open. R6: Ann's cable reward, redeemed 840 hours later.
    r5 = facts(5, dan, radio, at("2026-03-20"), purchase_id=b["dan-mar"]["id"])
    loyalty.emit(RewardAllocated(**r5, allocated_by="call"), at("2026-03-20"))
    r6 = facts(6, ann, cable, at("2026-02-03"), purchase_id=b["ann-feb"]["id"])
    loyalty.emit(RewardAllocated(**r6, allocated_by="call"), at("2026-02-03"))
    loyalty.emit(
        RewardRedeemed(**r6, redeemed_purchase_id=b["ann-mar"]["id"], redeemed_at=at("2026-03-10")), at("2026-03-10")
    )

    def entry(n: int, who: dict[str, Any], kind: str, points: int, balance: int, day: str, **more: Any) -> None:
        loyalty.emit(
            WalletEntryWritten(
                entry_id=n, customer_id=who["id"], kind=kind, points=points, balance_after=balance,
                source="test", created_at=at(day), **more,
            ),
            at(day),
        )  # fmt: skip

    entry(1, bob, "earn", 300, 300, "2026-01-10", lot_id=None, expires_at=at("2026-03-01"))
    entry(2, ann, "earn", 500, 500, "2026-01-25", expires_at=at("2026-04-30"))
    entry(3, ann, "spend", -200, 300, "2026-02-03", purchase_id=b["ann-feb"]["id"])
    entry(4, ann, "refund", 50, 350, "2026-02-05", lot_id=2)
    entry(5, bob, "expire", -300, 0, "2026-03-01", lot_id=1)
    entry(6, cat, "adjust", 100, 100, "2026-03-02")
    entry(7, cat, "spend", -40, 60, "2026-03-02")
    return {"ann": ann, "bob": bob, "cat": cat, "dan": dan, "tv": tv, "radio": radio, "cable": cable,
            "loyalty": loyalty}  # fmt: skip


async def _report(analytics: ServiceClient, path: str, **params: Any) -> list[dict[str, Any]]:
    response = await analytics.get(f"{REPORTS}/{path}", params=params)
    assert response.status_code == 200, response.text
    assert response.headers["X-Patron-As-Of"]
    return list(response.json()["rows"])


def _pick(rows: list[dict[str, Any]], *names: str) -> list[tuple[Any, ...]]:
    return [tuple(row[name] for name in names) for row in rows]


async def test_every_loyalty_report_figure_from_a_hand_made_sequence(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    shop = await _shop(customer)
    await feed.deliver()
    outcomes = await feed.consumer.apply_batch(shop["loyalty"].events)
    assert set(outcomes) == {Outcome.APPLIED}
    tv, radio, cable = (shop[name]["id"] for name in ("tv", "radio", "cable"))

    # January: Ann, Bob and Cat buy once each. February: only Ann (Bob's and Dan's bills were cancelled), with
    # her first redemption. March: Ann (loyal), Bob (his second bill, his redemption taken back: repeating),
    # Cat (redeemed her gift: loyal), Dan (one bill left: new).
    kinds = await _report(analytics, "customers")
    assert _pick(kinds, "period", "buyers", "new", "repeating", "loyal", "loyal_share") == [
        ("2026-01-01", 3, 3, 0, 0, "0.0000"),
        ("2026-02-01", 1, 0, 0, 1, "1.0000"),
        ("2026-03-01", 4, 1, 1, 2, "0.5000"),
    ]
    # Up to 15 February Ann had redeemed (3 February); quarterly, all four as of 31 March.
    assert _pick(await _report(analytics, "customers", date_to="2026-02-15"), "period", "buyers", "loyal") == [
        ("2026-01-01", 3, 0),
        ("2026-02-01", 1, 1),
    ]
    assert _pick(await _report(analytics, "customers", grain="quarter"), "buyers", "new", "repeating", "loyal") == [
        (4, 1, 1, 2)
    ]

    # Per product: radio R1 redeemed (216 h), R2 expired, R5 open; cable R3 (240 h) and R6 (840 h) redeemed;
    # the TV's R4 voided. Per category: 1 holds R1, R2, R4, R5, R6; the gift R3 is category 0.
    by_product = await _report(analytics, "rewards/by/product")
    columns = ("key", "label", "allocated", "redeemed", "voided", "expired", "open", "redemption_ratio")
    assert _pick(by_product, *columns, "median_hours_to_redemption") == [
        (radio, "Radio", 3, 1, 0, 1, 1, "0.3333", "216.00"),
        (cable, "=cable", 2, 2, 0, 0, 0, "1.0000", "540.00"),
        (tv, "Television", 1, 0, 1, 0, 0, "0.0000", None),
    ]
    by_category = await _report(analytics, "rewards/by/category")
    assert _pick(by_category, *columns, "median_hours_to_redemption") == [
        (1, "category 1", 5, 2, 1, 1, 1, "0.4000", "528.00"),
        (0, "gift", 1, 1, 0, 0, 0, "1.0000", "240.00"),
    ]
    # Allocated in February only: R3, R4 and R6.
    february = await _report(analytics, "rewards/by/product", date_from="2026-02-01", date_to="2026-02-28")
    assert _pick(february, "key", "allocated", "redeemed", "voided") == [(cable, 2, 2, 0), (tv, 1, 0, 1)]

    over_time = await _report(analytics, "rewards/over-time")
    assert _pick(over_time, "period", "allocated", "redeemed", "voided", "expired", "open", "redemption_ratio",
                 "redemptions") == [
        ("2026-01-01", 2, 1, 0, 1, 0, "0.5000", 0),
        ("2026-02-01", 3, 2, 1, 0, 0, "0.6667", 1),  # redeemed in February: R1 (R2's was taken back)
        ("2026-03-01", 1, 0, 0, 0, 1, "0.0000", 2),  # redeemed in March: R3 and R6
    ]  # fmt: skip

    highlights = await _report(analytics, "rewards/highlights")
    assert _pick(highlights, "highlight", "product_id", "redeemed", "median_hours_to_redemption") == [
        ("most_appealing", radio, 1, "216.00"),
        ("most_redeemed", cable, 2, "540.00"),
    ]

    # Units kept: TV 1 + 1; radio 2 + 1 + (2 - 1 returned) + 1 = 5, 1 with R1; cable 3 + 2 + 2 + 1 = 8, with
    # R3 (2) and R6 (1).
    boost = await _report(analytics, "products/boost")
    assert _pick(boost, "product_id", "units", "units_with_reward", "units_without_reward", "boost") == [
        (cable, 8, 3, 5, "0.6000"),
        (radio, 5, 1, 4, "0.2500"),
        (tv, 2, 0, 2, "0.0000"),
    ]

    # March against the 31 days before (29 January - 28 February), units without a reward: TV 1 against 0
    # (Dan's February bill was cancelled), radio 2 against 0 (Ann's February radio had R1), cable 0 (both
    # March cable lines had rewards) against Ann's 2 of 3 February.
    march = {"date_from": "2026-03-01", "date_to": "2026-03-31"}
    trend_columns = ("product_id", "units_without_reward", "previous_units_without_reward", "change", "change_rate")
    assert _pick(await _report(analytics, "products/trending", **march), *trend_columns) == [
        (radio, 2, 0, 2, None),
        (tv, 1, 0, 1, None),
        (cable, 0, 2, -2, "-1.0000"),
    ]
    assert [r["product_id"] for r in await _report(analytics, "products/trending", order="least", **march)] == [
        cable,
        tv,
        radio,
    ]
    missing = await analytics.get(f"{REPORTS}/products/trending", params={"date_from": "2026-03-01"})
    assert missing.status_code == 422 and "date_to" in missing.text
    ancient = {"date_from": "0106-04-01", "date_to": "2026-10-01"}  # the period before would start before year 1
    too_early = await analytics.get(f"{REPORTS}/products/trending", params=ancient)
    assert too_early.status_code == 422 and "query.date_from" in too_early.text

    # Sales lift over 30 days. Redeemers: Ann (first redemption 3 February: 300.00 before, 50.00 after), Cat
    # (2 March: nothing before, 10.00 after). Comparables: January Bob (anchor 10 January: 80.00 after; Ann
    # and Cat redeemed by 2 March); February nobody; March Bob (anchor 15 March: 40.00 after) and Dan (20
    # March: 300.00 after; his February bill was cancelled).
    lift = await analytics.get(f"{REPORTS}/sales-lift", params={"days": 30})
    assert lift.status_code == 200 and "Matched comparison" in lift.json()["method"]
    assert _pick(lift.json()["rows"], *(name for name in lift.json()["rows"][0])) == [
        ("2026-01-01", 0, None, None, None, 1, "0.00", "80.00", "80.00", None),
        ("2026-02-01", 1, "300.00", "50.00", "-250.00", 0, None, None, None, None),
        ("2026-03-01", 1, "0.00", "10.00", "10.00", 2, "0.00", "170.00", "170.00", "-160.00"),
    ]

    # Within 30 days of each claim: R1's radio (3 February: 2 sold on 10 January, 1 that day, none after: Bob's
    # was cancelled); the cables of R3 (2 March: 2 on 3 February before, 2 that day, 1 on 10 March after) and
    # R6 (10 March: 2 on 2 March before, 1 that day, none after).
    claims = await _report(analytics, "products/around-claims", days=30)
    assert _pick(claims, "product_id", "claims", "units_before", "units_on_day", "units_after", "units_per_day_before",
                 "units_per_claim_day", "units_per_day_after") == [
        (cable, 2, 4, 3, 1, "0.07", "1.50", "0.02"),
        (radio, 1, 2, 1, 0, "0.07", "1.00", "0.00"),
    ]  # fmt: skip

    # Points: January 300 + 500 earned; February 200 spent less 50 refunded; March 100 adjusted, 40 spent, 300
    # expired. Outstanding at March's end: Ann 350 + Bob 0 + Cat 60.
    points = await _report(analytics, "points")
    assert _pick(points, "period", "earned", "adjusted", "spent", "expired", "outstanding",
                 "spent_within_validity_share") == [
        ("2026-01-01", 800, 0, 0, 0, 800, None),
        ("2026-02-01", 0, 0, 150, 0, 650, "1.0000"),
        ("2026-03-01", 0, 100, 40, 300, 410, "0.1176"),
    ]  # fmt: skip

    # CSV makes the formula inert; the chart plots the series.
    download = await analytics.get(f"{REPORTS}/rewards/by/product", params={"format": "csv"})
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    parsed = list(csv.reader(io.StringIO(download.text)))
    assert parsed[0][:4] == ["key", "label", "allocated", "redeemed"] and parsed[2][1] == "'=cable"
    chart = (await analytics.get(f"{REPORTS}/points", params={"format": "chart"})).json()
    assert chart["labels"] == ["2026-01-01", "2026-02-01", "2026-03-01"]
    assert chart["series"][3] == {"name": "outstanding", "values": [800, 650, 410]}

    bad = await analytics.get(f"{REPORTS}/customers", params={"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert (await analytics.get(f"{REPORTS}/sales-lift", params={"days": 0})).status_code == 422
    assert (await analytics.get(f"{REPORTS}/rewards/by/store")).status_code == 422


async def test_a_redelivered_reward_event_changes_nothing(
    customer: ServiceClient, analytics: ServiceClient, feed: OutboxFeed
) -> None:
    shop = await _shop(customer)
    await feed.deliver()
    events = shop["loyalty"].events
    await feed.consumer.apply_batch(events[:5])
    await feed.consumer.apply_batch(events)  # the first five again, then the rest
    over_time = await _report(analytics, "rewards/over-time")
    assert [row["allocated"] for row in over_time] == [2, 3, 1]
    assert [row["outstanding"] for row in await _report(analytics, "points")] == [800, 650, 410]
