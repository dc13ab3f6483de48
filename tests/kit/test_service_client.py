"""The service-to-service client: one real service calls another through it, signed, and retried only when safe."""

import asyncio
import socket
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

import httpx2
import pytest
import uvicorn
from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families

from services.kit.app import create_service_app
from services.kit.client import (
    ServiceClient,
    ServiceError,
    ServiceInvalidInput,
    ServiceNotFound,
    ServiceUnauthorized,
    ServiceUnavailable,
    client_metrics,
    is_idempotent,
)
from services.kit.errors import PROBLEM_JSON, NotFound, problem_type
from services.kit.permissions import Role, allow
from services.kit.principal import CurrentPrincipal, Principal, PrincipalKind
from services.kit.request_id import REQUEST_ID_HEADER, current_request_id
from services.kit.settings import ServiceSettings
from tests.conftest import STAFF, TEST_SECRET, signed
from tests.support.processes import free_port

ADA = {"name": "Ada Lovelace", "username": "ada", "email": "ada@example.org", "country": "United Kingdom"}


class CallerSettings(ServiceSettings):
    schema_name: ClassVar[str] = "caller"


class EchoSettings(ServiceSettings):
    schema_name: ClassVar[str] = "echo"


def _settings(cls: type[ServiceSettings], database_url: str) -> ServiceSettings:
    return cls(
        database_url=database_url,
        environment="test",
        internal_secret=TEST_SECRET,
        events_relay=False,
        log_level="WARNING",
    )


