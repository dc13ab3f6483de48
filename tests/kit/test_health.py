"""Liveness and readiness: no principal needed; ready only when the database answers."""

import re

from services.customer.app import create_app
from services.customer.settings import CustomerSettings
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.builders import make_customer
from tests.support.problems import assert_problem


async def test_live_and_ready_need_no_principal(customer):
    anonymous = customer.as_principal(None)
    live = await anonymous.get("/health/live")
    assert (live.status_code, live.json()) == (200, {"status": "ok"})
    ready = await anonymous.get("/health/ready")
    assert ready.status_code == 200
    assert {k: v for k, v in ready.json().items() if k != "outbox"} == {"status": "ok", "database": "ok"}


async def test_ready_is_503_when_the_database_is_unreachable(postgres_url):
    settings = CustomerSettings(
        database_url="postgresql://postgres@127.0.0.1:1/absent", environment="test", internal_secret=TEST_SECRET
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app), ServiceClient(app, principal=None) as client:
        ready = await client.get("/health/ready")
        problem = assert_problem(ready, 503, "not-ready")
        assert "database unreachable" in problem["detail"]
        live = await client.get("/health/live")
        assert live.status_code == 200  # the process itself is fine


async def test_health_routes_are_not_in_the_api_contract(customer):
    paths = (await customer.get("/openapi.json")).json()["paths"]
    assert "/health/live" not in paths and "/health/ready" not in paths
    assert "/api/v1/customers" in paths


def _gauge(text: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not in the metrics"
    return float(match.group(1))


async def test_an_outbox_backlog_is_reported_but_keeps_the_service_ready(customer):
    """The relay is off here, so the event of a new customer stays unsent: readiness and metrics report
    the backlog and the age of the oldest event, and the service stays ready (a broker outage must
    not stop sales)."""
    await make_customer(customer)
    ready = await customer.as_principal(None).get("/health/ready")
    assert ready.status_code == 200
    outbox = ready.json()["outbox"]
    assert outbox["backlog"] >= 1 and outbox["oldest_unsent_seconds"] > 0
    metrics = (await customer.as_principal(None).get("/metrics")).text
    assert _gauge(metrics, "patron_outbox_backlog") == outbox["backlog"]
    assert _gauge(metrics, "patron_outbox_oldest_unsent_seconds") > 0
