"""Request ids: a caller's sane id is kept, any other is replaced, and the id reaches replies and logs."""

import json
import re

import httpx2
from fastapi import APIRouter

from services.customer.app import create_app
from services.customer.settings import CustomerSettings
from services.kit.app import create_service_app
from services.kit.permissions import Role, allow
from services.kit.request_id import REQUEST_ID_HEADER, accept_request_id, new_request_id, outgoing_headers
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.problems import assert_problem

GENERATED = re.compile(r"^[0-9a-f]{32}$")


def _settings(database_url: str) -> CustomerSettings:
    return CustomerSettings(database_url=database_url, environment="test", internal_secret=TEST_SECRET)


def _log_lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_accept_request_id_keeps_sane_tokens_only() -> None:
    for sane in ["abc", "req-42", "a.b_c:d-e", "A" * 128, "0" * 8]:
        assert accept_request_id(sane) == sane
    for insane in [None, "", "with space", "x" * 129, "line\nbreak", "semi;colon", "ünïcode", "a/b", '"quoted"']:
        assert GENERATED.match(accept_request_id(insane))


def test_new_request_ids_are_unique() -> None:
    assert len({new_request_id() for _ in range(100)}) == 100


def test_no_request_id_outside_a_request() -> None:
    assert outgoing_headers() == {}


async def test_a_sane_request_id_is_returned(customer):
    response = await customer.get("/api/v1/stores/0", headers={REQUEST_ID_HEADER: "gw-2024.01:abc_9"})
    assert response.status_code == 200
    assert response.headers[REQUEST_ID_HEADER] == "gw-2024.01:abc_9"


async def test_a_request_id_is_made_when_absent_or_insane(customer):
    seen = set()
    for headers in [{}, {REQUEST_ID_HEADER: "has spaces in it"}, {REQUEST_ID_HEADER: "x" * 129}]:
        response = await customer.get("/health/live", headers=headers)
        request_id = response.headers[REQUEST_ID_HEADER]
        assert GENERATED.match(request_id), request_id
        seen.add(request_id)
    assert len(seen) == 3
    kept = await customer.get("/health/live", headers={REQUEST_ID_HEADER: "y" * 128})
    assert kept.headers[REQUEST_ID_HEADER] == "y" * 128


async def test_problem_bodies_carry_the_request_id(customer):
    missing = await customer.get("/api/v1/customers/999", headers={REQUEST_ID_HEADER: "trace-404"})
    assert assert_problem(missing, 404, "not-found")["request_id"] == "trace-404"
    invalid = await customer.get("/api/v1/customers", params={"limit": 0}, headers={REQUEST_ID_HEADER: "trace-422"})
    assert assert_problem(invalid, 422, "validation")["request_id"] == "trace-422"
    anonymous = customer.as_principal(None)
    refused = await anonymous.get("/api/v1/customers", headers={REQUEST_ID_HEADER: "trace-401"})
    assert assert_problem(refused, 401, "unauthorized")["request_id"] == "trace-401"
    generated = await customer.get("/api/v1/customers/999")
    assert GENERATED.match(assert_problem(generated, 404, "not-found")["request_id"])


async def test_the_access_log_line_carries_the_request_id(capsys, database_url):
    app = create_app(_settings(database_url))  # logs to the stdout capsys holds
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        await client.get("/api/v1/stores/0", headers={REQUEST_ID_HEADER: "log-me-1"})
        await client.get("/api/v1/stores/99", headers={REQUEST_ID_HEADER: "log-me-2"})
        await client.get("/health/live")
    lines = [line for line in _log_lines(capsys.readouterr().out) if line["logger"] == "patron.access"]
    assert [(line["request_id"], line["path"], line["status"]) for line in lines[:2]] == [
        ("log-me-1", "/api/v1/stores/0", 200),
        ("log-me-2", "/api/v1/stores/99", 404),
    ]
    assert lines[0]["method"] == "GET" and lines[0]["service"] == "customer" and lines[0]["level"] == "info"
    assert isinstance(lines[0]["duration_ms"], float | int)
    assert GENERATED.match(str(lines[2]["request_id"]))


async def test_an_unexpected_error_is_a_500_problem_that_keeps_the_request_id(capsys, database_url):
    broken = APIRouter()

    @broken.get("/broken")
    async def fail() -> None:
        raise RuntimeError("a bug")

    app = create_service_app(
        title="broken",
        settings=_settings(database_url),
        routers=[broken],
        permissions={"default-fail": allow(Role.ADMIN)},
    )
    async with app.router.lifespan_context(app):
        client = ServiceClient(app)
        client._transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
        async with client:
            response = await client.get("/api/v1/broken", headers={REQUEST_ID_HEADER: "bug-1"})
    body = assert_problem(response, 500, "internal")
    assert body["request_id"] == "bug-1"
    assert "a bug" not in response.text  # no internals leak to the client
    lines = _log_lines(capsys.readouterr().out)
    error = next(line for line in lines if line["logger"] == "patron.errors")
    assert error["request_id"] == "bug-1" and "RuntimeError: a bug" in str(error["exception"])
    access = next(line for line in lines if line["logger"] == "patron.access")
    assert (access["request_id"], access["status"]) == ("bug-1", 500)