@asynccontextmanager
async def served(app: Any, lifespan: str = "on") -> AsyncIterator[str]:
    """Serve ``app`` over real HTTP on a free loopback port for the block; yields its base URL."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, lifespan=lifespan))
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("the server stopped before it started")
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


# The echo service says what it saw: the principal it was called for and the request id.
echo_router = APIRouter(prefix="/echo", tags=["echo"])


@echo_router.get("")
async def echo(principal: CurrentPrincipal) -> dict[str, Any]:
    return {"principal": principal.model_dump(mode="json"), "request_id": current_request_id()}


# The caller service answers by calling the customer service (and the echo service) through the client.
relay_router = APIRouter(prefix="/relay", tags=["relay"])


@relay_router.get("/customers/{customer_id}")
async def relay_customer(request: Request, principal: CurrentPrincipal, customer_id: int) -> dict[str, Any]:
    customer: ServiceClient = request.app.state.customer
    try:
        response = await customer.get(f"/api/v1/customers/{customer_id}")
    except ServiceNotFound as exc:
        raise NotFound(f"customer {customer_id} is unknown to the customer service") from exc
    return {"customer": response.json(), "request_id": response.headers.get(REQUEST_ID_HEADER)}


@relay_router.get("/echo")
async def relay_echo(request: Request, principal: CurrentPrincipal, on_behalf: bool = False) -> Any:
    echo: ServiceClient = request.app.state.echo
    response = await echo.get("/api/v1/echo", on_behalf_of=principal if on_behalf else None)
    return response.json()


# Staff of any role (and other services) may call these test services: their tests are about the client.
ECHO_PERMISSIONS = {"echo-echo": allow(*Role)}
RELAY_PERMISSIONS = {"relay-relay-customer": allow(*Role), "relay-relay-echo": allow(*Role)}


@asynccontextmanager
async def caller_service(database_url: str, customer_url: str) -> AsyncIterator[str]:
    """The caller service over HTTP, with clients of the customer service and of the echo service."""
    echo_app = create_service_app(
        title="echo",
        settings=_settings(EchoSettings, database_url),
        routers=[echo_router],
        permissions=ECHO_PERMISSIONS,
    )
    settings = _settings(CallerSettings, database_url)
    app = create_service_app(title="caller", settings=settings, routers=[relay_router], permissions=RELAY_PERMISSIONS)
    registry = app.state.metrics.registry
    async with (
        served(echo_app) as echo_url,
        ServiceClient.from_settings("customer", customer_url, settings, registry=registry) as customer,
        ServiceClient.from_settings("echo", echo_url, settings, registry=registry) as echo_client,
    ):
        app.state.customer, app.state.echo = customer, echo_client
        async with served(app) as url:
            yield url


@pytest.fixture
async def caller(database_url: str, customer_process: str) -> AsyncIterator[str]:
    async with caller_service(database_url, customer_process) as url:
        yield url


@pytest.fixture
async def echo_caller(database_url: str) -> AsyncIterator[str]:
    """The caller service when only its calls to the echo service matter (no customer process started)."""
    async with caller_service(database_url, f"http://127.0.0.1:{free_port()}") as url:
        yield url


async def test_one_service_reads_a_customer_from_another_through_the_client(caller, customer_process):
    async with httpx2.AsyncClient() as http:
        created = await http.post(f"{customer_process}/api/v1/customers", json=ADA, headers=signed())
        assert created.status_code == 201, created.text
        customer_id = created.json()["id"]

        response = await http.get(
            f"{caller}/api/v1/relay/customers/{customer_id}", headers=signed() | {REQUEST_ID_HEADER: "trace-7.a"}
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["customer"]["id"] == customer_id
        assert body["customer"]["name"] == "Ada Lovelace"
        assert body["request_id"] == "trace-7.a"  # the customer service answered the caller's request id

        missing = await http.get(f"{caller}/api/v1/relay/customers/987654", headers=signed())
        assert missing.status_code == 404
        assert missing.json()["type"] == problem_type("not-found")

        exposed = _samples((await http.get(f"{caller}/metrics")).text)
    requests = "patron_service_client_requests_total"
    assert exposed[requests, frozenset({"target": "customer", "method": "GET", "status": "200"}.items())] == 1
    assert exposed[requests, frozenset({"target": "customer", "method": "GET", "status": "404"}.items())] == 1
    assert exposed["patron_service_client_request_duration_seconds_count", frozenset({("target", "customer")})] == 2


def _samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


async def test_the_callee_sees_the_service_principal_or_the_passed_on_one(echo_caller):
    async with httpx2.AsyncClient() as http:
        relay = f"{echo_caller}/api/v1/relay/echo"
        own = await http.get(relay, headers=signed() | {REQUEST_ID_HEADER: "req-1"})
        passed_on = await http.get(relay, params={"on_behalf": "true"}, headers=signed() | {REQUEST_ID_HEADER: "req-2"})
    assert own.status_code == 200, own.text
    assert Principal.model_validate(own.json()["principal"]) == Principal(kind=PrincipalKind.SERVICE, subject="caller")
    assert own.json()["request_id"] == "req-1"
    assert passed_on.status_code == 200, passed_on.text
    assert Principal.model_validate(passed_on.json()["principal"]) == STAFF
    assert passed_on.json()["request_id"] == "req-2"


async def test_problems_of_the_customer_service_become_typed_errors(customer_process):
    registry = CollectorRegistry()
    async with ServiceClient("customer", customer_process, caller="caller", secret=TEST_SECRET, registry=registry) as c:
        with pytest.raises(ServiceNotFound) as missing:
            await c.get("/api/v1/customers/987654")
        assert (missing.value.target, missing.value.status) == ("customer", 404)
        assert missing.value.type == problem_type("not-found")
        assert missing.value.request_id  # the customer service made one, to find the call in its logs

        with pytest.raises(ServiceInvalidInput) as invalid:
            await c.post("/api/v1/customers", json=ADA | {"email": "not an email"})
        assert invalid.value.status == 422
        assert invalid.value.type == problem_type("validation")
        assert invalid.value.fields == ["body.email"]
        assert "body.email" in str(invalid.value)

    async with ServiceClient("customer", customer_process, caller="caller", secret="x" * 40, registry=registry) as c:
        with pytest.raises(ServiceUnauthorized) as refused:
            await c.get("/api/v1/customers")
        assert refused.value.status == 401
        assert refused.value.type == problem_type("unauthorized")


class Flaky:
    """A real HTTP server whose paths fail (503, or too slow) a set number of times, then answer."""

    def __init__(self) -> None:
        self.hits: Counter[tuple[str, str]] = Counter()
        self.app = FastAPI()
        self.app.add_api_route(
            "/{mode}/{failures}/{name}", self.answer, methods=["GET", "POST", "PUT", "DELETE", "PATCH"]
        )

    async def answer(self, request: Request, mode: str, failures: int, name: str) -> Response:
        self.hits[request.method, name] += 1
        if mode == "plain":
            return Response(b"short and stout", status_code=418, media_type="text/plain")
        if self.hits[request.method, name] <= failures:
            if mode == "slow":
                await asyncio.sleep(1.0)
            else:
                body = b'{"type": "https://patron.dev/problems/not-ready", "title": "Service not ready", "status": 503}'
                return Response(body, status_code=503, media_type=PROBLEM_JSON, headers={"Retry-After": "0"})
        return Response(b'{"ok": true}', media_type="application/json")


@pytest.fixture
async def flaky() -> AsyncIterator[tuple[Flaky, str]]:
    server = Flaky()
    async with served(server.app, lifespan="off") as url:
        yield server, url


def _client(url: str, registry: CollectorRegistry, **options: Any) -> ServiceClient:
    options = {"retries": 2, "backoff_seconds": 0.01, "read_timeout": 0.3, "connect_timeout": 0.3} | options
    return ServiceClient("flaky", url, caller="caller", secret=TEST_SECRET, registry=registry, **options)


def _count(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, {"target": "flaky", **labels}) or 0.0


async def test_idempotent_calls_are_retried_after_a_503_and_others_are_not(flaky):
    server, url = flaky
    registry = CollectorRegistry()
    async with _client(url, registry) as client:
        assert (await client.get("/fail/1/read")).json() == {"ok": True}
        assert (await client.put("/fail/1/replace", json={})).status_code == 200
        assert (await client.post("/fail/1/keyed", json={}, idempotency_key="order-1")).status_code == 200
        with pytest.raises(ServiceUnavailable) as once:
            await client.post("/fail/1/create", json={})
        with pytest.raises(ServiceUnavailable) as exhausted:
            await client.get("/fail/9/down")
    repeated = {("GET", "read"): 2, ("PUT", "replace"): 2, ("POST", "keyed"): 2, ("GET", "down"): 3}
    assert server.hits == repeated | {("POST", "create"): 1}  # no key: sent once
    assert (once.value.status, once.value.title) == (503, "Service not ready")
    assert exhausted.value.status == 503
    assert _count(registry, "patron_service_client_retries_total") == 5
    assert _count(registry, "patron_service_client_requests_total", method="GET", status="503") == 4
    assert _count(registry, "patron_service_client_requests_total", method="POST", status="503") == 2
    assert _count(registry, "patron_service_client_requests_total", method="POST", status="200") == 1


async def test_a_timeout_is_retried_for_a_get_only(flaky):
    server, url = flaky
    registry = CollectorRegistry()
    async with _client(url, registry) as client:
        assert (await client.get("/slow/1/read")).json() == {"ok": True}
        with pytest.raises(ServiceUnavailable) as slow:
            await client.post("/slow/1/create", json={})
    assert server.hits == {("GET", "read"): 2, ("POST", "create"): 1}
    assert slow.value.status is None
    assert slow.value.type == problem_type("gateway-timeout")
    assert _count(registry, "patron_service_client_requests_total", method="GET", status="timeout") == 1
    assert _count(registry, "patron_service_client_requests_total", method="POST", status="timeout") == 1


async def test_a_closed_port_is_unavailable_after_the_retries():
    registry = CollectorRegistry()
    async with _client(f"http://127.0.0.1:{free_port()}", registry) as client:
        with pytest.raises(ServiceUnavailable) as refused:
            await client.get("/anything")
    assert refused.value.status is None
    assert refused.value.type == problem_type("bad-gateway")
    assert _count(registry, "patron_service_client_requests_total", method="GET", status="error") == 3


@pytest.fixture
def unanswered_port() -> Iterator[int]:
    """A port whose listener never accepts and whose queue is full: a connection attempt hangs."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        port = listener.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)):  # fills the accept queue
            yield port


