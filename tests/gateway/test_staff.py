"""Staff accounts administered through the gateway: invitations, roles, reset links, deactivation.

A real gateway app (two, where a change must reach every process) against a real customer process
and PostgreSQL; every caller signs in with a password like any client.
"""

import asyncio
import time
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta

import httpx2
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.app import create_app
from gateway.auth.tokens import read_access_token
from gateway.settings import DEVELOPMENT_TOKEN_SECRET
from gateway.staff import service as staff
from services.kit.db import async_url
from services.kit.errors import Conflict
from tests.conftest import TEST_SECRET
from tests.gateway.test_accounts import gateway_settings
from tests.support.accounts import STAFF_PASSWORD, add_staff_async
from tests.support.problems import assert_problem

ADMIN = "ada@example.org"
NEW_PASSWORD = "amber-heron-lighthouse"


@pytest.fixture
async def gateways(database_url, customer_process):
    """Two gateway processes' apps on one database, and an admin (``ADMIN``) in it."""
    await add_staff_async(database_url, ADMIN, ["admin"])
    settings = gateway_settings(
        database_url, internal_secret=TEST_SECRET, customer_url=customer_process, revocation_refresh_seconds=0.2
    )
    async with AsyncExitStack() as stack:
        clients = []
        for name in ("gateway", "gateway-2"):
            app = create_app(settings)
            await stack.enter_async_context(app.router.lifespan_context(app))
            transport = httpx2.ASGITransport(app=app)
            clients.append(
                await stack.enter_async_context(httpx2.AsyncClient(transport=transport, base_url=f"http://{name}"))
            )
        yield clients


@pytest.fixture
def gateway(gateways):
    return gateways[0]


@pytest.fixture
async def admin(gateway):
    return _bearer((await _sign_in(gateway, ADMIN)).json()["access_token"])


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def _sign_in(client, email, password=STAFF_PASSWORD):
    return await client.post("/api/v1/auth/sign-in", json={"email": email, "password": password})


async def _tokens(client, email, password=STAFF_PASSWORD) -> dict:
    response = await _sign_in(client, email, password)
    assert response.status_code == 200, response.text
    return response.json()


async def _until(predicate, seconds=5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.1)
    return False


def _refused(client, headers):
    """Whether the gateway refuses ``headers``' token (401) on one of its own routes."""

    async def check() -> bool:
        return (await client.get("/api/v1/staff", headers=headers)).status_code == 401

    return check


def _token_of(url: str) -> str:
    return url.split("#token=", 1)[1]


async def _invite(gateway, admin, email, roles, **extra) -> dict:
    response = await gateway.post(
        "/api/v1/staff/invitations", json={"email": email, "roles": roles} | extra, headers=admin
    )
    assert response.status_code == 201, response.text
    return response.json()


async def _counts(db) -> tuple[int, int, int]:
    return (
        await db.fetchval("SELECT count(*) FROM gateway.staff_user"),
        await db.fetchval("SELECT count(*) FROM gateway.account_link"),
        await db.fetchval("SELECT count(*) FROM gateway.account_link WHERE used_at IS NOT NULL"),
    )


