"""Privacy across the running system: a customer's export from every service, their erasure everywhere with
every figure unchanged, nothing coming back from a re-import or a rebuild, the audit, and logs without
personal data. Real processes on loopback, a real broker, real PostgreSQL."""

import json

import httpx2
import pytest

from services.customer.imports.loader import ERASED_CUSTOMER_ROWS
from tests.privacy.conftest import Stack, staff, wait_until
from tests.privacy.flow import (
    EMAIL,
    EXTERNAL_REF,
    NAME,
    PASSWORD,
    PERSONAL,
    PHONE,
    USERNAME,
    erased_everywhere,
    export_of,
    ok,
    register,
    reports,
    settled,
    shop,
)
from tests.support.accounts import bearer

pytestmark = pytest.mark.timeout(900)


def test_an_export_gathers_every_service_and_an_erasure_leaves_every_figure_and_no_personal_data(stack: Stack):
    admin = staff(stack, "privacy-admin@example.com", ["admin"])
    manager = staff(stack, "privacy-manager@example.com", ["manager"])
    clerk = staff(stack, "privacy-clerk@example.com", ["clerk"])
    lamp = shop(admin, stack)
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
    # Nor anywhere else: every gateway process refuses her token once it rereads the revocation store.
    wallet = f"/api/v1/loyalty/customers/{customer_id}/wallet"
    wait_until(lambda: me.get(wallet).status_code == 401, "the gateway refuses the erased customer's token")
    assert me.get(f"/api/v1/loyalty/customers/{customer_id}/rewards").status_code == 401
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
