"""Customers' accounts at the gateway: registration (a saga with the customer service, each step
failed for real), invitations, sign-in, refresh, their own password and username, deactivation.

Real gateway apps against a real customer process and PostgreSQL; nothing is mocked but the one
gateway step a test makes fail.
"""

import asyncio
import uuid

import httpx2
import pytest

from gateway.app import create_app
from gateway.auth.tokens import read_access_token
from gateway.customers import service as customers
from gateway.settings import DEVELOPMENT_TOKEN_SECRET
from tests.conftest import TEST_SECRET
from tests.gateway.test_accounts import gateway_settings
from tests.gateway.test_staff import ADMIN, _bearer, _sign_in, _until, gateway, gateways  # noqa: F401 - fixtures
from tests.support.accounts import add_staff_async
from tests.support.problems import assert_problem
from tests.support.processes import serve

PASSWORD = "plum-otter-lantern-42"
NEW_PASSWORD = "quiet-heron-meadow-77"


@pytest.fixture
async def admin(gateway):  # noqa: F811 - the fixture above, used here
    return _bearer((await _sign_in(gateway, ADMIN)).json()["access_token"])


async def register(gateway, username="ada", email="ada@example.org", password=PASSWORD, name="Ada"):  # noqa: F811
    return await gateway.post(
        "/api/v1/auth/customers/register",
        json={"name": name, "email": email, "username": username, "password": password},
    )


async def registered(gateway, username="ada", email="ada@example.org") -> dict:  # noqa: F811
    response = await register(gateway, username, email)
    assert response.status_code == 201, response.text
    return response.json()


async def customer_sign_in(gateway, username="ada", password=PASSWORD):  # noqa: F811
    return await gateway.post("/api/v1/auth/customers/sign-in", json={"username": username, "password": password})


async def nothing_kept(db) -> None:
    assert await db.fetchval("SELECT count(*) FROM gateway.customer_account") == 0
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 0


async def test_a_shopper_registers_signs_in_refreshes_and_signs_out(gateway, db):  # noqa: F811
    tokens = await registered(gateway, username="  Ada.Lovelace ")
    customer_id = tokens["customer_id"]
    claims = read_access_token(tokens["access_token"], secret=DEVELOPMENT_TOKEN_SECRET, issuer="patron")
    assert (claims.kind, claims.user_id, claims.roles) == ("customer", customer_id, ())
    account = await db.fetchrow("SELECT * FROM gateway.customer_account")
    assert (account["customer_id"], account["username"], account["state"]) == (customer_id, "ada.lovelace", "active")
    assert PASSWORD not in account["password_hash"] and account["password_hash"].startswith("$argon2id$")
    customer = await db.fetchrow("SELECT * FROM customer.customer WHERE id = $1", customer_id)
    assert (customer["username"], customer["email"], customer["has_sign_in"]) == (
        "ada.lovelace",
        "ada@example.org",
        True,
    )
    me = _bearer(tokens["access_token"])
    profile = await gateway.get(f"/api/v1/customers/{customer_id}", headers=me)
    assert profile.status_code == 200 and profile.json()["name"] == "Ada"

    wrong = await customer_sign_in(gateway, "ada.lovelace", "not-the-password")
    unknown = await customer_sign_in(gateway, "nobody-here", PASSWORD)
    for refused in (wrong, unknown):
        assert_problem(refused, 401, "unauthorized")
    assert wrong.json()["detail"] == unknown.json()["detail"]

    signed_in = await customer_sign_in(gateway, "ADA.lovelace")
    assert signed_in.status_code == 200 and signed_in.json()["customer_id"] == customer_id
    refreshed = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": signed_in.json()["refresh_token"]})
    assert refreshed.status_code == 200, refreshed.text
    again = read_access_token(refreshed.json()["access_token"], secret=DEVELOPMENT_TOKEN_SECRET, issuer="patron")
    assert (again.kind, again.user_id) == ("customer", customer_id)
    out = await gateway.post("/api/v1/auth/sign-out", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert out.status_code == 204
    fresh = _bearer(refreshed.json()["access_token"])

    async def ended() -> bool:
        return (await gateway.get(f"/api/v1/customers/{customer_id}", headers=fresh)).status_code == 401

    assert await _until(ended)
    assert (await gateway.get(f"/api/v1/customers/{customer_id}", headers=me)).status_code == 200  # the other sign-in


async def test_customer_sign_in_is_throttled_like_staff(database_url, customer_process):
    settings = gateway_settings(
        database_url, internal_secret=TEST_SECRET, customer_url=customer_process, sign_in_free_attempts=2
    )
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        await registered(client)
        for _ in range(2):
            assert (await customer_sign_in(client, "ada", "wrong-password")).status_code == 401
        throttled = await customer_sign_in(client, "ada")
        assert_problem(throttled, 429, "too-many-requests")
        assert int(throttled.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"username": "ada", "password": "short"}, "body.password"),
        ({"username": "a", "password": PASSWORD}, "body.username"),
        ({"username": "ada lovelace", "password": PASSWORD}, "body.username"),
        ({"username": "ada", "password": PASSWORD, "email": "not-an-email"}, "body.email"),
    ],
)
async def test_a_refused_registration_keeps_nothing(gateway, db, body, field):  # noqa: F811
    response = await gateway.post(
        "/api/v1/auth/customers/register", json={"name": "Ada", "email": "ada@example.org"} | body
    )
    assert_problem(response, 422, "validation", [field])
    await nothing_kept(db)


