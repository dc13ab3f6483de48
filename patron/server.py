"""The HTTP protocol ``patron serve`` runs: uvicorn's httptools protocol, one socket write per response.

uvicorn writes a response's status line and headers, then its body, each with its own ``write``:
two system calls, and two packets that each wake the reader (the gateway's pool, a load balancer,
a client). Here a connection's writes wait for the end of the event loop's turn, or for the
response to complete, and leave as one. A streamed response still goes out chunk by chunk (each
turn of the loop flushes), and a large body is never held back.
"""

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# Past this many bytes held (or in one write), writes go out at once and the transport's flow control applies.
FLUSH_BYTES = 64 * 1024


class CoalescingTransport:
    """A transport whose writes are gathered until the loop's turn ends or ``flush`` is called."""

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> None:
        if len(data) >= FLUSH_BYTES:  # a large body goes out as it is, after what was held: no copy
            self.flush()
            self._transport.write(data)
            return
        if not self._held:
            self._loop.call_soon(self.flush)
        self._held.append(data)
        self._size += len(data)
        if self._size >= FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if not self._held:
            return
        data = self._held[0] if len(self._held) == 1 else b"".join(self._held)
        self._held.clear()
        self._size = 0
        self._transport.write(data)

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through a ``CoalescingTransport``."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
