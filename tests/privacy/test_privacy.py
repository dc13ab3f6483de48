"""Privacy across the running system: a customer's export from every service, their erasure everywhere with
every figure unchanged, nothing coming back from a re-import or a rebuild, the audit, and logs without
personal data. Real processes on loopback, a real broker, real PostgreSQL."""

import asyncio
import json
from typing import Any

import asyncpg
import httpx2
import pytest

from services.customer.imports.loader import ERASED_CUSTOMER_ROWS
from tests.privacy.conftest import Stack, staff, wait_until
from tests.support.accounts import bearer

pytestmark = pytest.mark.timeout(900)

NAME = "Inès Moreau-Valcourt"
EMAIL = "ines.moreau.valcourt@example.org"
PHONE = "+33 6 12 34 56 78"
USERNAME = "ines.valcourt"
PASSWORD = "a-long-enough-secret-42"
BIRTH_DATE = "1990-04-02"
EXTERNAL_REF = "CRM-7741"
PERSONAL = (NAME, EMAIL, PHONE, USERNAME, BIRTH_DATE, "Moreau", "+33612345678")
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


def shop(admin: httpx2.Client) -> dict[str, Any]:
    lamp = {"sku": "LAMP-1", "name": "Lamp", "unit_cost": "100.00", "unit_price": "600.00", "track_stock": False}
    return ok(admin.post("/api/v1/products", json=lamp), 201)


def register(stack: Stack, admin: httpx2.Client) -> tuple[int, str]:
    """The customer registers (credentials at the gateway) and staff fill in their profile."""
    body = {"name": NAME, "email": EMAIL, "username": USERNAME, "password": PASSWORD}
    registered = ok(httpx2.post(f"{stack.gateway}/api/v1/auth/customers/register", json=body, timeout=30), 201)
    customer_id = registered["customer_id"]
    profile = {
        "phone": PHONE,
        "birth_date": BIRTH_DATE,
        "gender": "female",
        "city": "Lyon",
        "country": "France",
        "postcode": "69002",
        "external_ref": EXTERNAL_REF,
        "custom_attributes": {"shoe_size": "38", "nickname": "Moreau"},
    }
    ok(admin.patch(f"/api/v1/customers/{customer_id}", json=profile))
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


