"""Sign-in abuse: attempts throttled per account and per client address, across gateway processes."""

import asyncio
from contextlib import AsyncExitStack

import httpx2
import pytest

from gateway.app import create_app
from tests.gateway.test_accounts import gateway_settings
from tests.support.accounts import STAFF_PASSWORD, add_staff_async
from tests.support.problems import assert_problem

ADA = "ada@example.org"
THROTTLE = {
    "sign_in_free_attempts": 3,
    "sign_in_address_free_attempts": 6,
    "sign_in_back_off_seconds": 1.0,
    "sign_in_max_wait_seconds": 2.0,
}


async def _gateways(stack: AsyncExitStack, database_url: str, count: int, **overrides) -> list[httpx2.AsyncClient]:
    settings = gateway_settings(database_url, **(THROTTLE | overrides))
    clients = []
    for n in range(count):
        app = create_app(settings)
        await stack.enter_async_context(app.router.lifespan_context(app))
        transport = httpx2.ASGITransport(app=app, client=("203.0.113.10", 40000))
        clients.append(
            await stack.enter_async_context(httpx2.AsyncClient(transport=transport, base_url=f"http://gateway-{n}"))
        )
    return clients


@pytest.fixture
async def gateways(database_url):
    await add_staff_async(database_url, ADA, ["admin"])
    async with AsyncExitStack() as stack:
        yield await _gateways(stack, database_url, 2)


async def _sign_in(client, email, password, headers=None):
    return await client.post("/api/v1/auth/sign-in", json={"email": email, "password": password}, headers=headers)


def _without_request_id(response) -> dict:
    return {key: value for key, value in response.json().items() if key != "request_id"}


async def test_an_account_waits_twice_as_long_after_its_free_attempts_in_every_process(gateways, db):
    first, second = gateways
    for client in (first, second, first):  # three free attempts, in either process
        assert_problem(await _sign_in(client, ADA, "wrong password 1"), 401, "unauthorized")
    refused = await _sign_in(second, ADA, STAFF_PASSWORD)  # even the right password waits now
    assert_problem(refused, 429, "too-many-requests")
    assert refused.headers["retry-after"] == "1" and refused.json()["retry_after"] == 1
    attempts = await db.fetchval("SELECT attempts FROM gateway.sign_in_throttle WHERE subject = 'staff:' || $1", ADA)
    assert attempts == 3  # a refused attempt is not counted
    await asyncio.sleep(1.1)
    assert_problem(await _sign_in(first, ADA, "wrong password 2"), 401, "unauthorized")
    waited = await _sign_in(first, ADA, STAFF_PASSWORD)
    assert_problem(waited, 429, "too-many-requests")
    assert int(waited.headers["retry-after"]) == 2  # doubled (and capped at the maximum)
    await asyncio.sleep(2.1)
    assert (await _sign_in(second, ADA, STAFF_PASSWORD)).status_code == 200
    # A sign-in that went through starts the account afresh.
    assert await db.fetchval("SELECT count(*) FROM gateway.sign_in_throttle WHERE subject LIKE 'staff:%'") == 0


async def test_an_unknown_account_gets_the_same_replies_as_a_wrong_password(gateways):
    first, _ = gateways
    known = [await _sign_in(first, ADA, "wrong password") for _ in range(4)]
    unknown = [await _sign_in(first, "nobody@example.org", "wrong password") for _ in range(4)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] == [401, 401, 401, 429]
    for a, b in zip(known, unknown, strict=True):
        assert _without_request_id(a) == _without_request_id(b)
        assert a.headers.get("www-authenticate") == b.headers.get("www-authenticate")


async def test_one_address_trying_many_accounts_is_throttled_too(gateways):
    first, _ = gateways
    statuses = [(await _sign_in(first, f"user{n}@example.org", "wrong password")).status_code for n in range(7)]
    assert statuses == [401] * 6 + [429]
    # Another address is not held back by this one's attempts.
    other = await _sign_in(first, "user99@example.org", "x", headers={"X-Forwarded-For": "198.51.100.1"})
    assert other.status_code == 429  # the header proves nothing: the peer is no trusted proxy


async def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(database_url, db):
    async with AsyncExitStack() as stack:
        (gateway,) = await _gateways(stack, database_url, 1, trusted_proxies="203.0.113.0/24")
        for n in range(7):
            forwarded = {"X-Forwarded-For": f"198.51.100.{n}"}  # seven clients behind one proxy
            response = await _sign_in(gateway, f"user{n}@example.org", "wrong password", headers=forwarded)
            assert response.status_code == 401
        subjects = await db.fetch("SELECT subject FROM gateway.sign_in_throttle WHERE subject LIKE 'address:%'")
        assert sorted(row["subject"] for row in subjects) == [f"address:198.51.100.{n}" for n in range(7)]


async def test_a_burst_of_attempts_sent_at_once_is_counted_in_full(gateways, db):
    first, second = gateways
    replies = await asyncio.gather(
        *(_sign_in(client, ADA, f"wrong {n}") for n, client in enumerate([first, second] * 5))
    )
    statuses = sorted(r.status_code for r in replies)
    assert statuses.count(401) == 3 and statuses.count(429) == 7, statuses
    assert all(int(r.headers["retry-after"]) >= 1 for r in replies if r.status_code == 429)


def test_a_bad_trusted_proxy_setting_refuses_to_start(database_url):
    with pytest.raises(ValueError, match="not-a-network"):
        gateway_settings(database_url, trusted_proxies="10.0.0.0/8, not-a-network")
    networks = gateway_settings(database_url, trusted_proxies="10.0.0.0/8, ::1").trusted_networks()
    assert [str(network) for network in networks] == ["10.0.0.0/8", "::1/128"]
    assert gateway_settings(database_url).trusted_networks() == ()  # by default no proxy is trusted
