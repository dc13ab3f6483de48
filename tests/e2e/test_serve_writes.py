"""``patron serve``'s HTTP protocol sends a response in one socket write, and streams what is streamed."""

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from patron.server import FLUSH_BYTES, CoalescingHttpToolsProtocol

BIG = b"x" * (3 * FLUSH_BYTES + 17)


async def small(request: Request) -> Response:
    return JSONResponse({"ok": True})


async def big(request: Request) -> Response:
    return Response(BIG, media_type="application/octet-stream")


async def streamed(request: Request) -> Response:
    async def chunks() -> AsyncIterator[bytes]:
        for n in range(3):
            yield f"chunk {n};".encode()
            await asyncio.sleep(0.01)

    return StreamingResponse(chunks(), media_type="text/plain")


APP = Starlette(routes=[Route("/small", small), Route("/big", big), Route("/streamed", streamed)])
sent: list[bytes] = []


class CountingTransport:
    """The socket's transport, recording each write that reaches it."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport

    def write(self, data: bytes) -> None:
        sent.append(bytes(data))
        self._transport.write(data)

    def __getattr__(self, name: str) -> object:
        return getattr(self._transport, name)


class CountedProtocol(CoalescingHttpToolsProtocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(CountingTransport(transport))  # type: ignore[arg-type]


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, int]]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(APP, host="127.0.0.1", port=port, http=CountedProtocol, log_config=None, lifespan="off")
    instance = uvicorn.Server(config)
    task = asyncio.create_task(instance.serve())
    while not instance.started:
        await asyncio.sleep(0.01)
    yield "127.0.0.1", port
    instance.should_exit = True
    await task


async def _get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> tuple[bytes, bytes]:
    sent.clear()
    writer.write(f"GET {path} HTTP/1.1\r\nHost: test\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    if b"transfer-encoding: chunked" in head:
        body = await reader.readuntil(b"0\r\n\r\n")
    else:
        length = int(head.split(b"content-length: ")[1].split(b"\r\n")[0])
        body = await reader.readexactly(length)
    return head, body


async def test_a_response_leaves_in_one_write_and_the_connection_stays_open(server):
    reader, writer = await asyncio.open_connection(*server)
    try:
        for _ in range(2):  # the same kept-alive connection answers again
            head, body = await _get(reader, writer, "/small")
            assert head.startswith(b"HTTP/1.1 200") and body == b'{"ok":true}'
            assert sent == [head + body]
    finally:
        writer.close()


async def test_a_streamed_response_goes_out_as_it_is_produced(server):
    reader, writer = await asyncio.open_connection(*server)
    try:
        head, body = await _get(reader, writer, "/streamed")
        assert b"chunk 0;" in body and b"chunk 2;" in body
        # Each chunk is written in its own turn of the loop, not held until the end.
        assert sum(b"chunk" in write for write in sent) == 3
        assert b"".join(sent) == head + body
    finally:
        writer.close()


async def test_a_large_body_is_written_at_once_and_not_copied(server):
    reader, writer = await asyncio.open_connection(*server)
    try:
        head, body = await _get(reader, writer, "/big")
        assert body == BIG
        assert sent == [head, BIG]
    finally:
        writer.close()
