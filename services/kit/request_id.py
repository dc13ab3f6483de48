"""Request ids: accepted from X-Request-ID or made, returned on the response, logged, passed on."""

import re
import uuid
from contextvars import ContextVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send

REQUEST_ID_HEADER = "X-Request-ID"
_SCOPE_KEY = "patron.request_id"
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
_request_id: ContextVar[str | None] = ContextVar("patron_request_id", default=None)


def current_request_id() -> str | None:
    return _request_id.get()


def request_id_of(scope: Scope) -> str | None:
    """The id of the request ``scope`` describes, also once the middleware has returned.

    An unhandled error is answered by Starlette's outermost middleware, after ours has reset the
    context variable; the id kept in the scope still reaches that response and its log line.
    """
    return current_request_id() or scope.get(_SCOPE_KEY)


def new_request_id() -> str:
    return uuid.uuid4().hex


def accept_request_id(value: str | None) -> str:
    """Keep a caller's id if it is a sane token; otherwise make one (ids end up in logs)."""
    if value and _ACCEPTABLE.match(value):
        return value
    return new_request_id()


def outgoing_headers() -> dict[str, str]:
    """Headers that carry the current request id to a service this request calls."""
    request_id = current_request_id()
    return {REQUEST_ID_HEADER: request_id} if request_id else {}


class RequestIdMiddleware:
    """Pure ASGI middleware, so the id is set before anything else runs and streaming is untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = accept_request_id(incoming)
        scope[_SCOPE_KEY] = request_id
        token = _request_id.set(request_id)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"x-request-id"]
                headers.append((b"x-request-id", request_id.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _request_id.reset(token)
