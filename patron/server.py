"""The HTTP protocol ``patron serve`` runs: uvicorn's httptools protocol, one socket write per response.

uvicorn writes a response's status line and headers, then its body, each with its own ``write``:
two system calls, and two packets that each wake the reader (the gateway's pool, a load balancer,
a client). Here a connection's writes wait for the end of the event loop's turn, or for the
response to complete, and leave as one. A streamed response still goes out chunk by chunk (each
turn of the loop flushes), and a large body is never held back.

uvicorn waits for a request's headers as long as the client likes: a client that opens connections
and sends nothing, or a byte now and then, keeps each one forever. Here a request's headers must be
complete within a time (``header_timeout_seconds``, counted from the connection's opening or the
request's first byte), else the connection gets a 408 and is closed.
"""

import asyncio
import os
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# ``patron serve`` passes its setting to every worker process through this variable.
HEADER_TIMEOUT_VARIABLE = "PATRON_SERVE_HEADER_TIMEOUT_SECONDS"
DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0
_TIMEOUT_REPLY = b"HTTP/1.1 408 Request Timeout\r\nconnection: close\r\ncontent-length: 0\r\n\r\n"

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


def header_timeout_seconds() -> float:
    return float(os.environ.get(HEADER_TIMEOUT_VARIABLE) or DEFAULT_HEADER_TIMEOUT_SECONDS)


class CoalescingHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, writing through a ``CoalescingTransport``, with a header timeout."""

    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = CoalescingTransport(transport, self.loop)  # type: ignore[assignment]
        self._await_headers()

    def _await_headers(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(header_timeout_seconds(), self._headers_too_slow)

    def _headers_arrived(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if not self.transport.is_closing():
            self.transport.write(_TIMEOUT_REPLY)
            self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._await_headers()

    def on_headers_complete(self) -> None:
        self._headers_arrived()
        super().on_headers_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._headers_arrived()
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        self.transport.flush()  # type: ignore[attr-defined]
        super().on_response_complete()