async def test_a_username_or_email_taken_in_the_customer_service_is_a_409_and_nothing_is_kept(gateway, admin, db):  # noqa: F811
    made = await gateway.post(
        "/api/v1/customers", json={"name": "Old Ada", "username": "ada", "email": "old@example.org"}, headers=admin
    )
    assert made.status_code == 201
    assert_problem(await register(gateway, "ada", "new@example.org"), 409, "conflict", ["body.username"])
    assert_problem(await register(gateway, "ada2", "OLD@example.org"), 409, "conflict", ["body.email"])
    assert await db.fetchval("SELECT count(*) FROM gateway.customer_account") == 0
    assert await db.fetchval("SELECT count(*) FROM customer.customer") == 1
    await registered(gateway, "ada3", "new@example.org")
    assert_problem(await register(gateway, "ADA3", "other@example.org"), 409, "conflict", ["body.username"])
    assert await db.fetchval("SELECT count(*) FROM gateway.customer_account") == 1


async def test_registration_while_the_customer_service_is_down_keeps_nothing(database_url, db, tmp_path):
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_EVENTS_RELAY": "false",
    }
    with serve("customer", env, tmp_path) as running:
        url = running.url
    # The process is stopped: its port answers nothing.
    app = create_app(gateway_settings(database_url, internal_secret=TEST_SECRET, customer_url=url))
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        assert_problem(await register(client), 502, "bad-gateway")
    await nothing_kept(db)


async def test_a_failed_activation_deletes_the_customer_again(gateway, db, monkeypatch):  # noqa: F811
    async def broken(connection, *, account_id, customer_id):
        raise RuntimeError("the gateway's database went away")

    monkeypatch.setattr(customers, "activate_account", broken)
    with pytest.raises(RuntimeError):
        await register(gateway)
    await nothing_kept(db)
    monkeypatch.undo()
    assert (await register(gateway)).status_code == 201  # the username is free again