async def test_an_invited_user_accepts_the_link_once_and_then_signs_in_with_their_roles(gateway, admin, db, caplog):
    before = datetime.now(UTC)
    invited = await _invite(gateway, admin, "bob@example.org", ["clerk"], display_name="Bob")
    assert invited["email"] == "bob@example.org" and invited["display_name"] == "Bob"
    assert invited["roles"] == ["clerk"] and invited["status"] == "invited"
    assert not any("password" in key for key in invited)
    assert invited["invitation_url"].startswith("http://gateway/console/invitation#token=")
    expires_at = datetime.fromisoformat(invited["expires_at"])
    assert before + timedelta(hours=71) < expires_at < before + timedelta(hours=73)
    token = _token_of(invited["invitation_url"])
    stored = await db.fetchrow("SELECT * FROM gateway.account_link")
    assert stored["purpose"] == "invite" and stored["used_at"] is None and token.encode() not in stored["token_hash"]
    assert stored["created_by"] == await db.fetchval("SELECT id FROM gateway.staff_user WHERE email = $1", ADMIN)
    assert await db.fetchval("SELECT password_hash FROM gateway.staff_user WHERE id = $1", invited["id"]) == ""

    assert (await _sign_in(gateway, "bob@example.org", "")).status_code == 422
    assert (await _sign_in(gateway, "bob@example.org", NEW_PASSWORD)).status_code == 401  # not accepted yet
    weak = await gateway.post("/api/v1/auth/invitations/accept", json={"token": token, "password": "password1234"})
    assert_problem(weak, 422, "validation", ["body.password"])
    assert (await _counts(db))[2] == 0  # the link is still unused

    accepted = await gateway.post("/api/v1/auth/invitations/accept", json={"token": token, "password": NEW_PASSWORD})
    assert accepted.status_code == 204, accepted.text
    bob = await _tokens(gateway, "bob@example.org", NEW_PASSWORD)
    claims = read_access_token(bob["access_token"], secret=DEVELOPMENT_TOKEN_SECRET, issuer="patron")
    assert claims.roles == ("clerk",) and claims.user_id == invited["id"]
    again = await gateway.post(
        "/api/v1/auth/invitations/accept", json={"token": token, "password": "another-otter-river"}
    )
    assert_problem(again, 422, "validation", ["body.token"])
    assert (await _tokens(gateway, "bob@example.org", NEW_PASSWORD))["access_token"]  # the password stands

    read = await gateway.get(f"/api/v1/staff/{invited['id']}", headers=admin)
    assert read.status_code == 200 and read.json()["status"] == "active" and "password_hash" not in read.text
    listed = (await gateway.get("/api/v1/staff", headers=admin)).json()
    assert [user["email"] for user in listed["items"]] == [ADMIN, "bob@example.org"] and listed["next_cursor"] is None
    first = (await gateway.get("/api/v1/staff", params={"limit": 1}, headers=admin)).json()
    second = (await gateway.get("/api/v1/staff", params={"cursor": first["next_cursor"]}, headers=admin)).json()
    assert [user["id"] for user in first["items"] + second["items"]] == [user["id"] for user in listed["items"]]
    assert (await gateway.get("/api/v1/staff", params={"active": "false"}, headers=admin)).json()["items"] == []
    bad_cursor = await gateway.get("/api/v1/staff", params={"cursor": "nonsense"}, headers=admin)
    assert_problem(bad_cursor, 400, "bad-cursor", ["query.cursor"])
    assert_problem(await gateway.get("/api/v1/staff/999", headers=admin), 404, "not-found")

    metrics = (await gateway.get("/metrics")).text
    for outcome in ("issued", "accepted", "refused"):
        assert f'patron_gateway_auth_total{{event="invitation",outcome="{outcome}"}}' in metrics
    assert token not in caplog.text and NEW_PASSWORD not in caplog.text


async def test_an_expired_an_unknown_or_a_foreign_link_is_refused_and_changes_nothing(gateway, admin, db):
    invited = await _invite(gateway, admin, "bob@example.org", ["clerk"])
    token = _token_of(invited["invitation_url"])
    await db.execute("UPDATE gateway.account_link SET expires_at = now() - interval '1 second'")
    before = await _counts(db)
    for path, body in [
        ("/api/v1/auth/invitations/accept", {"token": token, "password": NEW_PASSWORD}),
        ("/api/v1/auth/invitations/accept", {"token": "never-issued", "password": NEW_PASSWORD}),
        ("/api/v1/auth/password-reset/complete", {"token": token, "new_password": NEW_PASSWORD}),
    ]:
        assert_problem(await gateway.post(path, json=body), 422, "validation", ["body.token"])
    assert await _counts(db) == before
    assert (await gateway.get(f"/api/v1/staff/{invited['id']}", headers=admin)).json()["status"] == "inactive"
    assert (await _sign_in(gateway, "bob@example.org", NEW_PASSWORD)).status_code == 401
    missing = await gateway.post("/api/v1/auth/invitations/accept", json={"password": NEW_PASSWORD})
    assert_problem(missing, 422, "validation", ["body.token"])