async def test_a_connect_timeout_is_unavailable(unanswered_port):
    registry = CollectorRegistry()
    async with _client(f"http://127.0.0.1:{unanswered_port}", registry, connect_timeout=0.2, retries=1) as client:
        started = asyncio.get_running_loop().time()
        with pytest.raises(ServiceUnavailable) as slow:
            await client.get("/anything")
        elapsed = asyncio.get_running_loop().time() - started
    assert slow.value.status is None
    assert slow.value.type == problem_type("gateway-timeout")
    assert "ConnectTimeout" in slow.value.detail
    assert elapsed < 2.0
    assert _count(registry, "patron_service_client_requests_total", method="GET", status="timeout") == 2


def test_idempotent_calls() -> None:
    for method in ["GET", "head", "OPTIONS", "PUT", "DELETE"]:
        assert is_idempotent(method, {})
    for method in ["POST", "PATCH"]:
        assert not is_idempotent(method, {})
        assert is_idempotent(method, {"idempotency-key": "k"})


def test_metrics_are_registered_once_per_registry() -> None:
    registry = CollectorRegistry()
    first = ServiceClient("a", "http://127.0.0.1:1", caller="caller", secret=TEST_SECRET, registry=registry)
    second = ServiceClient("b", "http://127.0.0.1:1", caller="caller", secret=TEST_SECRET, registry=registry)
    assert first.metrics is second.metrics is client_metrics(registry)
    assert client_metrics(CollectorRegistry()) is not first.metrics


async def test_an_error_reply_that_is_not_a_problem_is_still_a_service_error(flaky):
    _, url = flaky
    async with _client(url, CollectorRegistry()) as client:
        with pytest.raises(ServiceError) as teapot:
            await client.get("/plain/0/teapot")
    assert type(teapot.value) is ServiceError
    assert (teapot.value.status, teapot.value.type) == (418, "about:blank")
    assert (teapot.value.title, teapot.value.detail) == ("I'm a Teapot", "short and stout")


async def test_a_call_goes_to_its_target_only():
    async with ServiceClient("a", "http://127.0.0.1:1", caller="caller", secret=TEST_SECRET) as client:
        with pytest.raises(ValueError, match="relative"):
            await client.get("http://elsewhere.example/api/v1/customers")
