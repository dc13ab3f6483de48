"""Partner API keys: an admin creates them with scopes, a key reaches only its scopes, revocation ends it."""

import hashlib
from datetime import UTC, datetime, timedelta

import pytest

from tests.gateway.test_staff import ADMIN, _sign_in, _until, gateway, gateways  # noqa: F401 - fixtures
from tests.support.accounts import add_staff_async
from tests.support.problems import assert_problem


@pytest.fixture
async def admin(gateway):  # noqa: F811 - the fixture above, used here
    response = await _sign_in(gateway, ADMIN)
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def _create(gateway, admin, scopes, **extra) -> dict:  # noqa: F811
    response = await gateway.post(
        "/api/v1/api-keys", json={"name": "Till vendor", "scopes": scopes} | extra, headers=admin
    )
    assert response.status_code == 201, response.text
    return response.json()


def _key(created: dict) -> dict[str, str]:
    return {"X-API-Key": created["key"]}


async def test_a_key_is_shown_once_stored_hashed_and_listed_by_prefix(gateway, admin, db):  # noqa: F811
    created = await _create(gateway, admin, ["products:read"])
    assert created["key"].startswith(f"pk_{created['prefix']}_") and created["scopes"] == ["products:read"]
    assert created["created_by"] == await db.fetchval("SELECT id FROM gateway.staff_user WHERE email = $1", ADMIN)
    stored = await db.fetchrow("SELECT * FROM gateway.api_key WHERE id = $1", created["id"])
    secret = created["key"].split("_", 2)[2]
    assert bytes(stored["secret_hash"]) == hashlib.sha256(secret.encode()).digest()
    assert secret.encode() not in bytes(stored["secret_hash"]) and secret not in str(dict(stored))

    listed = (await gateway.get("/api/v1/api-keys", headers=admin)).json()["items"]
    assert [(item["id"], item["prefix"], item["last_used_at"]) for item in listed] == [
        (created["id"], created["prefix"], None)
    ]
    assert all("key" not in item and "secret_hash" not in item for item in listed)
    read = (await gateway.get(f"/api/v1/api-keys/{created['id']}", headers=admin)).json()
    assert "key" not in read and read["prefix"] == created["prefix"] and read["created_at"]


async def test_a_key_reaches_its_scopes_only_and_write_includes_read(gateway, admin, db):  # noqa: F811
    reader = _key(await _create(gateway, admin, ["products:read"]))
    assert (await gateway.get("/api/v1/products", headers=reader)).status_code == 200
    lamp = {"sku": "K-1", "name": "Lamp", "unit_cost": "1.00", "unit_price": "2.00"}
    assert_problem(await gateway.post("/api/v1/products", json=lamp, headers=reader), 403, "forbidden")
    assert_problem(await gateway.get("/api/v1/customers", headers=reader), 403, "forbidden")
    assert_problem(await gateway.get("/api/v1/api-keys", headers=reader), 403, "forbidden")  # keys are the admin's
    assert_problem(await gateway.get("/api/v1/staff", headers=reader), 403, "forbidden")

    writer = _key(await _create(gateway, admin, ["customers:write"]))
    made = await gateway.post("/api/v1/customers", json={"name": "Ada", "username": "ada"}, headers=writer)
    assert made.status_code == 201, made.text
    assert (await gateway.get(f"/api/v1/customers/{made.json()['id']}", headers=writer)).status_code == 200
    assert_problem(await gateway.get("/api/v1/products", headers=writer), 403, "forbidden")
    assert await db.fetchval("SELECT count(*) FROM customer.product") == 0


async def test_the_last_use_is_recorded_within_seconds(gateway, admin, db):  # noqa: F811
    created = await _create(gateway, admin, ["products:read"])
    before = datetime.now(UTC) - timedelta(seconds=1)
    assert (await gateway.get("/api/v1/products", headers=_key(created))).status_code == 200

    async def recorded() -> bool:
        used = await db.fetchval("SELECT last_used_at FROM gateway.api_key WHERE id = $1", created["id"])
        return used is not None and used >= before

    assert await _until(recorded)
    listed = (await gateway.get("/api/v1/api-keys", headers=admin)).json()["items"]
    assert listed[0]["last_used_at"] is not None


async def test_a_revoked_key_stops_at_once_here_and_within_seconds_everywhere(gateways, admin):  # noqa: F811
    here, there = gateways
    created = await _create(here, admin, ["products:read"])
    key = _key(created)
    assert (await here.get("/api/v1/products", headers=key)).status_code == 200  # at once where it was made

    async def accepted_there() -> bool:
        return (await there.get("/api/v1/products", headers=key)).status_code == 200

    assert await _until(accepted_there)  # and within a reread in every other process
    revoked = await here.post(f"/api/v1/api-keys/{created['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    assert_problem(await here.get("/api/v1/products", headers=key), 401, "unauthorized")

    async def refused_there() -> bool:
        return (await there.get("/api/v1/products", headers=key)).status_code == 401

    assert await _until(refused_there)
    again = await here.post(f"/api/v1/api-keys/{created['id']}/revoke", headers=admin)
    assert again.json()["revoked_at"] == revoked.json()["revoked_at"]  # a second revocation changes nothing
    assert_problem(await here.post("/api/v1/api-keys/999/revoke", headers=admin), 404, "not-found")


async def test_a_key_stops_at_its_expiry(gateway, admin):  # noqa: F811
    soon = datetime.now(UTC) + timedelta(seconds=2)
    key = _key(await _create(gateway, admin, ["products:read"], expires_at=soon.isoformat()))
    assert (await gateway.get("/api/v1/products", headers=key)).status_code == 200

    async def expired() -> bool:
        return (await gateway.get("/api/v1/products", headers=key)).status_code == 401

    assert await _until(expired, seconds=10)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "scopes": ["products:admin"]}, "body.scopes"),
        ({"name": "x", "scopes": []}, "body.scopes"),
        ({"name": "", "scopes": ["products:read"]}, "body.name"),
        ({"scopes": ["products:read"]}, "body.name"),
        ({"name": "x", "scopes": ["products:read"], "expires_at": "2020-01-01T00:00:00Z"}, "body.expires_at"),
        ({"name": "x", "scopes": ["products:read"], "expires_at": "2030-01-01T00:00:00"}, "body.expires_at"),
    ],
)
async def test_bad_key_requests_name_the_field_and_create_nothing(gateway, admin, db, body, field):  # noqa: F811
    assert_problem(await gateway.post("/api/v1/api-keys", json=body, headers=admin), 422, "validation", [field])
    assert await db.fetchval("SELECT count(*) FROM gateway.api_key") == 0


async def test_only_admins_manage_keys_and_a_malformed_key_is_no_key(gateway, database_url, db):  # noqa: F811
    await add_staff_async(database_url, "clerk@example.org", ["clerk"])
    clerk = {"Authorization": f"Bearer {(await _sign_in(gateway, 'clerk@example.org')).json()['access_token']}"}
    refused = await gateway.post("/api/v1/api-keys", json={"name": "x", "scopes": ["products:read"]}, headers=clerk)
    assert_problem(refused, 403, "forbidden")
    assert_problem(await gateway.get("/api/v1/api-keys"), 401, "unauthorized")
    for presented in ("nonsense", "pk_0123abcd_not-the-secret", ""):
        assert_problem(await gateway.get("/api/v1/products", headers={"X-API-Key": presented}), 401, "unauthorized")
    assert await db.fetchval("SELECT count(*) FROM gateway.api_key") == 0