async def test_a_pending_registration_left_by_a_crashed_gateway_frees_its_username(gateway, db):  # noqa: F811
    await db.execute(
        "INSERT INTO gateway.customer_account (username, password_hash, state, created_at)"
        " VALUES ('ada', 'x', 'pending', now() - interval '1 hour')"
    )
    # the dead registration had created its customer, marked as signing in, before the crash
    await db.execute("INSERT INTO customer.customer (username, name, has_sign_in) VALUES ('ada', 'Ghost', true)")
    tokens = await registered(gateway)
    assert await db.fetchval("SELECT count(*) FROM gateway.customer_account") == 1
    assert await db.fetch("SELECT id, name FROM customer.customer") == [(tokens["customer_id"], "Ada")]

    await db.execute(
        "INSERT INTO gateway.customer_account (username, password_hash, state) VALUES ('bea', 'x', 'pending')"
    )
    # a registration still under way keeps its username
    assert_problem(await register(gateway, "bea", "bea@example.org"), 409, "conflict", ["body.username"])


async def test_staff_invite_an_existing_customer_who_then_signs_in_with_their_username(gateway, admin, db):  # noqa: F811
    made = (await gateway.post("/api/v1/customers", json={"name": "Bea", "username": "bea"}, headers=admin)).json()
    nameless = (await gateway.post("/api/v1/customers", json={"name": "Cy"}, headers=admin)).json()
    refused = await gateway.post(
        "/api/v1/customer-accounts/invitations", json={"customer_id": nameless["id"]}, headers=admin
    )
    assert "username" in assert_problem(refused, 422, "validation", ["body.customer_id"])["detail"]
    assert_problem(
        await gateway.post("/api/v1/customer-accounts/invitations", json={"customer_id": 999999}, headers=admin),
        404,
        "not-found",
    )
    invited = await gateway.post(
        "/api/v1/customer-accounts/invitations", json={"customer_id": made["id"]}, headers=admin
    )
    assert invited.status_code == 201, invited.text
    assert invited.json()["username"] == "bea" and "#token=" in invited.json()["invitation_url"]
    token = invited.json()["invitation_url"].split("#token=", 1)[1]
    stored = await db.fetchrow("SELECT * FROM gateway.customer_invitation")
    assert token.encode() not in bytes(stored["token_hash"])

    weak = await gateway.post("/api/v1/auth/customers/invitations/accept", json={"token": token, "password": "x"})
    assert_problem(weak, 422, "validation", ["body.password"])
    accepted = await gateway.post(
        "/api/v1/auth/customers/invitations/accept", json={"token": token, "password": PASSWORD}
    )
    assert accepted.status_code == 204, accepted.text
    assert await db.fetchval("SELECT has_sign_in FROM customer.customer WHERE id = $1", made["id"])
    again = await gateway.post("/api/v1/auth/customers/invitations/accept", json={"token": token, "password": PASSWORD})
    assert_problem(again, 422, "validation", ["body.token"])
    signed_in = await customer_sign_in(gateway, "bea")
    assert signed_in.status_code == 200 and signed_in.json()["customer_id"] == made["id"]
    assert_problem(
        await gateway.post("/api/v1/customer-accounts/invitations", json={"customer_id": made["id"]}, headers=admin),
        409,
        "conflict",
    )
    # while she signs in, staff cannot change her username; only she can, through her account
    renamed = await gateway.patch(f"/api/v1/customers/{made['id']}", json={"username": "bee"}, headers=admin)
    assert_problem(renamed, 409, "conflict", ["body.username"])
    set_flag = await gateway.patch(f"/api/v1/customers/{made['id']}", json={"has_sign_in": False}, headers=admin)
    assert_problem(set_flag, 422, "validation", ["body.has_sign_in"])


async def test_clerks_invite_customers_and_other_callers_cannot(gateway, database_url, admin):  # noqa: F811
    made = (await gateway.post("/api/v1/customers", json={"name": "Bea", "username": "bea"}, headers=admin)).json()
    await add_staff_async(database_url, "clerk@example.org", ["clerk"])
    await add_staff_async(database_url, "analyst@example.org", ["analyst"])
    clerk = _bearer((await _sign_in(gateway, "clerk@example.org")).json()["access_token"])
    analyst = _bearer((await _sign_in(gateway, "analyst@example.org")).json()["access_token"])
    customer = _bearer((await registered(gateway))["access_token"])
    body = {"customer_id": made["id"]}
    assert_problem(
        await gateway.post("/api/v1/customer-accounts/invitations", json=body, headers=analyst), 403, "forbidden"
    )
    assert_problem(
        await gateway.post("/api/v1/customer-accounts/invitations", json=body, headers=customer), 403, "forbidden"
    )
    assert_problem(await gateway.post("/api/v1/customer-accounts/invitations", json=body), 401, "unauthorized")
    assert (await gateway.post("/api/v1/customer-accounts/invitations", json=body, headers=clerk)).status_code == 201


