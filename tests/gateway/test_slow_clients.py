"""Slow clients starve nobody: trickled uploads hold no connection to the services, stalls are dropped.

The attack of the security review, scaled to the test's pool: three times as many connections as
the gateway has pooled connections to the services each trickle a chunked upload, a byte at a time;
every ordinary call made meanwhile still succeeds. A request whose headers or body stall gets a 408
and its connection is closed, and a full pool is a 503 with ``Retry-After`` naming the gateway, not
a 504 blaming a service.
"""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest

from gateway.app import create_app
from tests.gateway.conftest import running_stack
from tests.gateway.test_routing import fast_settings, signed_in
from tests.support.accounts import bearer

POOL = 10
ATTACKERS = 3 * POOL
BODY_TIMEOUT = 4
HEADER_TIMEOUT = 3
TRICKLE_SECONDS = 1.0  # under the body timeout: the attack that held the pool
FUNCTIONAL_TIMEOUT = 15.0


@pytest.fixture
def small_pool_stack(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    env = {
        "PATRON_GATEWAY_UPSTREAM_MAX_CONNECTIONS": str(POOL),
        "PATRON_GATEWAY_BODY_TIMEOUT_SECONDS": str(BODY_TIMEOUT),
        "PATRON_GATEWAY_HEADER_TIMEOUT_SECONDS": str(HEADER_TIMEOUT),
    }
    with running_stack(database_url, tmp_path, env) as urls:
        yield urls


async def _open(url: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    parts = urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return await asyncio.open_connection(parts.hostname, parts.port)


def _upload_head(token: str) -> bytes:
    return (
        "POST /api/v1/imports HTTP/1.1\r\nHost: gateway\r\n"
        f"Authorization: Bearer {token}\r\n"
        "Content-Type: multipart/form-data; boundary=b0undary\r\n"
        "Transfer-Encoding: chunked\r\n\r\n"
    ).encode()


async def _trickle(url: str, token: str, stop: asyncio.Event, sent: list[int]) -> None:
    """One chunked upload, one byte every ``TRICKLE_SECONDS``, until ``stop``."""
    _, writer = await _open(url)
    try:
        writer.write(_upload_head(token))
        await writer.drain()
        while not stop.is_set():
            writer.write(b"1\r\n-\r\n")
            await writer.drain()
            sent[0] += 1
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), TRICKLE_SECONDS)
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()


async def _reply(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The status of the reply on ``reader``, and everything up to the connection's end."""
    data = await asyncio.wait_for(reader.read(), FUNCTIONAL_TIMEOUT)  # until the server closes
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.1 ") else 0
    return status, data


async def test_trickling_uploads_starve_no_ordinary_call(small_pool_stack):
    gateway, token = small_pool_stack["gateway"], small_pool_stack["token"]
    stop = asyncio.Event()
    sent = [0]
    attackers = [asyncio.create_task(_trickle(gateway, token, stop, sent)) for _ in range(ATTACKERS)]
    statuses: list[int] = []
    try:
        async with httpx2.AsyncClient(base_url=gateway, headers=bearer(token), timeout=FUNCTIONAL_TIMEOUT) as client:
            while sent[0] < 3 * ATTACKERS:  # every attacker holds its upload open and has sent bytes
                await asyncio.sleep(0.2)
            for _ in range(4):
                replies = await asyncio.gather(*(client.get("/api/v1/stores") for _ in range(POOL)))
                statuses += [reply.status_code for reply in replies]
                await asyncio.sleep(TRICKLE_SECONDS)
        assert all(not task.done() for task in attackers)  # the attack went on all along
    finally:
        stop.set()
        await asyncio.gather(*attackers, return_exceptions=True)
    assert statuses == [200] * (4 * POOL)


async def test_a_stalled_body_is_a_408_and_the_connection_is_closed(small_pool_stack):
    reader, writer = await _open(small_pool_stack["gateway"])
    writer.write(_upload_head(small_pool_stack["token"]) + b"5\r\n--b0u\r\n")  # then nothing
    await writer.drain()
    status, data = await _reply(reader)
    writer.close()
    assert status == 408, data
    assert b"request-timeout" in data and b"connection: close" in data.lower()


async def test_headers_sent_a_byte_at_a_time_are_a_408_and_the_connection_is_closed(small_pool_stack):
    reader, writer = await _open(small_pool_stack["gateway"])
    writer.write(b"GET /api/v1/stores HTTP/1.1\r\nHost: gateway\r\n")
    await writer.drain()

    async def dribble() -> None:
        with contextlib.suppress(ConnectionError):
            for byte in b"X-Slow: " + b"a" * 100:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.5)

    dribbling = asyncio.create_task(dribble())
    try:
        status, data = await _reply(reader)
    finally:
        dribbling.cancel()
        writer.close()
    assert status == 408, data


