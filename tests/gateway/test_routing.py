"""The gateway routes each public prefix to its service, over real HTTP, and fails cleanly."""

import asyncio
import time
from pathlib import Path

import aiohttp
import httpx2
import pytest

from gateway.app import create_app
from gateway.proxy import UPSTREAM_IDLE_SECONDS, upstream_session
from gateway.routes import service_for
from gateway.settings import GatewaySettings
from patron.cli import KEEP_ALIVE_SECONDS
from tests.conftest import TEST_SECRET, signed
from tests.support.accounts import STAFF_PASSWORD, add_staff_async, bearer
from tests.support.processes import free_port

RANDOM_SECRET = "Vb3nQ8xK1mZr5TcW0yLh7PdG2sJf9Ea4Nu6Io-Rk_"

pytestmark = pytest.mark.timeout(120)


def fast_settings(**values: object) -> GatewaySettings:
    """An in-process gateway's settings, with cheap argon2 costs (the hashing is tested elsewhere)."""
    cheap = {"password_time_cost": 1, "password_memory_cost_kib": 1024, "password_parallelism": 1}
    return GatewaySettings(internal_secret=TEST_SECRET, environment="test", **cheap | values)  # type: ignore[arg-type]


async def signed_in(client: httpx2.AsyncClient, database_url: str, email: str = "router@example.com") -> None:
    """An admin on the test database, signed in at the gateway ``client`` talks to; its requests carry the token."""
    await add_staff_async(database_url, email, ["admin"])
    response = await client.post("/api/v1/auth/sign-in", json={"email": email, "password": STAFF_PASSWORD})
    assert response.status_code == 200, response.text
    client.headers.update(bearer(response.json()["access_token"]))


def test_every_prefix_of_the_spec_has_its_service():
    expected = {
        "/api/v1/customers": "customer",
        "/api/v1/customers/7/purchases": "customer",
        "/api/v1/products/restock-suggestions": "customer",
        "/api/v1/stores": "customer",
        "/api/v1/exchange-rates/EUR/2024-01-01": "customer",
        "/api/v1/purchases/9/cancel": "customer",
        "/api/v1/imports": "customer",
        "/api/v1/loyalty/levels": "loyalty",
        "/api/v1/analytics/sales": "analytics",
        "/api/v1/customersx": None,
        "/api/v2/customers": None,
        "/health/ready": None,
    }
    assert {path: service_for(path) for path in expected} == expected


async def test_requests_reach_the_customer_service_through_the_gateway(stack):
    async with httpx2.AsyncClient(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=30) as client:
        created = await client.post(
            "/api/v1/products",
            json={"sku": "GW-1", "name": "Routed", "unit_cost": "1.00", "unit_price": "2.50"},
            headers={"X-Request-ID": "gateway-test-42"},
        )
        assert created.status_code == 201, created.text
        assert created.headers["x-request-id"] == "gateway-test-42"
        read = await client.get(f"/api/v1/products/{created.json()['id']}")
        assert read.json()["sku"] == "GW-1"
        bad = await client.post("/api/v1/products", json={"sku": "", "name": "x", "unit_cost": "1", "unit_price": "-1"})
        assert bad.status_code == 422 and bad.headers["content-type"] == "application/problem+json"
        assert {e["field"] for e in bad.json()["errors"]} == {"body.sku", "body.unit_price"}
        unknown = await client.get("/api/v1/nothing-here")
        assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"
    # The request id reached the service and is in its log line for that request.
    customer_logs = "".join(p.read_text() for p in Path(stack["logs"]).glob("customer-*.log"))
    assert '"request_id": "gateway-test-42"' in customer_logs


async def test_a_pooled_connection_left_idle_is_never_reused_as_the_service_closes_it(stack):
    """The gateway's pool keeps upstream connections idle for less time than ``patron serve`` keeps them open.

    Were it the other way round, a request arriving just as the service drops an idle connection
    would go out on it and come back as a 502 (seen under load after a quiet spell).
    """
    assert UPSTREAM_IDLE_SECONDS < KEEP_ALIVE_SECONDS
    async with httpx2.AsyncClient(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=30) as client:
        first = await client.get("/api/v1/products")  # leaves an idle connection in the gateway's pool
        assert first.status_code == 200, first.text
        await asyncio.sleep(6)  # past uvicorn's default keep-alive of 5 s, which would close the idle connection
        created = await client.post(
            "/api/v1/products", json={"sku": "IDLE-1", "name": "After a pause", "unit_cost": "1", "unit_price": "2"}
        )
        assert created.status_code == 201, created.text
    # The customer service really kept the connection: a raw keep-alive connection outlives 6 s of silence.
    host, port = stack["customer"].removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        for _ in range(2):
            writer.write(f"GET /health/live HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200")
            length = int(
                next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length")).split(b":")[1]
            )
            await reader.readexactly(length)
            await asyncio.sleep(6)
    finally:
        writer.close()