async def test_bad_invitations_and_role_changes_are_problems_naming_the_field_and_change_nothing(gateway, admin, db):
    ada = await db.fetchval("SELECT id FROM gateway.staff_user WHERE email = $1", ADMIN)
    before = await _counts(db)
    cases = [
        ({"email": "ADA@example.org", "roles": ["clerk"]}, 409, "conflict", ["body.email"]),
        ({"email": "eve@example.org", "roles": ["root"]}, 422, "validation", ["body.roles.0"]),
        ({"email": "eve@example.org", "roles": []}, 422, "validation", ["body.roles"]),
        ({"email": "not-an-email", "roles": ["clerk"]}, 422, "validation", ["body.email"]),
        ({"roles": ["clerk"]}, 422, "validation", ["body.email"]),
        ({"email": "eve@example.org", "roles": ["clerk"], "password_hash": "x"}, 422, "validation", None),
    ]
    for body, status, slug, fields in cases:
        response = await gateway.post("/api/v1/staff/invitations", json=body, headers=admin)
        assert_problem(response, status, slug, fields)
    clerk = await gateway.post(
        "/api/v1/staff/invitations", json={"email": "bob@example.org", "roles": ["clerk"]}, headers=admin
    )
    bob_id = clerk.json()["id"]
    before = await _counts(db)
    for body, field in [({"roles": ["superuser"]}, "body.roles.0"), ({"roles": []}, "body.roles"), ({}, "body.roles")]:
        response = await gateway.put(f"/api/v1/staff/{bob_id}/roles", json=body, headers=admin)
        assert_problem(response, 422, "validation", [field])
    assert_problem(
        await gateway.put("/api/v1/staff/999/roles", json={"roles": ["clerk"]}, headers=admin), 404, "not-found"
    )
    assert_problem(
        await gateway.put("/api/v1/staff/abc/roles", json={"roles": ["clerk"]}, headers=admin), 422, "validation"
    )
    assert_problem(await gateway.post("/api/v1/staff/999/deactivate", headers=admin), 404, "not-found")
    assert_problem(await gateway.post("/api/v1/staff/999/reactivate", headers=admin), 404, "not-found")
    assert_problem(await gateway.post("/api/v1/staff/999/password-reset", headers=admin), 404, "not-found")
    assert await _counts(db) == before
    assert await db.fetchval("SELECT roles FROM gateway.staff_user WHERE id = $1", bob_id) == ["clerk"]
    assert await db.fetchval("SELECT tokens_valid_after FROM gateway.staff_user WHERE id = $1", ada) is None


async def test_changed_roles_end_old_tokens_in_every_gateway_process_and_a_new_sign_in_carries_them(
    gateways, admin, database_url
):
    gateway, other = gateways
    bob_id = await add_staff_async(database_url, "bob@example.org", ["clerk"])
    bob = await _tokens(gateway, "bob@example.org")
    old = _bearer(bob["access_token"])
    for client in gateways:  # a clerk: signed in, but not an admin, and not a manager at the customer service
        assert (await client.get("/api/v1/staff", headers=old)).status_code == 403
        assert (await client.get("/api/v1/stores/0", headers=old)).status_code == 403
        assert (await client.get("/api/v1/products", headers=old)).status_code == 200

    changed = await gateway.put(f"/api/v1/staff/{bob_id}/roles", json={"roles": ["manager", "manager"]}, headers=admin)
    assert changed.status_code == 200 and changed.json()["roles"] == ["manager"]
    started = time.monotonic()
    assert await _until(_refused(gateway, old)) and await _until(_refused(other, old))
    assert time.monotonic() - started < 3
    assert (await other.get("/api/v1/products", headers=old)).status_code == 401  # the proxied path too
    refreshed = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": bob["refresh_token"]})
    assert refreshed.status_code == 401

    new = _bearer((await _tokens(other, "bob@example.org"))["access_token"])
    assert (await other.get("/api/v1/stores/0", headers=new)).status_code == 200  # a manager now
    assert (await gateway.get("/api/v1/stores/0", headers=new)).status_code == 200
    same = await gateway.put(f"/api/v1/staff/{bob_id}/roles", json={"roles": ["manager"]}, headers=admin)
    assert same.status_code == 200 and same.json()["roles"] == ["manager"]
    await asyncio.sleep(0.6)  # the same roles again end nothing
    assert (await gateway.get("/api/v1/stores/0", headers=new)).status_code == 200


