"""Redeeming a reward across services, as real processes on loopback with a real broker: one token is
never spent twice, not by a hundred bills at once, not by a customer service killed halfway, not by a
bill so slow that its reservation was released; and a bill cancelled whole gives its reward back."""

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import asyncpg
import httpx2

from services.kit.principal import Principal
from tests.conftest import signed
from tests.events.conftest import NatsServer
from tests.loyalty.conftest import SERVICE
from tests.loyalty.test_purchase_rewards import _env, shop, wait_for
from tests.support.builders import buy
from tests.support.processes import RunningService, free_port, serve

PURCHASES = "/api/v1/purchases"


class Saga:
    """The loyalty and customer services, each knowing where the other answers."""

    def __init__(self, database_url: str, nats: NatsServer, tmp_path: Path, *, timeout: float, sweep: float) -> None:
        self.customer_port = free_port()
        self.tmp_path = tmp_path
        self.loyalty_env = _env(
            database_url,
            nats,
            PATRON_LOYALTY_CUSTOMER_URL=f"http://127.0.0.1:{self.customer_port}",
            PATRON_LOYALTY_RESERVATION_TIMEOUT_SECONDS=str(timeout),
            PATRON_LOYALTY_RESERVATION_SWEEP_SECONDS=str(sweep),
        )
        self.customer_env = _env(database_url, nats, PATRON_CUSTOMER_REDEMPTION_TIMEOUT_MS="30000")

    @contextmanager
    def loyalty(self) -> Iterator[RunningService]:
        with serve("loyalty", self.loyalty_env, self.tmp_path) as service:
            self.customer_env["PATRON_CUSTOMER_LOYALTY_URL"] = service.url
            yield service

    @contextmanager
    def customer(self) -> Iterator[RunningService]:
        with serve("customer", self.customer_env, self.tmp_path, port=self.customer_port) as service:
            yield service


def client_of(service: RunningService, principal: Principal | None = None) -> httpx2.AsyncClient:
    limits = httpx2.Limits(max_connections=200)
    headers = signed(principal) if principal else signed()
    return httpx2.AsyncClient(base_url=service.url, headers=headers, timeout=60.0, limits=limits)


async def earned_token(customer: httpx2.AsyncClient, db: asyncpg.Connection) -> tuple[dict[str, Any], int, str]:
    """A product at 300.00 (the only one on sale), a shopper, and the 20 % reward on it their bill of 600.00 earned."""
    product, shopper = await shop(customer, db)
    bill = await buy(customer, [(product["id"], 2)], customer_id=shopper["id"])
    assert bill.status_code == 201, bill.text
    await wait_for(db, "SELECT count(*) FROM loyalty.reward WHERE purchase_id = $1", 1, bill.json()["id"])
    token = await db.fetchval("SELECT token FROM loyalty.reward WHERE purchase_id = $1", bill.json()["id"])
    return product, shopper["id"], token


def redeeming(product: dict[str, Any], customer_id: int, token: str) -> dict[str, Any]:
    return {"customer_id": customer_id, "reward_token": token, "lines": [{"product_id": product["id"], "quantity": 1}]}


async def reward_state(db: asyncpg.Connection, token: str) -> tuple[str, int | None, int | None]:
    row = await db.fetchrow(
        "SELECT status, reserved_purchase_id, redeemed_purchase_id FROM loyalty.reward WHERE token = $1", token
    )
    return row["status"], row["reserved_purchase_id"], row["redeemed_purchase_id"]


@asynccontextmanager
async def product_held(database_url: str, product_id: int) -> AsyncIterator[None]:
    """The product's row locked by another transaction: a bill of it waits inside its own transaction."""
    holder = await asyncpg.connect(database_url)
    try:
        async with holder.transaction():
            await holder.execute("SELECT 1 FROM customer.product WHERE id = $1 FOR UPDATE", product_id)
            yield
    finally:
        await holder.close()


async def test_a_hundred_bills_redeeming_one_token_at_once_discount_exactly_one_and_a_cancellation_gives_it_back(
    database_url, db, broker, tmp_path
):
    saga = Saga(database_url, broker, tmp_path, timeout=120, sweep=1)
    with saga.loyalty(), saga.customer() as customer_process:
        async with client_of(customer_process) as customer:
            product, customer_id, token = await earned_token(customer, db)
            body = redeeming(product, customer_id, token)
            replies = await asyncio.gather(*(customer.post(PURCHASES, json=body) for _ in range(100)))
            assert Counter(reply.status_code for reply in replies) == {201: 1, 422: 99}, [
                reply.text for reply in replies if reply.status_code not in (201, 422)
            ]
            (winner,) = [reply.json() for reply in replies if reply.status_code == 201]
            assert (winner["reward_product_id"], winner["reward_percent"]) == (product["id"], 20)
            assert (winner["reward_discount"], winner["base_total"]) == ("60.00", "240.00")
            assert winner["lines"][0]["local_discount"] == "60.00"
            for reply in replies:
                if reply.status_code == 422:
                    (error,) = reply.json()["errors"]
                    assert error["field"] == "body.reward_token" and error["code"] in ("reserved", "redeemed")
            assert await db.fetchval("SELECT count(*) FROM customer.purchase WHERE reward_percent IS NOT NULL") == 1
            assert await db.fetchval("SELECT stock_quantity FROM customer.product WHERE id = $1", product["id"]) == 97
            await wait_for(db, "SELECT status FROM loyalty.reward WHERE token = $1", "redeemed", token)
            assert await reward_state(db, token) == ("redeemed", None, winner["id"])

            # The bill is cancelled whole: the reward, not expired, is the customer's to spend again.
            assert (await customer.post(f"{PURCHASES}/{winner['id']}/cancel", json={})).status_code == 200
            await wait_for(db, "SELECT status FROM loyalty.reward WHERE token = $1", "usable", token)
            again = await customer.post(PURCHASES, json=body)
            assert again.status_code == 201 and again.json()["reward_discount"] == "60.00", again.text