async def _black_hole(port: int) -> asyncio.Server:
    """A server that accepts connections and never answers: a service that hangs."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)
        writer.close()

    return await asyncio.start_server(hold, "127.0.0.1", port)


async def test_a_down_service_is_502_and_a_slow_one_504_while_other_routes_work(customer_process, database_url):
    closed_port = free_port()  # nothing listens here
    hung_port = free_port()
    hung = await _black_hole(hung_port)
    settings = fast_settings(
        database_url=database_url,
        customer_url=customer_process,
        loyalty_url=f"http://127.0.0.1:{closed_port}",
        analytics_url=f"http://127.0.0.1:{hung_port}",
        upstream_timeout_seconds=1.0,
    )
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx2.ASGITransport(app=app)
            async with httpx2.AsyncClient(transport=transport, base_url="http://gateway", timeout=30) as client:
                await signed_in(client, database_url)
                started = time.monotonic()
                down = await client.get("/api/v1/loyalty/levels")
                assert down.status_code == 502 and down.headers["content-type"] == "application/problem+json"
                assert down.json()["type"].endswith("/bad-gateway")
                started = time.monotonic()
                slow = await client.get("/api/v1/analytics/sales")
                assert slow.status_code == 504 and slow.json()["type"].endswith("/gateway-timeout")
                assert time.monotonic() - started < 5  # answered within the timeout, not after the hang
                fine = await client.get("/api/v1/stores/0")
                assert fine.status_code == 200 and fine.json()["online"] is True
    finally:
        hung.close()


async def test_a_request_without_a_bearer_token_is_refused(customer_process, database_url):
    app = create_app(fast_settings(database_url=database_url, customer_url=customer_process))
    transport = httpx2.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        for method, path in (
            ("GET", "/api/v1/stores"),
            ("POST", "/api/v1/products"),
            ("GET", "/api/v1/loyalty/levels"),
        ):
            anonymous = await client.request(method, path, json={} if method == "POST" else None)
            assert anonymous.status_code == 401, (method, path, anonymous.text)
            assert anonymous.headers["content-type"] == "application/problem+json"
            assert anonymous.headers["www-authenticate"] == "Bearer"
        forged = await client.get("/api/v1/stores", headers=signed())
        assert forged.status_code == 401  # a principal header from outside is never trusted
        assert (await client.get("/api/v1/stores", headers={"Authorization": "Bearer nonsense"})).status_code == 401
        await signed_in(client, database_url)
        assert (await client.get("/api/v1/stores")).status_code == 200


def test_no_setting_lets_an_unauthenticated_request_through():
    assert "development_principal" not in GatewaySettings.model_fields
    with pytest.raises(ValueError, match="TOKEN_SECRET"):
        GatewaySettings(environment="production", internal_secret=RANDOM_SECRET, database_url="postgresql://db/patron")


async def test_large_bodies_stream_through(stack):
    rates = [
        {"date": f"20{y:02d}-{m:02d}-{d:02d}", "currency": "EUR", "rate": "0.9"}
        for y in range(10, 30)
        for m in range(1, 13)
        for d in range(1, 29)
    ]
    async with httpx2.AsyncClient(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=60) as client:
        response = await client.put("/api/v1/exchange-rates", json={"rates": rates[:10_000]})
        assert response.status_code == 200, response.text
        assert response.json() == {"inserted": 6720, "updated": 0}


async def test_the_upstream_pool_is_bounded_keeps_no_cookies_and_adds_no_headers():
    session = upstream_session(timeout=1.0, connect_timeout=1.0, max_connections=10)
    try:
        assert session.connector is not None and session.connector.limit == 10
        # A cookie one caller's response set must never ride along on another caller's request.
        assert isinstance(session.cookie_jar, aiohttp.DummyCookieJar)
        assert {"User-Agent", "Accept", "Accept-Encoding", "Content-Type"} <= set(session.skip_auto_headers)
    finally:
        await session.close()


@pytest.mark.parametrize("whole_body_bytes", [0, 256 * 1024], ids=["streamed", "whole"])
async def test_bodies_pass_through_alike_whether_streamed_or_whole(
    customer_process, database_url, monkeypatch, whole_body_bytes
):
    """Past ``WHOLE_BODY_BYTES`` both ways stream; under it they are passed on whole. Either way the same bytes."""
    import gateway.proxy

    monkeypatch.setattr(gateway.proxy, "WHOLE_BODY_BYTES", whole_body_bytes)
    app = create_app(fast_settings(database_url=database_url, customer_url=customer_process))
    product = {"sku": f"PASS-{whole_body_bytes}", "name": "Through", "unit_cost": "1.00", "unit_price": "2.50"}
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
        httpx2.AsyncClient(base_url=customer_process, headers=signed()) as direct,
    ):
        await signed_in(client, database_url)
        created = await client.post("/api/v1/products", json=product)
        assert created.status_code == 201, created.text
        through = await client.get("/api/v1/products", params={"limit": 50})
        straight = await direct.get("/api/v1/products", params={"limit": 50})
        assert through.status_code == straight.status_code == 200
        assert through.content == straight.content
        assert product["sku"] in [item["sku"] for item in through.json()["items"]]
        assert through.headers["content-type"] == straight.headers["content-type"]


async def test_a_service_never_sees_the_callers_token_or_key_only_the_signed_principal(database_url):
    """A stand-in service on loopback records the headers the gateway forwards."""
    import http.server
    import json
    import threading

    seen: list[dict[str, str]] = []

    class Recorder(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path.startswith("/api/"):  # not the gateway's own read of the OpenAPI document
                seen.append({name.lower(): value for name, value in self.headers.items()})
            body = json.dumps({"items": []}).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        app = create_app(fast_settings(database_url=database_url, customer_url=url))
        async with (
            app.router.lifespan_context(app),
            httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
        ):
            await signed_in(client, database_url)
            extra = {"Cookie": "session=abc", "X-Request-ID": "trace-1"}
            assert (await client.get("/api/v1/products", headers=extra)).status_code == 200
    finally:
        server.shutdown()
    (headers,) = seen
    assert "authorization" not in headers and "x-api-key" not in headers and "cookie" not in headers
    assert headers["x-patron-principal"] and headers["x-request-id"] == "trace-1"


def test_a_bearer_token_is_verified_once_and_its_revocation_checked_every_time(monkeypatch):
    import uuid

    import gateway.identity
    from gateway.auth.revocation import RevocationCache, Revocations
    from gateway.auth.tokens import issue_access_token
    from gateway.identity import staff_principal
    from services.kit.errors import Unauthorized

    settings = fast_settings()
    family = uuid.uuid4()
    token, _ = issue_access_token(
        user_id=7,
        roles=["clerk"],
        family_id=family,
        secret=settings.token_secret.get_secret_value(),
        issuer=settings.token_issuer,
        ttl_seconds=900,
    )
    revocations = RevocationCache(refresh_seconds=1, lookback_seconds=960, stale_after_seconds=10)
    revocations._current, revocations._read_at = Revocations(), time.monotonic()
    decoded = []
    real = gateway.identity.read_access_token
    monkeypatch.setattr(gateway.identity, "read_access_token", lambda *a, **k: decoded.append(1) or real(*a, **k))
    for _ in range(3):
        principal = staff_principal(f"Bearer {token}", settings=settings, revocations=revocations)
        assert (principal.subject, principal.roles) == ("staff:7", ["clerk"])
    assert len(decoded) == 1
    revocations._current = Revocations(revoked_families=frozenset({family}))  # signed out, say
    with pytest.raises(Unauthorized):
        staff_principal(f"Bearer {token}", settings=settings, revocations=revocations)
    with pytest.raises(Unauthorized):  # another key's token is never taken from the memory of this one
        staff_principal(f"Bearer {token}", settings=fast_settings(token_secret="k" * 40), revocations=revocations)
