"""The story the privacy tests tell: a shop, a customer with credentials and bills, the reports an erasure
must leave as they are, and waiting for exports and erasures to end."""

import asyncio
from typing import Any

import asyncpg
import httpx2

from tests.conftest import signed
from tests.privacy.conftest import Stack, wait_until
from tests.support.accounts import bearer

NAME = "Inès Moreau-Valcourt"
EMAIL = "ines.moreau.valcourt@example.org"
PHONE = "+33 6 12 34 56 78"
USERNAME = "ines.valcourt"
PASSWORD = "a-long-enough-secret-42"
BIRTH_DATE = "1990-04-02"
EXTERNAL_REF = "CRM-7741"
PERSONAL = (NAME, EMAIL, PHONE, USERNAME, BIRTH_DATE, "Moreau", "+33612345678")
PROFILE: dict[str, Any] = {
    "phone": PHONE,
    "birth_date": BIRTH_DATE,
    "gender": "female",
    "city": "Lyon",
    "country": "France",
    "postcode": "69002",
    "external_ref": EXTERNAL_REF,
    "custom_attributes": {"shoe_size": "38", "nickname": "Moreau"},
}
# Volatile parts of a report reply: when it was computed, how far the feed had read.
VOLATILE = {"as_of", "generated_at", "computed_at", "feed", "run_id", "id", "created_at"}


def scalar(database_url: str, sql: str, *args: Any) -> Any:
    async def read() -> Any:
        connection = await asyncpg.connect(database_url)
        try:
            return await connection.fetchval(sql, *args)
        finally:
            await connection.close()

    return asyncio.run(read())


def stable(reply: Any) -> Any:
    """A report reply without its volatile parts."""
    if isinstance(reply, dict):
        return {key: stable(value) for key, value in reply.items() if key not in VOLATILE}
    if isinstance(reply, list):
        return [stable(value) for value in reply]
    return reply


def ok(response: httpx2.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def shop(admin: httpx2.Client, stack: Stack | None = None) -> dict[str, Any]:
    """The shop's one product; with ``stack``, once loyalty has it too (a bill before that earns no reward:
    loyalty has no product to give one on)."""
    lamp = {"sku": "LAMP-1", "name": "Lamp", "unit_cost": "100.00", "unit_price": "600.00", "track_stock": False}
    created = ok(admin.post("/api/v1/products", json=lamp), 201)
    if stack is not None:
        known = "SELECT count(*) FROM loyalty.product WHERE id = $1"
        wait_until(lambda: scalar(stack.database_url, known, created["id"]) == 1, "loyalty has the product")
    return created


def register(stack: Stack, admin: httpx2.Client) -> tuple[int, str]:
    """The customer registers (credentials at the gateway) and staff fill in their profile."""
    body = {"name": NAME, "email": EMAIL, "username": USERNAME, "password": PASSWORD}
    registered = ok(httpx2.post(f"{stack.gateway}/api/v1/auth/customers/register", json=body, timeout=30), 201)
    customer_id = registered["customer_id"]
    ok(admin.patch(f"/api/v1/customers/{customer_id}", json=PROFILE))
    return customer_id, registered["access_token"]


def reports(admin: httpx2.Client, customer_id: int) -> dict[str, Any]:
    """The sales, customers, loyalty and RFM replies an erasure must leave as they are."""
    found = {
        "sales": ok(admin.get("/api/v1/analytics/sales/summary")),
        "sales by country": ok(admin.get("/api/v1/analytics/sales/by/country")),
        "customers by gender": ok(admin.get("/api/v1/analytics/customers/distribution", params={"by": "gender"})),
        "customers by city": ok(admin.get("/api/v1/analytics/customers/distribution", params={"by": "city"})),
        "customers by age band": ok(admin.get("/api/v1/analytics/customers/distribution", params={"by": "age_band"})),
        "wallet": ok(admin.get(f"/api/v1/loyalty/customers/{customer_id}/wallet")),
        "wallet entries": ok(admin.get(f"/api/v1/loyalty/customers/{customer_id}/wallet/entries")),
        "rewards": ok(admin.get(f"/api/v1/loyalty/customers/{customer_id}/rewards")),
    }
    run = ok(admin.post("/api/v1/analytics/rfm/runs", json={"reference_date": "2030-01-01"}), 201)
    found["rfm run"] = {k: v for k, v in run.items() if k not in VOLATILE}
    found["rfm segments"] = ok(admin.get(f"/api/v1/analytics/rfm/runs/{run['id']}/segments"))
    found["rfm customer"] = ok(admin.get(f"/api/v1/analytics/rfm/runs/{run['id']}/customers/{customer_id}"))
    return stable(found)


def settled(stack: Stack, bills: int) -> bool:
    """Both consumers have every bill: the analytics facts and the loyalty ledger."""
    url = stack.database_url
    return (
        scalar(url, "SELECT count(*) FROM loyalty.purchase") == bills
        and scalar(url, "SELECT count(DISTINCT purchase_id) FROM analytics.sale_line") == bills
        and scalar(url, "SELECT count(*) FROM loyalty.reward") == bills
    )


def export_of(client: httpx2.Client, customer_id: int) -> dict[str, Any]:
    asked = ok(client.post(f"/api/v1/privacy/customers/{customer_id}/exports"), 202)
    path = f"/api/v1/privacy/customers/{customer_id}/exports/{asked['id']}"
    done = wait_until(lambda: (r := ok(client.get(path)))["state"] in ("done", "failed") and r, "the export ends")
    assert done["state"] == "done", done["outcome"]
    document = ok(client.get(f"{path}/document"))
    assert document["export_id"] == asked["id"] and document["customer_id"] == customer_id
    return document


def erased_everywhere(admin: httpx2.Client, customer_id: int) -> dict[str, Any]:
    def complete() -> Any:
        erasure = ok(admin.get(f"/api/v1/privacy/customers/{customer_id}/erasure"))
        return erasure["state"] == "done" and erasure

    erasure = wait_until(complete, "every service applies the erasure")
    assert {s["service"]: s["state"] for s in erasure["services"]} == dict.fromkeys(
        ("customer", "loyalty", "analytics", "gateway"), "done"
    )
    return erasure


def customer_with_bills(stack: Stack, admin: httpx2.Client, *, registered: bool = True) -> tuple[int, httpx2.Client]:
    """The customer (registered at the gateway, or created by staff with the same profile at once) with two
    bills over 500.00 (a reward each), settled in loyalty and analytics."""
    lamp = shop(admin, stack)
    if registered:
        customer_id, token = register(stack, admin)
    else:
        body = {"name": NAME, "email": EMAIL, "username": USERNAME} | PROFILE
        customer_id, token = ok(admin.post("/api/v1/customers", json=body), 201)["id"], ""
    bill = {"customer_id": customer_id, "lines": [{"product_id": lamp["id"], "quantity": 1}]}
    ok(admin.post("/api/v1/purchases", json=bill), 201)
    ok(admin.post("/api/v1/purchases", json=bill | {"lines": [{"product_id": lamp["id"], "quantity": 2}]}), 201)
    wait_until(lambda: settled(stack, 2), "loyalty and analytics have both bills")
    return customer_id, httpx2.Client(base_url=stack.gateway, headers=bearer(token), timeout=30)


def service_client(stack: Stack, name: str) -> httpx2.Client:
    """A client of one service itself (not through the gateway), signed as an admin."""
    return httpx2.Client(base_url=stack.urls[name], headers=signed(), timeout=30)