async def test_a_customer_service_killed_between_reservation_and_bill_leaves_the_token_reserved_then_released(
    database_url, db, broker, tmp_path
):
    saga = Saga(database_url, broker, tmp_path, timeout=2, sweep=0.5)
    with saga.loyalty():
        with saga.customer() as customer_process:
            async with client_of(customer_process) as customer:
                product, customer_id, token = await earned_token(customer, db)
                async with product_held(database_url, product["id"]):
                    bill = asyncio.create_task(customer.post(PURCHASES, json=redeeming(product, customer_id, token)))
                    await wait_for(db, "SELECT count(*) FROM loyalty.redemption WHERE status = 'reserved'", 1)
                    customer_process.process.kill()  # the bill is inside its transaction, its token reserved
                    customer_process.process.wait()
                    (failed,) = await asyncio.gather(bill, return_exceptions=True)
                    assert isinstance(failed, httpx2.TransportError), failed
        purchase_id = await db.fetchval("SELECT purchase_id FROM loyalty.redemption")
        assert (await reward_state(db, token))[:2] == ("reserved", purchase_id)

        # The customer service is back: past the deadline, the sweep fences the bill off and frees the token.
        with saga.customer() as customer_process:
            await wait_for(db, "SELECT status FROM loyalty.redemption WHERE purchase_id = $1", "released", purchase_id)
            assert await reward_state(db, token) == ("usable", None, None)
            assert (
                await db.fetchval("SELECT outcome FROM customer.purchase_fence WHERE purchase_id = $1", purchase_id)
                == "abandoned"
            )
            assert await db.fetchval("SELECT count(*) FROM customer.purchase WHERE id = $1", purchase_id) == 0
            async with client_of(customer_process) as customer:
                again = await customer.post(PURCHASES, json=redeeming(product, customer_id, token))
                assert again.status_code == 201 and again.json()["reward_discount"] == "60.00", again.text


async def test_a_bill_slowed_past_the_release_deadline_fails_and_the_token_is_not_spent_twice(
    database_url, db, broker, tmp_path
):
    saga = Saga(database_url, broker, tmp_path, timeout=2, sweep=0.5)
    with saga.loyalty(), saga.customer() as customer_process:
        async with client_of(customer_process) as customer:
            product, customer_id, token = await earned_token(customer, db)
            body = redeeming(product, customer_id, token)
            async with product_held(database_url, product["id"]):
                slow = asyncio.create_task(customer.post(PURCHASES, json=body))
                await wait_for(db, "SELECT count(*) FROM loyalty.redemption WHERE status = 'reserved'", 1)
                purchase_id = await db.fetchval("SELECT purchase_id FROM loyalty.redemption")
                await wait_for(
                    db, "SELECT status FROM loyalty.redemption WHERE purchase_id = $1", "released", purchase_id
                )
                assert await reward_state(db, token) == ("usable", None, None)
            late = await slow  # the product is free again: the bill goes on, and meets the fence
            assert late.status_code == 409, late.text
            assert "took too long" in late.json()["detail"]
            assert await db.fetchval("SELECT count(*) FROM customer.purchase WHERE id = $1", purchase_id) == 0

            again = await customer.post(PURCHASES, json=body)
            assert again.status_code == 201 and again.json()["reward_discount"] == "60.00", again.text
            await wait_for(db, "SELECT status FROM loyalty.reward WHERE token = $1", "redeemed", token)
            assert await reward_state(db, token) == ("redeemed", None, again.json()["id"])
            assert await db.fetchval("SELECT count(*) FROM customer.purchase WHERE reward_percent IS NOT NULL") == 1
            third = await customer.post(PURCHASES, json=body)
            assert third.status_code == 422 and third.json()["errors"][0]["code"] == "redeemed", third.text


