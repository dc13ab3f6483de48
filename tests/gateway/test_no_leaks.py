"""No reply tells an outsider about the inside: no file path, SQL text, stack trace or internal address.

Failures are provoked in every service, through the gateway as a client would: a 300-character
upload name, a broken multipart body, text PostgreSQL cannot store, numbers past any column, bad
JSON, a service whose own peer is unreachable, a service the gateway cannot reach; every reply's
body and headers are searched for what must not be there.
"""

import re
from pathlib import Path

import httpx2
import pytest

from gateway.app import create_app
from tests.gateway.conftest import running_stack
from tests.gateway.test_routing import fast_settings
from tests.imports.test_imports import MINIMAL
from tests.support.accounts import bearer
from tests.support.processes import ROOT, free_port

LONG_NAME = "q" * 296 + ".csv"


def leaks(reply: httpx2.Response, secrets: list[str]) -> list[str]:
    """What ``reply`` gives away: each pattern found in its body or headers."""
    text = reply.text + "\n" + "\n".join(f"{name}: {value}" for name, value in reply.headers.items())
    patterns = {
        "file path": r"(?<![\w.])/(?:tmp|home|var|usr|opt|srv|work|root|etc)/|\.py\b|site-packages",
        "stack trace": r"Traceback|File \"",
        "sql": r"\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM)\b|sqlalchemy|asyncpg|psycopg",
        "address": r"127\.0\.0\.1|localhost|postgresql://|nats://",
        "server version": r"uvicorn|Python/\d",
    }
    found = [name for name, pattern in patterns.items() if re.search(pattern, text)]
    found += [f"{secret!r}" for secret in secrets if secret in text]
    return found


@pytest.fixture
def broken_stack(database_url: str, tmp_path: Path):
    """The stack, the loyalty service told a customer service address where nothing answers."""
    nowhere = f"http://127.0.0.1:{free_port()}"
    with running_stack(
        database_url, tmp_path, service_env={"loyalty": {"PATRON_LOYALTY_CUSTOMER_URL": nowhere}}
    ) as urls:
        yield urls


def test_failures_in_every_service_leak_nothing(broken_stack, tmp_path):
    secrets = [
        str(tmp_path),
        str(ROOT),
        *(broken_stack[name].rsplit(":", 1)[1] for name in ("customer", "loyalty", "analytics")),
    ]
    replies: list[httpx2.Response] = []
    with httpx2.Client(base_url=broken_stack["gateway"], headers=bearer(broken_stack["token"]), timeout=60) as client:
        long_name = client.post(
            "/api/v1/imports", data={"preset": "minimal"}, files=[("file", (LONG_NAME, MINIMAL, "text/csv"))]
        )
        assert long_name.status_code == 202, long_name.text
        job = client.get(f"/api/v1/imports/{long_name.json()['id']}")
        names = re.findall(r"q{20,}[^\"]*", job.text)
        assert names and all(len(name) <= 200 for name in names)  # shortened, its extension kept
        assert all(name.endswith(".csv") for name in names)
        replies += [long_name, job]
        replies.append(
            client.post(
                "/api/v1/imports",
                content=b'--b\r\nContent-Disposition: form-data; name="file"; filename="' + b"x" * 300 + b'"\r\n\r\nab',
                headers={"Content-Type": "multipart/form-data; boundary=b"},
            )
        )
        product = {"sku": "NUL\u0000", "name": "Nul", "unit_cost": "1.00", "unit_price": "2.00"}
        replies += [
            client.post("/api/v1/products", json=product),
            client.post("/api/v1/products", json=product | {"sku": "BIG", "unit_price": "1e400"}),
            client.get("/api/v1/customers/99999999999999999999999"),
            client.get("/api/v1/products", params={"limit": "many", "cursor": "../../etc/passwd"}),
            client.post("/api/v1/purchases", content=b"{not json", headers={"Content-Type": "application/json"}),
            client.get("/api/v1/loyalty/customers/1/catalogue"),  # its customer service is unreachable
            client.get("/api/v1/loyalty/customers/99999999999999999999/rewards"),
            client.get("/api/v1/analytics/clv/fits/99999999999999999999"),
            client.get("/api/v1/analytics/customers/distribution", params={"metric": "\u0000", "bins": "-1"}),
            client.get("/api/v1/%00/%2e%2e/etc/passwd"),
            client.get("/health/ready"),
        ]
    statuses = [reply.status_code for reply in replies]
    assert 502 in statuses  # the loyalty service's unreachable peer
    assert all(status < 500 or status in (502, 503) for status in statuses), statuses
    for reply in replies:
        assert leaks(reply, secrets) == [], (reply.request.url, reply.status_code, reply.text[:500])


async def test_an_unreachable_service_and_the_readiness_reply_name_no_address(database_url):
    nowhere = f"http://127.0.0.1:{free_port()}"
    app = create_app(fast_settings(database_url=database_url, customer_url=nowhere, analytics_url=nowhere))
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway") as client,
    ):
        ready = await client.get("/health/ready")
        assert ready.json()["services"]["customer"] == "unreachable"
        unreachable = await client.get("/api/v1/stores", headers={"Authorization": "Bearer nonsense"})
        replies = [ready, unreachable]
    for reply in replies:
        assert leaks(reply, [nowhere.rsplit(":", 1)[1]]) == [], reply.text
