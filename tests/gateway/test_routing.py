"""The gateway routes each public prefix to its service, over real HTTP, and fails cleanly."""

import asyncio
import time
from pathlib import Path

import httpx
import pytest

from gateway.app import create_app
from gateway.routes import service_for
from gateway.settings import GatewaySettings
from tests.conftest import TEST_SECRET
from tests.support.processes import free_port

pytestmark = pytest.mark.timeout(120)


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
    async with httpx.AsyncClient(base_url=stack["gateway"], timeout=30) as client:
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


async def _black_hole(port: int) -> asyncio.Server:
    """A server that accepts connections and never answers: a service that hangs."""

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(60)
        writer.close()

    return await asyncio.start_server(hold, "127.0.0.1", port)


async def test_a_down_service_is_502_and_a_slow_one_504_while_other_routes_work(customer_process):
    closed_port = free_port()  # nothing listens here
    hung_port = free_port()
    hung = await _black_hole(hung_port)
    settings = GatewaySettings(
        internal_secret=TEST_SECRET,
        environment="test",
        customer_url=customer_process,
        loyalty_url=f"http://127.0.0.1:{closed_port}",
        analytics_url=f"http://127.0.0.1:{hung_port}",
        upstream_timeout_seconds=1.0,
    )
    app = create_app(settings)
    try:
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://gateway", timeout=30) as client:
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


async def test_without_the_development_principal_callers_must_authenticate(customer_process):
    settings = GatewaySettings(
        internal_secret=TEST_SECRET, environment="test", customer_url=customer_process, development_principal=False
    )
    app = create_app(settings)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://gateway") as client,
    ):
        forged = await client.get("/api/v1/stores", headers={"X-Patron-Principal": "forged"})
        assert forged.status_code == 401


def test_production_refuses_the_development_principal():
    with pytest.raises(ValueError, match="development principal"):
        GatewaySettings(environment="production", internal_secret="x" * 40, database_url="postgresql://db/patron")


async def test_large_bodies_stream_through(stack):
    rates = [
        {"date": f"20{y:02d}-{m:02d}-{d:02d}", "currency": "EUR", "rate": "0.9"}
        for y in range(10, 30)
        for m in range(1, 13)
        for d in range(1, 29)
    ]
    async with httpx.AsyncClient(base_url=stack["gateway"], timeout=60) as client:
        response = await client.put("/api/v1/exchange-rates", json={"rates": rates[:10_000]})
        assert response.status_code == 200, response.text
        assert response.json() == {"inserted": 6720, "updated": 0}
