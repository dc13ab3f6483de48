"""CORS from settings, OPTIONS per path, security headers on every reply, docs and metrics behind settings."""

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx2

from gateway.app import create_app
from gateway.edge import API_POLICY
from tests.conftest import signed
from tests.gateway.test_routing import fast_settings

ORIGIN = "https://shop.example"


@asynccontextmanager
async def gateway(base_url: str = "http://gateway", **settings: object) -> AsyncIterator[httpx2.AsyncClient]:
    app = create_app(fast_settings(**settings))
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url=base_url) as client,
    ):
        yield client


async def _learned(client: httpx2.AsyncClient) -> None:
    """Wait until the gateway has read the customer service's contract (its route templates)."""
    for _ in range(100):
        if "/api/v1/stores" in (await client.get("/openapi.json")).json()["paths"]:
            return
    raise AssertionError("the customer service's contract was never read")


async def test_options_names_the_methods_each_path_really_serves(customer_process, database_url):
    served = httpx2.get(f"{customer_process}/openapi.json", headers=signed()).json()["paths"]

    def expected(template: str) -> str:
        methods = {method.upper() for method in served[template]}
        return ", ".join(sorted(methods | {"OPTIONS"} | ({"HEAD"} if "GET" in methods else set())))

    async with gateway(database_url=database_url, customer_url=customer_process) as client:
        await _learned(client)
        stores = await client.options("/api/v1/stores")
        assert stores.status_code == 204 and stores.headers["allow"] == expected("/api/v1/stores")
        one = await client.options("/api/v1/stores/7")
        assert one.headers["allow"] == expected("/api/v1/stores/{store_id}")
        assert one.headers["allow"] != stores.headers["allow"]
        sign_in = await client.options("/api/v1/auth/sign-in")
        assert sign_in.status_code == 204 and sign_in.headers["allow"] == "OPTIONS, POST"
        # A method the path does not serve: a 405 naming what it does, whether the service or the gateway owns it.
        for path, template in [("/api/v1/stores", "/api/v1/stores"), ("/api/v1/stores/7", "/api/v1/stores/{store_id}")]:
            for method in ["TRACE", "PUT"]:
                refused = await client.request(method, path)
                assert refused.status_code == 405, (method, path)
                assert refused.headers["allow"] == expected(template)
                assert refused.headers["content-type"] == "application/problem+json"
        wrong = await client.request("DELETE", "/api/v1/auth/sign-in")
        assert wrong.status_code == 405 and wrong.headers["allow"] == "OPTIONS, POST"
        for nowhere in ["/api/v1/nothing-here", "/api/v1/stores/7/nothing", "/nowhere"]:
            missing = await client.options(nowhere)
            assert missing.status_code == 404, nowhere
            assert missing.headers["content-type"] == "application/problem+json"


async def test_cors_follows_the_settings(database_url):
    preflight = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization",
    }
    async with gateway(
        database_url=database_url, cors_allowed_origins=ORIGIN, cors_allowed_methods="GET,POST"
    ) as client:
        allowed = await client.options("/api/v1/stores", headers=preflight)
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == ORIGIN
        assert set(allowed.headers["access-control-allow-methods"].split(", ")) == {"GET", "POST"}
        assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
        refused = await client.options("/api/v1/stores", headers=preflight | {"Origin": "https://evil.example"})
        assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
        delete = await client.options("/api/v1/stores", headers=preflight | {"Access-Control-Request-Method": "DELETE"})
        assert delete.status_code == 400
        simple = await client.get("/health/live", headers={"Origin": ORIGIN})
        assert simple.headers["access-control-allow-origin"] == ORIGIN
    async with gateway(database_url=database_url) as client:  # no origins configured: no CORS at all
        simple = await client.get("/health/live", headers={"Origin": ORIGIN})
        assert "access-control-allow-origin" not in simple.headers
        assert (await client.options("/api/v1/stores", headers=preflight)).status_code == 400


async def test_every_reply_carries_the_security_headers(database_url):
    async with gateway(database_url=database_url) as client:
        for path in ["/health/live", "/api/v1/stores", "/nowhere", "/api/v1/auth/me"]:
            reply = await client.get(path)
            assert reply.headers["x-content-type-options"] == "nosniff", path
            assert reply.headers["x-frame-options"] == "DENY"
            assert reply.headers["referrer-policy"] == "no-referrer"
            assert reply.headers["content-security-policy"] == API_POLICY
            assert "server" not in reply.headers and "strict-transport-security" not in reply.headers
        docs = await client.get("/docs")
        scripts = re.findall(r"<script>(.*?)</script>", docs.text, re.DOTALL)
        assert scripts
        policy = docs.headers["content-security-policy"]
        for script in scripts:  # each inline script is allowed by its own hash, nothing else inline is
            digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in policy
        assert "default-src 'none'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


async def test_hsts_only_behind_tls(database_url):
    async with gateway("https://gateway", database_url=database_url) as client:
        assert (await client.get("/health/live")).headers["strict-transport-security"].startswith("max-age=")
    async with gateway(database_url=database_url, trusted_proxies="127.0.0.1") as client:
        proxied = await client.get("/health/live", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in proxied.headers
        assert "strict-transport-security" not in (await client.get("/health/live")).headers
    async with gateway(database_url=database_url) as client:  # an untrusted peer's word does not count
        spoofed = await client.get("/health/live", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in spoofed.headers


async def test_docs_and_the_contract_follow_a_setting(database_url):
    async with gateway(database_url=database_url, public_docs=False) as client:
        for path in ["/docs", "/openapi.json", "/docs/assets/swagger-ui.css"]:
            assert (await client.get(path)).status_code == 404, path
    async with gateway(database_url=database_url) as client:
        assert (await client.get("/docs")).status_code == 200


async def test_metrics_only_to_the_configured_network_and_never_through_a_proxy(database_url):
    async with gateway(database_url=database_url, metrics_networks="10.0.0.0/8") as client:
        assert (await client.get("/metrics")).status_code == 404  # the test client is 127.0.0.1
    async with gateway(database_url=database_url, metrics_networks="127.0.0.0/8") as client:
        assert (await client.get("/metrics")).status_code == 200
        assert (await client.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})).status_code == 404
    async with gateway(database_url=database_url) as client:  # outside production, by default: anyone
        assert (await client.get("/metrics")).status_code == 200
