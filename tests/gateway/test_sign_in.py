"""Sign-in, refresh and sign-out on the gateway, and bearer tokens on the public path."""

import asyncio
import time

import httpx2
import pytest
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.app import create_app
from gateway.auth import service
from gateway.auth.models import StaffRole
from gateway.auth.service import AuthPolicy
from services.kit.db import async_url
from tests.conftest import TEST_SECRET
from tests.gateway.test_accounts import PASSWORD, gateway_settings


@pytest.fixture
async def gateway(database_url, customer_process):
    settings = gateway_settings(
        database_url,
        internal_secret=TEST_SECRET,
        customer_url=customer_process,
        revocation_refresh_seconds=0.2,
    )
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    async with engine.begin() as connection:
        await service.create_staff_user(
            connection,
            policy=AuthPolicy.of(settings),
            email="ada@example.org",
            password=PASSWORD,
            roles=[StaffRole.ADMIN],
        )
    await engine.dispose()
    app = create_app(settings)
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        yield client


async def _until(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await predicate():
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_signed_in_admin_reaches_the_services_and_is_refused_after_signing_out(gateway):
    assert (await gateway.get("/api/v1/stores/0")).status_code == 401  # no credentials, no answer
    refused = await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": "wrong-one-123"})
    assert refused.status_code == 401 and refused.headers["content-type"] == "application/problem+json"
    signed_in = await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": PASSWORD})
    assert signed_in.status_code == 200, signed_in.text
    tokens = signed_in.json()
    assert tokens["token_type"] == "bearer" and tokens["expires_in"] == 900
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert await _until(lambda: _status(gateway, bearer, 200))

    refreshed = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 200 and refreshed.json()["refresh_token"] != tokens["refresh_token"]
    signed_out = await gateway.post("/api/v1/auth/sign-out", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert signed_out.status_code == 204
    newer = {"Authorization": f"Bearer {refreshed.json()['access_token']}"}
    started = time.monotonic()
    assert await _until(lambda: _status(gateway, bearer, 401)) and await _until(lambda: _status(gateway, newer, 401))
    assert time.monotonic() - started < 3
    again = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": refreshed.json()["refresh_token"]})
    assert again.status_code == 401
    metrics = (await gateway.get("/metrics")).text
    for event, outcome in [("sign_in", "ok"), ("sign_in", "refused"), ("refresh", "ok"), ("sign_out", "ok")]:
        assert f'patron_gateway_auth_total{{event="{event}",outcome="{outcome}"}} 1.0' in metrics, metrics
    assert 'patron_gateway_auth_total{event="bearer",outcome="refused"}' in metrics


async def test_a_reused_refresh_token_ends_the_sign_in_for_every_holder(gateway):
    tokens = (
        await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": PASSWORD})
    ).json()
    rotated = (await gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})).json()
    stolen = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert stolen.status_code == 401
    legitimate = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert legitimate.status_code == 401
    bearer = {"Authorization": f"Bearer {rotated['access_token']}"}
    assert await _until(lambda: _status(gateway, bearer, 401))


async def test_a_user_changes_their_own_password_and_every_sign_in_ends(gateway):
    tokens = (
        await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": PASSWORD})
    ).json()
    bearer = {"Authorization": f"Bearer {tokens['access_token']}"}
    change = {"current_password": PASSWORD, "new_password": "amber-heron-lighthouse"}
    assert (await gateway.post("/api/v1/auth/password", json=change)).status_code == 401  # no token
    wrong = await gateway.post("/api/v1/auth/password", json=change | {"current_password": "nope"}, headers=bearer)
    assert wrong.status_code == 401
    weak = await gateway.post("/api/v1/auth/password", json=change | {"new_password": "password1234"}, headers=bearer)
    assert weak.status_code == 422 and weak.json()["errors"][0]["field"] == "body.new_password"
    long = await gateway.post("/api/v1/auth/password", json=change | {"new_password": "x" * 1025}, headers=bearer)
    assert long.status_code == 422
    assert (await gateway.post("/api/v1/auth/password", json=change, headers=bearer)).status_code == 204
    assert await _until(lambda: _status(gateway, bearer, 401))
    refresh = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refresh.status_code == 401
    old = await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": PASSWORD})
    assert old.status_code == 401
    new = await gateway.post(
        "/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": "amber-heron-lighthouse"}
    )
    assert new.status_code == 200
    assert await _status(gateway, {"Authorization": f"Bearer {new.json()['access_token']}"}, 200)


async def test_bad_credentials_and_an_over_long_password_are_problems_that_change_nothing(gateway):
    for authorization in ["Bearer not-a-token", "Basic YWRhOnB3", "Bearer ", "Bearer eyJhbGciOiJub25lIn0.e30."]:
        response = await gateway.get("/api/v1/stores/0", headers={"Authorization": authorization})
        assert response.status_code == 401 and response.json()["type"].endswith("/unauthorized"), authorization
        assert response.headers["www-authenticate"] == "Bearer"
    response = await gateway.post("/api/v1/auth/sign-in", json={"email": "ada@example.org", "password": "x" * 1025})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.password"
    unknown = await gateway.post("/api/v1/auth/refresh", json={"refresh_token": "never-issued"})
    assert unknown.status_code == 401
    assert (await gateway.post("/api/v1/auth/sign-out", json={"refresh_token": "never-issued"})).status_code == 204


async def _status(client, headers, expected):
    return (await client.get("/api/v1/stores/0", headers=headers)).status_code == expected