async def test_the_last_active_admin_keeps_the_role_and_nobody_deactivates_themselves(gateway, admin, db, database_url):
    ada = await db.fetchval("SELECT id FROM gateway.staff_user WHERE email = $1", ADMIN)
    before = await db.fetchrow("SELECT * FROM gateway.staff_user WHERE id = $1", ada)
    demoted = await gateway.put(f"/api/v1/staff/{ada}/roles", json={"roles": ["manager"]}, headers=admin)
    assert_problem(demoted, 409, "conflict")
    assert "last active admin" in demoted.json()["detail"]
    assert_problem(await gateway.post(f"/api/v1/staff/{ada}/deactivate", headers=admin), 409, "conflict")
    assert await db.fetchrow("SELECT * FROM gateway.staff_user WHERE id = $1", ada) == before

    # Another path to the last admin (another admin's token still valid for a second): refused as well.
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    try:
        with pytest.raises(Conflict, match="last active admin"):
            async with engine.begin() as connection:
                await staff.deactivate(connection, user_id=ada, actor_id=None)
    finally:
        await engine.dispose()
    assert await db.fetchrow("SELECT * FROM gateway.staff_user WHERE id = $1", ada) == before

    # An invited admin who has not accepted yet does not count.
    await _invite(gateway, admin, "carol@example.org", ["admin"])
    assert_problem(
        await gateway.put(f"/api/v1/staff/{ada}/roles", json={"roles": ["manager"]}, headers=admin), 409, "conflict"
    )
    dora_id = await add_staff_async(database_url, "dora@example.org", ["admin"])
    kept = await gateway.put(f"/api/v1/staff/{ada}/roles", json={"roles": ["manager"]}, headers=admin)
    assert kept.status_code == 200 and kept.json()["roles"] == ["manager"]
    assert await _until(_refused(gateway, admin))  # her admin token is gone with the role
    dora = _bearer((await _tokens(gateway, "dora@example.org"))["access_token"])
    assert_problem(await gateway.post(f"/api/v1/staff/{dora_id}/deactivate", headers=dora), 409, "conflict")


