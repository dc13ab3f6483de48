"""Rate limits per API key or signed-in user and per client address, by route family, across processes."""

import asyncio
import time

import asyncpg
import httpx2
import pytest

from gateway.limits.rules import Decision, Limit, decide, family_of, headers, limit_for, parse_limits, tightest
from gateway.limits.store import Allowance
from gateway.settings import GatewaySettings
from tests.gateway.conftest import running_stack
from tests.support.accounts import add_staff, bearer, sign_in

DAY = 86400
FUNCTIONAL_TIMEOUT = 20.0


def test_limits_are_read_per_family_with_a_default():
    limits = parse_limits("*=3000/60, imports=30/60,analytics=0/1")
    assert limit_for(limits, "stores") == Limit(3000, 60)
    assert limit_for(limits, "imports") == Limit(30, 60)
    assert limit_for(limits, "analytics") is None  # 0 requests: no limit for the family
    assert limit_for(parse_limits("imports=5/10"), "stores") is None
    for bad in ["imports", "imports=5", "imports=x/60", "=5/60", "imports=5/0"]:
        with pytest.raises(ValueError, match="rate limit"):
            parse_limits(bad)
    with pytest.raises(ValueError, match="rate limit"):
        GatewaySettings(rate_limits="stores=ten/60")


def test_the_family_is_the_first_segment_under_the_api():
    assert family_of("/api/v1/imports/7/report") == "imports"
    assert family_of("/api/v1/stores") == "stores"
    assert family_of("/health/ready") is None and family_of("/api/v1/") is None


def test_a_window_allows_its_count_then_refuses_until_it_ends():
    limit = Limit(3, 60)
    start = 600
    assert decide(limit, 0, start, 610.0) == Decision(True, limit, 2, 50)
    assert decide(limit, 2, start, 610.0) == Decision(True, limit, 0, 50)
    refused = decide(limit, 3, start, 659.5)
    assert refused == Decision(False, limit, 0, 1)
    assert dict(headers(refused)) == {
        b"ratelimit-policy": b"3;w=60",
        b"ratelimit-limit": b"3",
        b"ratelimit-remaining": b"0",
        b"ratelimit-reset": b"1",
        b"retry-after": b"1",
    }
    assert tightest([decide(limit, 0, start, 610.0), decide(Limit(10, 60), 1, start, 610.0)]).remaining == 2


def test_the_allowance_counts_per_subject_and_family_and_not_refused_requests():
    allowance = Allowance()
    limit = Limit(2, 60)
    now = 6000.0
    assert [allowance.hit("a", "stores", limit, now).allowed for _ in range(3)] == [True, True, False]
    assert allowance.hit("b", "stores", limit, now).allowed and allowance.hit("a", "products", limit, now).allowed
    (count,) = [count for key, count in allowance.counts.items() if key[:2] == ("a", "stores")]
    assert (count.shared, count.pending) == (0, 2)
    assert allowance.hit("a", "stores", limit, now + 60).allowed  # the next window


@pytest.fixture
def limited_stack(database_url, tmp_path):
    env = {
        "PATRON_GATEWAY_RATE_LIMITS": f"*=0/1,stores=5/{DAY}",
        "PATRON_GATEWAY_ADDRESS_RATE_LIMITS": f"*=0/1,products=4/{DAY}",
        "PATRON_GATEWAY_RATE_LIMIT_SYNC_SECONDS": "0.1",
    }
    with running_stack(database_url, tmp_path, env, gateways=2) as urls:
        yield urls


def wait_for_hits(database_url: str, family: str, hits: int) -> None:
    """Until the shared store holds ``hits`` requests of ``family`` in all (a functional timeout)."""

    async def stored() -> int:
        connection = await asyncpg.connect(database_url)
        try:
            query = "SELECT coalesce(sum(hits), 0) FROM gateway.rate_limit_counter WHERE family = $1"
            return int(await connection.fetchval(query, family))
        finally:
            await connection.close()

    deadline = time.monotonic() + FUNCTIONAL_TIMEOUT
    while asyncio.run(stored()) < hits:
        assert time.monotonic() < deadline, f"the store never held {hits} {family} requests"
        time.sleep(0.1)