async def test_a_password_change_ends_every_other_sign_in_within_seconds(gateways, db):  # noqa: F811
    here, there = gateways
    first = await registered(here)
    other = (await customer_sign_in(there)).json()
    customer_id = first["customer_id"]
    me = _bearer(first["access_token"])
    wrong = await here.post(
        "/api/v1/auth/customers/me/password",
        json={"current_password": "nope-nope-nope", "new_password": NEW_PASSWORD},
        headers=me,
    )
    assert_problem(wrong, 401, "unauthorized")
    weak = await here.post(
        "/api/v1/auth/customers/me/password", json={"current_password": PASSWORD, "new_password": "x"}, headers=me
    )
    assert_problem(weak, 422, "validation", ["body.new_password"])
    changed = await here.post(
        "/api/v1/auth/customers/me/password",
        json={"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        headers=me,
    )
    assert changed.status_code == 200, changed.text
    fresh = _bearer(changed.json()["access_token"])
    await asyncio.sleep(0.01)

    async def old_refused_there() -> bool:
        response = await there.get(f"/api/v1/customers/{customer_id}", headers=_bearer(other["access_token"]))
        return response.status_code == 401

    assert await _until(old_refused_there)
    assert (await there.get(f"/api/v1/customers/{customer_id}", headers=fresh)).status_code == 200
    refused = await here.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert_problem(refused, 401, "unauthorized")
    assert (await customer_sign_in(here, "ada", PASSWORD)).status_code == 401
    assert (await customer_sign_in(here, "ada", NEW_PASSWORD)).status_code == 200


async def test_a_username_changes_on_both_sides_or_neither(gateway, admin, db):  # noqa: F811
    ada = await registered(gateway)
    me = _bearer(ada["access_token"])
    await registered(gateway, "bea", "bea@example.org")
    staff_made = await gateway.post("/api/v1/customers", json={"name": "Cy", "username": "cyd"}, headers=admin)
    assert staff_made.status_code == 201

    async def names() -> tuple[str, str]:
        return (
            await db.fetchval(
                "SELECT username FROM gateway.customer_account WHERE customer_id = $1", ada["customer_id"]
            ),
            await db.fetchval("SELECT username FROM customer.customer WHERE id = $1", ada["customer_id"]),
        )

    for taken in ("bea", "CYD"):  # taken here, and taken only in the customer service
        refused = await gateway.put("/api/v1/auth/customers/me/username", json={"username": taken}, headers=me)
        assert_problem(refused, 409, "conflict", ["body.username"])
        assert await names() == ("ada", "ada")
    assert_problem(
        await gateway.put("/api/v1/auth/customers/me/username", json={"username": "no spaces"}, headers=me),
        422,
        "validation",
        ["body.username"],
    )
    changed = await gateway.put("/api/v1/auth/customers/me/username", json={"username": " Ada2 "}, headers=me)
    assert changed.status_code == 200 and changed.json() == {"customer_id": ada["customer_id"], "username": "ada2"}
    assert await names() == ("ada2", "ada2")
    assert (await customer_sign_in(gateway, "ada2")).status_code == 200
    assert (await customer_sign_in(gateway, "ada")).status_code == 401
    # the customer cannot go round the gateway: their profile's username is closed to them
    direct = await gateway.patch(f"/api/v1/customers/{ada['customer_id']}", json={"username": "ada3"}, headers=me)
    assert_problem(direct, 422, "validation", ["body.username"])


async def test_a_username_change_the_gateway_cannot_keep_is_put_back_in_the_customer_service(
    gateway,  # noqa: F811
    db,
    monkeypatch,
):
    ada = await registered(gateway)
    me = _bearer(ada["access_token"])
    calls = []

    # The gateway's own write fails after the customer service changed: a rival took the name here.
    async def rival(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:  # putting the old name back
            return await original_update(*args, **kwargs)
        await db.execute(
            "INSERT INTO gateway.customer_account (username, password_hash, state) VALUES ('zed', 'x', 'pending')"
        )
        return await original_update(*args, **kwargs)

    directory = gateway._transport.app.state.customer_directory  # type: ignore[attr-defined]
    original_update = directory.update
    monkeypatch.setattr(directory, "update", rival)
    refused = await gateway.put("/api/v1/auth/customers/me/username", json={"username": "zed"}, headers=me)
    monkeypatch.undo()
    assert_problem(refused, 409, "conflict", ["body.username"])
    assert len(calls) == 2
    assert await db.fetchval("SELECT username FROM customer.customer WHERE id = $1", ada["customer_id"]) == "ada"
    assert (
        await db.fetchval("SELECT username FROM gateway.customer_account WHERE customer_id = $1", ada["customer_id"])
        == "ada"
    )


@pytest.mark.parametrize("end", ["deactivate", "delete"])
async def test_a_deactivated_or_deleted_customer_can_neither_sign_in_nor_refresh(gateway, admin, db, end):  # noqa: F811
    ada = await registered(gateway)
    customer_id = ada["customer_id"]
    if end == "deactivate":
        done = await gateway.post(f"/api/v1/customers/{customer_id}/deactivate", headers=admin)
    else:
        done = await gateway.delete(f"/api/v1/customers/{customer_id}", headers=admin)
    assert done.status_code in (200, 204), done.text

    async def ended() -> bool:  # the access token they hold stops within seconds, before any sign-in
        response = await gateway.get("/api/v1/products", headers=_bearer(ada["access_token"]))
        return response.status_code == 401

    assert await _until(ended)
    assert_problem(await customer_sign_in(gateway), 401, "unauthorized")
    assert_problem(
        await gateway.post("/api/v1/auth/refresh", json={"refresh_token": ada["refresh_token"]}), 401, "unauthorized"
    )
    open_sign_ins = "SELECT count(*) FROM gateway.refresh_family WHERE revoked_at IS NULL AND user_id IS NULL"
    assert await db.fetchval(open_sign_ins) == 0
    if end == "deactivate":  # reactivated, they sign in again; none of their older tokens comes back
        assert (await gateway.post(f"/api/v1/customers/{customer_id}/reactivate", headers=admin)).status_code == 200
        assert (await customer_sign_in(gateway)).status_code == 200
        assert (await gateway.get("/api/v1/products", headers=_bearer(ada["access_token"]))).status_code == 401


async def test_a_customer_token_is_never_a_staff_token(gateway, admin, db):  # noqa: F811
    staff_id = await db.fetchval("SELECT id FROM gateway.staff_user WHERE email = $1", ADMIN)
    # a customer whose id equals the admin's staff id gets nothing of the admin's
    await db.execute("SELECT setval(pg_get_serial_sequence('customer.customer', 'id'), $1, false)", staff_id)
    ada = await registered(gateway)
    assert ada["customer_id"] == staff_id
    me = _bearer(ada["access_token"])
    for method, path in (("GET", "/api/v1/staff"), ("GET", "/api/v1/api-keys"), ("GET", "/api/v1/customers")):
        assert_problem(await gateway.request(method, path, headers=me), 403, "forbidden")
    password = await gateway.post(
        "/api/v1/auth/password", json={"current_password": PASSWORD, "new_password": NEW_PASSWORD}, headers=me
    )
    assert_problem(password, 403, "forbidden")
    # and a staff token is no customer's
    mine = await gateway.put("/api/v1/auth/customers/me/username", json={"username": "boss"}, headers=admin)
    assert_problem(mine, 403, "forbidden")


def test_token_kinds_cannot_be_swapped_and_revocations_keep_to_their_kind():
    import time
    import uuid

    import jwt

    from gateway.auth.revocation import Revocations
    from gateway.auth.tokens import InvalidAccessToken, issue_access_token

    secret, family = "s" * 40, uuid.uuid4()
    staff, staff_claims = issue_access_token(
        user_id=7, roles=["admin"], family_id=family, secret=secret, issuer="patron", ttl_seconds=900
    )
    shopper, shopper_claims = issue_access_token(
        user_id=7, roles=[], family_id=family, secret=secret, issuer="patron", ttl_seconds=900, kind="customer"
    )
    assert read_access_token(staff, secret=secret, issuer="patron").kind == "staff"
    read = read_access_token(shopper, secret=secret, issuer="patron")
    assert (read.kind, read.user_id, read.roles) == ("customer", 7, ())

    def payload(token):
        return jwt.decode(token, options={"verify_signature": False})

    forged = [
        payload(shopper) | {"kind": "staff"},  # a customer's subject is no staff user's
        payload(staff) | {"kind": "customer"},  # nor a staff user's a customer's
        payload(shopper) | {"roles": ["admin"]},  # a customer holds no roles
        {key: value for key, value in payload(staff).items() if key != "kind"},  # no kind, no token
    ]
    for claims in forged:
        with pytest.raises(InvalidAccessToken):
            read_access_token(jwt.encode(claims, secret, "HS256"), secret=secret, issuer="patron")

    now = time.time() + 1
    assert Revocations(customer_valid_after={7: now}).refuses(shopper_claims)
    assert not Revocations(customer_valid_after={7: now}).refuses(staff_claims)
    assert Revocations(inactive_users=frozenset({7})).refuses(staff_claims)
    assert not Revocations(inactive_users=frozenset({7}), valid_after={7: now}).refuses(shopper_claims)


async def test_without_the_customer_service_a_customer_is_neither_signed_in_nor_refreshed(database_url, tmp_path):
    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_EVENTS_RELAY": "false",
    }
    with serve("customer", env, tmp_path) as running:
        app = create_app(gateway_settings(database_url, internal_secret=TEST_SECRET, customer_url=running.url))
        async with (
            app.router.lifespan_context(app),
            httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
        ):
            tokens = await registered(client)
            running.process.terminate()
            running.process.wait(timeout=15)
            # unchecked is refused: the status of the customer cannot be read
            assert_problem(await customer_sign_in(client), 502, "bad-gateway")
            refresh = await client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
            assert_problem(refresh, 502, "bad-gateway")
            assert (
                await client.post("/api/v1/auth/sign-out", json={"refresh_token": tokens["refresh_token"]})
            ).status_code == 204


async def test_the_revocation_store_refuses_an_erased_customers_tokens_issued_before_the_erasure(database_url, db):
    from gateway.auth.revocation import read_revocations
    from gateway.auth.tokens import AccessClaims
    from services.kit.db import create_engine

    await db.execute("INSERT INTO gateway.erased_customer (customer_id, erased_at) VALUES (41, now())")
    erased_at = await db.fetchval("SELECT extract(epoch FROM erased_at)::float8 FROM gateway.erased_customer")
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            revocations = await read_revocations(connection, lookback_seconds=900)
    finally:
        await engine.dispose()
    assert revocations.customer_valid_after == {41: erased_at}

    def claims(user_id: int, issued_at: float) -> AccessClaims:
        return AccessClaims(
            user_id=user_id,
            roles=(),
            family_id=uuid.uuid4(),
            token_id=uuid.uuid4(),
            issued_at=issued_at,
            expires_at=issued_at + 900,
            kind="customer",
        )

    assert revocations.refuses(claims(41, erased_at - 1))  # a token she held
    assert not revocations.refuses(claims(42, erased_at - 1))  # another customer's
