"""Test fixtures: a real PostgreSQL (local or embedded), one migrated template, a fresh clone per test."""

import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg
import httpx2
import pytest
from sqlalchemy.engine import make_url

from patron.embedded import postgres_answers, start_embedded_postgres
from patron.services import SCHEMA_OWNERS
from services.kit.migrations import upgrade
from services.kit.principal import Principal, PrincipalKind, principal_headers

LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
TEST_SECRET = "patron-test-secret-0123456789abcdef"


def _with_database(url: str, database: str) -> str:
    return make_url(url).set(database=database).render_as_string(hide_password=False)


def _plain(url: str) -> str:
    """asyncpg wants ``postgresql://`` without a driver suffix."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL server for the run: PATRON_TEST_DATABASE_URL, a local one, or an embedded one."""
    configured = os.environ.get("PATRON_TEST_DATABASE_URL")
    if configured:
        yield configured
        return
    if postgres_answers(LOCAL_POSTGRES):
        yield LOCAL_POSTGRES
        return
    with tempfile.TemporaryDirectory(prefix="patron-test-pg-") as scratch:
        _, url = start_embedded_postgres(Path(scratch) / "pgdata")
        yield url


@pytest.fixture(scope="session")
def template_database(postgres_url: str) -> Iterator[str]:
    """A database migrated once with every service's migrations and the gateway's; each test clones it."""
    import asyncio

    name = f"patron_tpl_{uuid.uuid4().hex[:10]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(_plain(postgres_url))
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = _with_database(postgres_url, name)
    for spec in SCHEMA_OWNERS:
        upgrade(spec.package, url)
    yield name
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@asynccontextmanager
async def fresh_database(postgres_url: str, template_database: str, prefix: str = "patron_t") -> AsyncIterator[str]:
    """A fresh, migrated database copied from the template, dropped afterwards; yields its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    connection = await asyncpg.connect(_plain(postgres_url))
    try:
        await connection.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template_database}" STRATEGY FILE_COPY')
    finally:
        await connection.close()
    yield _with_database(postgres_url, name)
    connection = await asyncpg.connect(_plain(postgres_url))
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@pytest.fixture
async def database_url(postgres_url: str, template_database: str) -> AsyncIterator[str]:
    """A fresh, migrated database for one test, dropped afterwards."""
    async with fresh_database(postgres_url, template_database) as url:
        yield url


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[asyncpg.Connection]:
    """A direct connection to the test's database, to check what the API did and did not write."""
    connection = await asyncpg.connect(_plain(database_url))
    yield connection
    await connection.close()


STAFF = Principal(kind=PrincipalKind.STAFF, subject="staff:1", roles=["admin"])


def signed(principal: Principal = STAFF, secret: str = TEST_SECRET) -> dict[str, str]:
    return principal_headers(principal, secret=secret)


class ServiceClient(httpx2.AsyncClient):
    """An HTTP client for one in-process service that signs each request for a principal."""

    def __init__(self, app: object, principal: Principal | None = STAFF) -> None:
        super().__init__(transport=httpx2.ASGITransport(app=app), base_url="http://service")  # type: ignore[arg-type]
        self.principal = principal

    async def send(self, request: httpx2.Request, **kwargs: object) -> httpx2.Response:  # type: ignore[override]
        if self.principal is not None and "x-patron-principal" not in request.headers:
            request.headers.update(signed(self.principal))
        return await super().send(request, **kwargs)  # type: ignore[arg-type]

    def as_principal(self, principal: Principal | None) -> "ServiceClient":
        clone = ServiceClient(self._transport.app, principal)  # type: ignore[attr-defined]
        return clone


@pytest.fixture
async def customer_app(database_url: str) -> AsyncIterator[object]:
    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings

    app = create_app(
        CustomerSettings(database_url=database_url, environment="test", internal_secret=TEST_SECRET, events_relay=False)
    )
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def customer(customer_app: object) -> AsyncIterator[ServiceClient]:
    """A client of the customer service, signed in as an admin."""
    async with ServiceClient(customer_app) as client:
        yield client


@pytest.fixture
def customer_process(database_url: str, tmp_path: Path) -> Iterator[str]:
    """The customer service as a real process on loopback; yields its base URL."""
    from tests.support.processes import serve

    env = {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_INTERNAL_SECRET": TEST_SECRET,
        "PATRON_ENVIRONMENT": "test",
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_EVENTS_RELAY": "false",
    }
    with serve("customer", env, tmp_path) as service:
        yield service.url