async def test_a_reset_link_sets_a_new_password_once_and_ends_every_sign_in(gateway, admin, db, database_url):
    bob_id = await add_staff_async(database_url, "bob@example.org", ["clerk"])
    bob = await _tokens(gateway, "bob@example.org")
    old = _bearer(bob["access_token"])
    issued = await gateway.post(f"/api/v1/staff/{bob_id}/password-reset", headers=admin)
    assert issued.status_code == 201, issued.text
    reset = issued.json()
    assert set(reset) == {"reset_url", "expires_at"}
    assert reset["reset_url"].startswith("http://gateway/console/password-reset#token=")
    token = _token_of(reset["reset_url"])
    assert (await _sign_in(gateway, "bob@example.org")).status_code == 200  # the old password until the link is used
    assert (await gateway.get("/api/v1/staff", headers=old)).status_code == 403

    weak = await gateway.post("/api/v1/auth/password-reset/complete", json={"token": token, "new_password": "bob"})
    assert_problem(weak, 422, "validation", ["body.new_password"])
    complete = {"token": token, "new_password": NEW_PASSWORD}
    assert (await gateway.post("/api/v1/auth/password-reset/complete", json=complete)).status_code == 204
    assert await _until(_refused(gateway, old))
    assert (await gateway.post("/api/v1/auth/refresh", json={"refresh_token": bob["refresh_token"]})).status_code == 401
    assert (await _sign_in(gateway, "bob@example.org")).status_code == 401
    assert (await _sign_in(gateway, "bob@example.org", NEW_PASSWORD)).status_code == 200
    again = await gateway.post(
        "/api/v1/auth/password-reset/complete", json=complete | {"new_password": "other-heron-42"}
    )
    assert_problem(again, 422, "validation", ["body.token"])
    assert (await _sign_in(gateway, "bob@example.org", NEW_PASSWORD)).status_code == 200
    metrics = (await gateway.get("/metrics")).text
    for outcome in ("issued", "completed", "refused"):
        assert f'patron_gateway_auth_total{{event="password_reset",outcome="{outcome}"}}' in metrics

    assert (await gateway.post(f"/api/v1/staff/{bob_id}/deactivate", headers=admin)).status_code == 200
    assert_problem(await gateway.post(f"/api/v1/staff/{bob_id}/password-reset", headers=admin), 409, "conflict")


async def test_deactivation_refuses_sign_in_refresh_and_access_tokens_until_reactivated(gateways, admin, database_url):
    gateway, other = gateways
    bob_id = await add_staff_async(database_url, "bob@example.org", ["clerk"])
    bob = await _tokens(gateway, "bob@example.org")
    old = _bearer(bob["access_token"])
    invited = await _invite(gateway, admin, "carol@example.org", ["clerk"])

    deactivated = await gateway.post(f"/api/v1/staff/{bob_id}/deactivate", headers=admin)
    assert deactivated.status_code == 200 and deactivated.json()["status"] == "inactive"
    started = time.monotonic()
    assert await _until(_refused(gateway, old)) and await _until(_refused(other, old))
    assert time.monotonic() - started < 3
    assert (await gateway.post("/api/v1/auth/refresh", json={"refresh_token": bob["refresh_token"]})).status_code == 401
    assert (await _sign_in(other, "bob@example.org")).status_code == 401
    again = await gateway.post(f"/api/v1/staff/{bob_id}/deactivate", headers=admin, params={})
    assert again.status_code == 200 and again.json()["status"] == "inactive"
    listed = (await gateway.get("/api/v1/staff", params={"active": "false"}, headers=admin)).json()["items"]
    assert {user["email"] for user in listed} == {"bob@example.org", "carol@example.org"}

    reactivated = await gateway.post(f"/api/v1/staff/{bob_id}/reactivate", headers=admin)
    assert reactivated.status_code == 200 and reactivated.json()["status"] == "active"
    await asyncio.sleep(0.6)
    assert (await gateway.get("/api/v1/staff", headers=old)).status_code == 401  # older tokens stay ended
    fresh = _bearer((await _tokens(gateway, "bob@example.org"))["access_token"])
    assert (await gateway.get("/api/v1/staff", headers=fresh)).status_code == 403

    # A deactivated invitee's link stops working.
    assert (await gateway.post(f"/api/v1/staff/{invited['id']}/deactivate", headers=admin)).status_code == 200
    accept = {"token": _token_of(invited["invitation_url"]), "password": NEW_PASSWORD}
    assert_problem(
        await gateway.post("/api/v1/auth/invitations/accept", json=accept), 422, "validation", ["body.token"]
    )