def test_an_export_gathers_every_service_and_an_erasure_leaves_every_figure_and_no_personal_data(stack: Stack):
    admin = staff(stack, "privacy-admin@example.com", ["admin"])
    manager = staff(stack, "privacy-manager@example.com", ["manager"])
    clerk = staff(stack, "privacy-clerk@example.com", ["clerk"])
    lamp = shop(admin)
    customer_id, customer_token = register(stack, admin)
    other = ok(admin.post("/api/v1/customers", json={"name": "Someone Else", "gender": "male", "city": "Lyon"}), 201)
    me = httpx2.Client(base_url=stack.gateway, headers=bearer(customer_token), timeout=30)
    # Two bills of hers (one she records herself, one at the till) and one of someone else.
    ok(
        me.post(
            "/api/v1/purchases", json={"customer_id": customer_id, "lines": [{"product_id": lamp["id"], "quantity": 1}]}
        ),
        201,
    )
    till = {"customer_id": customer_id, "lines": [{"product_id": lamp["id"], "quantity": 2}]}
    ok(admin.post("/api/v1/purchases", json=till), 201)
    ok(
        admin.post(
            "/api/v1/purchases", json={"customer_id": other["id"], "lines": [{"product_id": lamp["id"], "quantity": 1}]}
        ),
        201,
    )
    wait_until(lambda: settled(stack, 3), "loyalty and analytics have the three bills")
    welcome = {"points": 250, "reason": "welcome"}
    ok(admin.post(f"/api/v1/loyalty/customers/{customer_id}/wallet/adjustments", json=welcome), 201)
    balance = ok(admin.get(f"/api/v1/loyalty/customers/{customer_id}/wallet"))["balance"]
    assert balance >= 250

    # The export: the customer for herself, a manager for anyone; not a clerk, and another customer's is
    # not found for her (as every customer's own route answers).
    assert me.post(f"/api/v1/privacy/customers/{other['id']}/exports").status_code == 404
    assert clerk.post(f"/api/v1/privacy/customers/{customer_id}/exports").status_code == 403
    document = export_of(me, customer_id)
    assert set(document["parts"]) == {"customer", "loyalty", "analytics", "gateway"}
    for name, part in document["parts"].items():
        assert part["service"] == name and part["customer_id"] == customer_id
    held = document["parts"]["customer"]["tables"]
    record = held["customer"][0]
    assert (record["name"], record["email"], record["phone"], record["username"]) == (NAME, EMAIL, PHONE, USERNAME)
    assert record["custom_attributes"] == {"shoe_size": "38", "nickname": "Moreau"}
    assert len(held["purchase"]) == 2 and len(held["purchase_line"]) == 2
    assert {line["quantity"] for line in held["purchase_line"]} == {1, 2}
    loyalty = document["parts"]["loyalty"]["tables"]
    assert sum(entry["points"] for entry in loyalty["wallet_entry"]) == balance
    assert len(loyalty["reward"]) == 2  # each bill over 500.00 earned one
    analytics = document["parts"]["analytics"]["tables"]
    assert analytics["customer"][0]["gender"] == "female"
    gateway = document["parts"]["gateway"]["tables"]
    assert gateway["customer_account"][0]["username"] == USERNAME
    assert "password_hash" not in json.dumps(document) and "token_hash" not in json.dumps(document)
    assert export_of(manager, customer_id)["parts"]["customer"]["tables"]["customer"][0]["email"] == EMAIL

    before = reports(admin, customer_id)

    # The erasure: an admin's alone; asked again with its key, the same answer.
    assert manager.post(f"/api/v1/privacy/customers/{customer_id}/erasure").status_code == 403
    key = {"Idempotency-Key": "erase-ines"}
    erasure = ok(admin.post(f"/api/v1/privacy/customers/{customer_id}/erasure", headers=key), 202)
    assert ok(admin.post(f"/api/v1/privacy/customers/{customer_id}/erasure", headers=key), 202) == erasure
    again = ok(admin.post(f"/api/v1/privacy/customers/{customer_id}/erasure"))  # without the key: the same erasure
    assert again["id"] == erasure["id"]
    erased_everywhere(admin, customer_id)

    profile = ok(admin.get(f"/api/v1/customers/{customer_id}"))
    assert {k: profile[k] for k in ("name", "email", "phone", "username", "birth_date", "postcode")} == dict.fromkeys(
        ("name", "email", "phone", "username", "birth_date", "postcode")
    )
    assert profile["custom_attributes"] == {} and profile["has_sign_in"] is False
    assert (profile["external_ref"], profile["gender"], profile["city"]) == (EXTERNAL_REF, "female", "Lyon")
    # She can no longer sign in, and the token she held is refused.
    sign_in = {"username": USERNAME, "password": PASSWORD}
    assert httpx2.post(f"{stack.gateway}/api/v1/auth/customers/sign-in", json=sign_in, timeout=30).status_code == 401
    assert me.get(f"/api/v1/customers/{customer_id}").status_code == 401
    # Her profile takes no personal data again.
    refused = admin.patch(f"/api/v1/customers/{customer_id}", json={"email": EMAIL})
    assert refused.status_code == 409, refused.text

    # Every figure is as it was.
    assert reports(admin, customer_id) == before

    # What is left of her holds nothing personal, in any service.
    after = export_of(admin, customer_id)
    assert after["parts"]["gateway"]["tables"] == {
        "customer_account": [],
        "customer_invitation": [],
        "refresh_family": [],
    }
    assert len(after["parts"]["customer"]["tables"]["purchase"]) == 2
    text = json.dumps(after)
    assert not [value for value in PERSONAL if value in text]

    # The audit: who, when, which customer, the outcome; an admin's list, holding no personal data.
    assert manager.get("/api/v1/privacy/requests").status_code == 403
    audit = ok(admin.get("/api/v1/privacy/requests", params={"customer_id": customer_id}))["items"]
    assert [(r["kind"], r["state"]) for r in audit] == [
        ("export", "done"),
        ("erasure", "done"),
        ("export", "done"),
        ("export", "done"),
    ]
    assert audit[-1]["requested_by"] == f"customer:{customer_id}" and audit[1]["requested_by"].startswith("staff:")
    assert not [value for value in PERSONAL if value in json.dumps(audit)]

    # A file naming her again: the row is hers, reported as an erased customer's, and nothing personal loads.
    bills = f"client_id,ordered_at,amount,email,name\n{EXTERNAL_REF},2024-03-01 10:00,12.00,{EMAIL},{NAME}\n"
    upload = admin.post(
        "/api/v1/imports", data={"preset": "minimal"}, files=[("file", ("again.csv", bills.encode(), "text/csv"))]
    )
    job_path = f"/api/v1/imports/{ok(upload, 202)['id']}"
    job = wait_until(lambda: (j := ok(admin.get(job_path)))["state"] in ("done", "failed") and j, "the import ends")
    assert job["state"] == "done", job
    assert job["report"]["already_present"][ERASED_CUSTOMER_ROWS] == 1
    profile = ok(admin.get(f"/api/v1/customers/{customer_id}"))
    assert (profile["name"], profile["email"], profile["phone"]) == (None, None, None)

    # No process wrote her name, email or phone to its log, through all of it.
    logs = stack.logs()
    assert f"customer {customer_id} erased" in logs  # the processes did log, at INFO
    assert not [value for value in (NAME, EMAIL, PHONE) if value in logs]