def test_limits_hold_per_user_and_per_address_across_gateway_processes(limited_stack, database_url):
    first, second = limited_stack["gateway"], limited_stack["gateway-2"]
    with httpx2.Client(base_url=first, headers=bearer(limited_stack["token"]), timeout=30) as client:
        replies = [client.get("/api/v1/stores") for _ in range(6)]
        assert [reply.status_code for reply in replies] == [200] * 5 + [429]
        assert [reply.headers["ratelimit-remaining"] for reply in replies] == ["4", "3", "2", "1", "0", "0"]
        assert replies[0].headers["ratelimit-policy"] == f"5;w={DAY}"
        refused = replies[-1]
        problem = refused.json()
        assert refused.headers["content-type"] == "application/problem+json"
        assert problem["type"].endswith("/too-many-requests") and "stores" in problem["detail"]
        wait = int(refused.headers["retry-after"])
        assert 0 < wait <= DAY and problem["retry_after"] == wait
        assert int(refused.headers["ratelimit-reset"]) == wait
        # Another family is not limited for the user; another user is not limited by this one's count.
        assert client.get("/api/v1/customers").status_code == 200
    add_staff(database_url, "other@example.com", ["admin"])
    other = sign_in(first, "other@example.com")
    assert httpx2.get(f"{first}/api/v1/stores", headers=bearer(other), timeout=30).status_code == 200

    # The second process learns the first one's count from the shared store within a sync or two.
    accepted = 0
    deadline = time.monotonic() + FUNCTIONAL_TIMEOUT
    with httpx2.Client(base_url=second, headers=bearer(limited_stack["token"]), timeout=30) as client:
        while time.monotonic() < deadline:
            status = client.get("/api/v1/stores").status_code
            if status == 429:
                break
            assert status == 200
            accepted += 1
            time.sleep(0.3)
        else:
            pytest.fail("the second gateway never refused the user's requests")
    assert accepted <= 1  # at most what it let through before its first sync

    # Per address: every caller from this address shares the family's count, whichever process answers.
    statuses = [
        httpx2.get(f"{url}/api/v1/products", headers=bearer(token), timeout=30).status_code
        for url, token in [(first, limited_stack["token"]), (first, other), (first, other)]
    ]
    assert statuses == [200, 200, 200]
    # The first process has added its three to the shared store; the second refuses this address before
    # its own count reaches the limit of 4, however late its sync on a loaded machine.
    wait_for_hits(database_url, "products", 3)
    accepted = 0
    deadline = time.monotonic() + FUNCTIONAL_TIMEOUT
    while time.monotonic() < deadline:
        reply = httpx2.get(f"{second}/api/v1/products", headers=bearer(other), timeout=30)
        if reply.status_code == 429:
            break
        assert reply.status_code == 200
        accepted += 1
        time.sleep(0.3)
    else:
        pytest.fail("the second gateway never refused the address's requests")
    assert "retry-after" in reply.headers
    assert 1 <= accepted < 4, accepted  # what the shared count left (one), or a little more; never its own 4


def test_a_caller_is_its_key_by_digest_or_its_valid_token_user():
    from starlette.requests import Request

    from gateway.identity import caller_subject

    settings = GatewaySettings(environment="test")

    def request(**headers: str) -> Request:
        raw = [(name.replace("_", "-").encode(), value.encode()) for name, value in headers.items()]
        return Request({"type": "http", "method": "GET", "path": "/api/v1/stores", "headers": raw})

    key = "pk_abcdefgh_secretpart"
    subject = caller_subject(request(x_api_key=key), settings)
    assert subject is not None and subject.startswith("key:") and "secretpart" not in subject
    assert caller_subject(request(x_api_key=key), settings) == subject
    assert caller_subject(request(x_api_key=key + "x"), settings) != subject
    assert caller_subject(request(authorization="Bearer forged.token.here"), settings) is None
    assert caller_subject(request(), settings) is None