async def test_a_hundred_bills_spending_points_at_once_never_take_the_wallet_below_zero_and_a_cancellation_refunds(
    database_url, db, broker, tmp_path
):
    saga = Saga(database_url, broker, tmp_path, timeout=120, sweep=1)
    with saga.loyalty() as loyalty_process, saga.customer() as customer_process:
        async with client_of(customer_process) as customer, client_of(loyalty_process, SERVICE) as loyalty:
            product, shopper = await shop(customer, db)
            gift = {"customer_id": shopper["id"], "points": 5_000, "reason": "welcome", "source": "welcome:1"}
            assert (await loyalty.post("/api/v1/loyalty/wallet/earnings", json=gift)).status_code == 201
            # Each bill of 300.00 spends 100 points (1.00): 100 of them want 10,000 points; the wallet holds 5,000.
            body = {
                "customer_id": shopper["id"],
                "points": 100,
                "lines": [{"product_id": product["id"], "quantity": 1}],
            }
            replies = await asyncio.gather(*(customer.post(PURCHASES, json=body) for _ in range(100)))
            assert Counter(reply.status_code for reply in replies) == {201: 50, 422: 50}
            for reply in replies:
                if reply.status_code == 201:
                    bill = reply.json()
                    assert (bill["points_spent"], bill["points_value"], bill["points_discount"]) == (
                        100,
                        "1.00",
                        "1.00",
                    )
                    assert bill["base_total"] == "299.00"
                else:
                    (error,) = reply.json()["errors"]
                    assert (error["field"], error["code"]) == ("body.points", "insufficient_points"), reply.text
            wallet = await loyalty.get(f"/api/v1/loyalty/customers/{shopper['id']}/wallet")
            assert wallet.json()["balance"] == 0, wallet.text
            assert await db.fetchval("SELECT sum(points_spent) FROM customer.purchase") == 5_000
            assert await db.fetchval("SELECT sum(points) FROM loyalty.wallet_entry") == 0

            # One bill is cancelled whole: its 100 points come back as a refund.
            spent = next(reply.json()["id"] for reply in replies if reply.status_code == 201)
            assert (await customer.post(f"{PURCHASES}/{spent}/cancel", json={})).status_code == 200
            await wait_for(db, "SELECT balance FROM loyalty.wallet WHERE customer_id = $1", 100, shopper["id"])
            refund = await db.fetchrow(
                "SELECT kind, points, purchase_id FROM loyalty.wallet_entry ORDER BY id DESC LIMIT 1"
            )
            assert tuple(refund) == ("refund", 100, spent)
            # A return (not a cancellation) takes nothing back.
            other = next(reply.json() for reply in replies if reply.status_code == 201 and reply.json()["id"] != spent)
            line = other["lines"][0]["id"]
            returned = await customer.post(
                f"{PURCHASES}/{other['id']}/returns", json={"lines": [{"line_id": line, "quantity": 1}]}
            )
            assert returned.status_code == 200, returned.text
            await wait_for(db, "SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL", 0)
            await asyncio.sleep(1.0)
            assert await db.fetchval("SELECT balance FROM loyalty.wallet WHERE customer_id = $1", shopper["id"]) == 100


async def test_a_bill_refused_after_its_reservation_releases_the_token_and_points_at_once(
    database_url, db, broker, tmp_path
):
    saga = Saga(database_url, broker, tmp_path, timeout=600, sweep=60)  # no sweep will come: the release is asked
    with saga.loyalty() as loyalty_process, saga.customer() as customer_process:
        async with client_of(customer_process) as customer, client_of(loyalty_process, SERVICE) as loyalty:
            product, customer_id, token = await earned_token(customer, db)
            gift = {"customer_id": customer_id, "points": 1_000, "reason": "welcome", "source": "welcome:2"}
            assert (await loyalty.post("/api/v1/loyalty/wallet/earnings", json=gift)).status_code == 201
            body = {
                "customer_id": customer_id,
                "reward_token": token,
                "points": 500,
                "lines": [{"product_id": product["id"], "quantity": 1_000}],  # more than the 98 in stock
            }
            short = await customer.post(PURCHASES, json=body)
            assert short.status_code == 409 and short.json()["errors"][0]["code"] == "insufficient_stock", short.text
            (purchase_id,) = await db.fetchval("SELECT array_agg(purchase_id) FROM loyalty.redemption")
            assert await db.fetchval("SELECT status FROM loyalty.redemption WHERE purchase_id = $1", purchase_id) == (
                "released"
            )
            assert await reward_state(db, token) == ("usable", None, None)
            assert await db.fetchval("SELECT balance FROM loyalty.wallet WHERE customer_id = $1", customer_id) == 1_000
            assert (
                await db.fetchval("SELECT outcome FROM customer.purchase_fence WHERE purchase_id = $1", purchase_id)
                == "abandoned"
            )
            fine = await customer.post(PURCHASES, json=body | {"lines": [{"product_id": product["id"], "quantity": 1}]})
            assert fine.status_code == 201, fine.text
            assert (fine.json()["reward_discount"], fine.json()["points_discount"], fine.json()["base_total"]) == (
                "60.00",
                "5.00",
                "235.00",
            )