async def test_a_connection_that_sends_nothing_is_closed(small_pool_stack):
    reader, writer = await _open(small_pool_stack["gateway"])
    status, _ = await _reply(reader)
    writer.close()
    assert status == 408


@pytest.fixture
async def black_hole() -> AsyncIterator[str]:
    """A service that accepts connections and requests and never answers."""
    held: list[asyncio.StreamWriter] = []

    async def swallow(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)
        with contextlib.suppress(Exception):
            while await reader.read(65536):
                pass

    server = await asyncio.start_server(swallow, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for writer in held:
            writer.close()
        server.close()


async def test_a_full_pool_is_a_503_with_retry_after_naming_the_gateway(database_url, black_hole):
    app = create_app(
        fast_settings(
            database_url=database_url,
            customer_url=black_hole,
            upstream_max_connections=2,
            upstream_pool_wait_seconds=0.5,
            upstream_timeout_seconds=60,
        )
    )
    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway", timeout=30) as client,
    ):
        await signed_in(client, database_url)
        hanging = [asyncio.create_task(client.get("/api/v1/stores")) for _ in range(2)]
        while app.state.upstream_slots.taken < 2:
            await asyncio.sleep(0.05)
        busy = await client.get("/api/v1/products")
        for task in hanging:
            task.cancel()
        await asyncio.gather(*hanging, return_exceptions=True)
    assert busy.status_code == 503, busy.text
    assert busy.headers["retry-after"] == "1"
    problem = busy.json()
    assert problem["type"].endswith("/busy") and "gateway" in problem["detail"]
    assert "customer" not in problem["detail"]


async def test_uploads_past_the_bytes_in_flight_are_a_503(customer_process, database_url):
    """The spool's cap: a body larger than what the process may hold is refused, declared or chunked."""
    app = create_app(
        fast_settings(database_url=database_url, customer_url=customer_process, upload_max_bytes_in_flight=300_000)
    )
    big = b"x" * 400_000  # past the whole-body size, so spooled

    async def chunks() -> AsyncIterator[bytes]:
        for start in range(0, len(big), 50_000):
            yield big[start : start + 50_000]

    async with (
        app.router.lifespan_context(app),
        httpx2.AsyncClient(transport=httpx2.ASGITransport(app=app), base_url="http://gateway", timeout=30) as client,
    ):
        await signed_in(client, database_url)
        declared = await client.post("/api/v1/imports", content=big, headers={"Content-Type": "multipart/form-data"})
        chunked = await client.post(
            "/api/v1/imports", content=chunks(), headers={"Content-Type": "multipart/form-data"}
        )
        within = await client.post(
            "/api/v1/imports", content=big[:280_000], headers={"Content-Type": "multipart/form-data; boundary=b"}
        )
        held = app.state.uploads.held
    for refused in (declared, chunked):
        assert refused.status_code == 503, refused.text
        assert refused.headers["retry-after"] == "5" and refused.json()["type"].endswith("/busy")
    assert within.status_code == 400  # reached the customer service, which reads no multipart part in it
    assert held == 0  # every spool given back