async def test_only_admins_administer_staff_and_a_caller_without_a_token_is_401(gateway, admin, db, database_url):
    bob_id = await add_staff_async(database_url, "bob@example.org", ["clerk"])
    clerk = _bearer((await _tokens(gateway, "bob@example.org"))["access_token"])
    before = await _counts(db)
    calls = [
        ("GET", "/api/v1/staff", None),
        ("GET", f"/api/v1/staff/{bob_id}", None),
        ("POST", "/api/v1/staff/invitations", {"email": "eve@example.org", "roles": ["admin"]}),
        ("POST", "/api/v1/staff/invitations", {"email": 7}),  # refused before its body is read
        ("PUT", f"/api/v1/staff/{bob_id}/roles", {"roles": ["admin"]}),
        ("POST", f"/api/v1/staff/{bob_id}/password-reset", None),
        ("POST", f"/api/v1/staff/{bob_id}/deactivate", None),
        ("POST", f"/api/v1/staff/{bob_id}/reactivate", None),
    ]
    for method, path, body in calls:
        assert_problem(await gateway.request(method, path, json=body, headers=clerk), 403, "forbidden")
        for headers in ({}, {"Authorization": "Bearer not-a-token"}, {"Authorization": "Basic YWRhOnB3"}):
            response = await gateway.request(method, path, json=body, headers=headers)
            assert_problem(response, 401, "unauthorized")
            assert response.headers["www-authenticate"] == "Bearer"
    no_token = await gateway.post("/api/v1/auth/password", json={"current_password": "x", "new_password": "y"})
    assert_problem(no_token, 401, "unauthorized")
    assert await _counts(db) == before
    assert await db.fetchval("SELECT roles FROM gateway.staff_user WHERE id = $1", bob_id) == ["clerk"]

    # Public operations need nothing, and a stale token does not stand in their way.
    stale = {"Authorization": "Bearer not-a-token"}
    assert (
        await gateway.post("/api/v1/auth/sign-in", json={"email": ADMIN, "password": STAFF_PASSWORD}, headers=stale)
    ).status_code == 200
    unknown = await gateway.post("/api/v1/auth/invitations/accept", json={"token": "x", "password": NEW_PASSWORD})
    assert_problem(unknown, 422, "validation", ["body.token"])

    # An Idempotency-Key is accepted, and never replays a reply holding a link.
    invite = {"email": "eve@example.org", "roles": ["analyst"]}
    key = {"Idempotency-Key": "invite-eve"}
    first = await gateway.post("/api/v1/staff/invitations", json=invite, headers=admin | key)
    assert first.status_code == 201 and "idempotent-replayed" not in first.headers
    retried = await gateway.post("/api/v1/staff/invitations", json=invite, headers=admin | key)
    assert_problem(retried, 409, "conflict", ["body.email"])
    assert (await gateway.post(f"/api/v1/staff/{bob_id}/deactivate", headers=admin | key)).status_code == 200
    assert (await gateway.post(f"/api/v1/staff/{bob_id}/deactivate", headers=admin | key)).status_code == 200


async def test_the_oauth2_password_grant_gives_the_tokens_sign_in_gives(gateway):
    form = {"grant_type": "password", "username": ADMIN, "password": STAFF_PASSWORD}
    granted = await gateway.post("/api/v1/auth/token", data=form)
    assert granted.status_code == 200, granted.text
    tokens = granted.json()
    assert set(tokens) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    assert (await gateway.get("/api/v1/staff", headers=_bearer(tokens["access_token"]))).status_code == 200
    with_client = form | {"scope": "", "client_id": "swagger"}
    assert (await gateway.post("/api/v1/auth/token", data=with_client)).status_code == 200
    wrong = await gateway.post("/api/v1/auth/token", data=form | {"password": "wrong-password-123"})
    assert_problem(wrong, 401, "unauthorized")
    assert wrong.headers["www-authenticate"] == "Bearer"
    grant = await gateway.post("/api/v1/auth/token", data=form | {"grant_type": "client_credentials"})
    assert_problem(grant, 422, "validation", ["body.grant_type"])
    assert_problem(await gateway.post("/api/v1/auth/token", json=form), 422, "validation")
    metrics = (await gateway.get("/metrics")).text
    assert 'patron_gateway_auth_total{event="sign_in",outcome="ok"} 2.0' in metrics
    assert 'patron_gateway_auth_total{event="sign_in",outcome="refused"} 1.0' in metrics
