"""What the gateway does for every reply, before any route: body stalls, OPTIONS, security headers.

- A client whose request body stalls (no byte for ``body_timeout_seconds``) gets a 408 and the
  connection is closed (its headers are the server's to time, ``patron.server``).
- ``OPTIONS`` on a path (not a CORS preflight, which ``CORSMiddleware`` answers) is a 204 whose
  ``Allow`` names the methods that path really serves, or a 404 for a path nothing serves; a method
  the path does not serve is a 405 with the same ``Allow``, answered here rather than forwarded.
- Every reply says ``X-Content-Type-Options: nosniff``, may not be framed, sends no referrer, carries
  a Content-Security-Policy (no content at all for the API; the Swagger UI's own files and inline
  script, by hash, for ``/docs``), HSTS when the request came over TLS, and no ``Server`` header.
"""

import asyncio
import base64
import hashlib
import ipaddress
import re
from collections.abc import Callable, Sequence

from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.abuse.rules import Network
from services.kit.errors import MethodNotAllowed, NotFound, Problem, RequestTimeout, problem_response

API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
HSTS = "max-age=31536000; includeSubDomains"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def docs_policy(html: str) -> str:
    """A strict Content-Security-Policy for the docs page: its own files, and its inline scripts by hash."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() + "'"
        for script in _INLINE_SCRIPT.findall(html)
    )
    return (
        f"default-src 'none'; script-src 'self' {hashes}; style-src 'self'; img-src 'self' data:;"
        " connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    )


class BodyTimeoutMiddleware:
    """A request body that stalls is a 408 with ``Connection: close``; the route never waits forever."""

    def __init__(self, app: ASGIApp, *, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        body_done = False
        started = False

        async def timed_receive() -> Message:
            nonlocal body_done
            if body_done:  # waiting for a disconnect while a reply streams: no limit
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), self.seconds)
            except TimeoutError:
                raise RequestTimeout(f"the request body stalled for {self.seconds:g} s") from None
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, timed_receive, tracking_send)
        except RequestTimeout as exc:  # raised where no problem handler catches it (a middleware reading)
            if started:
                raise
            response = problem_response(exc.status, exc.body(scope["path"]), exc.headers)
            await response(scope, receive, send)


class OptionsMiddleware:
    """``OPTIONS`` answered per path, and a method the path does not serve refused: ``Allow`` lists what it serves."""

    def __init__(self, app: ASGIApp, *, methods: Callable[[str], frozenset[str] | None]) -> None:
        self.app = app
        self.methods = methods

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        method, path = scope["method"], scope["path"]
        served = self.methods(path)
        response: Response
        if method == "OPTIONS" and not served:
            problem: Problem = NotFound(f"no route for {path}")
            response = problem_response(problem.status, problem.body(path))
        elif served and method == "OPTIONS":
            response = Response(status_code=204, headers={"Allow": ", ".join(sorted(served | {"OPTIONS"}))})
        elif served and method not in served:
            # A forwarded path's methods are its service's contract's (all of them until it is read).
            allow = ", ".join(sorted(served | {"OPTIONS"}))
            problem = MethodNotAllowed(f"{path} does not serve {method}", headers={"Allow": allow})
            response = problem_response(problem.status, problem.body(path), problem.headers)
        else:
            await self.app(scope, receive, send)
            return
        await response(scope, receive, send)


class SecurityHeadersMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        docs_path: str,
        docs_policy: Callable[[], str],
        trusted_proxies: Sequence[Network],
    ) -> None:
        self.app = app
        self.docs_path = docs_path
        self.docs_policy = docs_policy
        self.trusted_proxies = trusted_proxies

    def _over_tls(self, scope: Scope) -> bool:
        if scope.get("scheme") == "https":
            return True
        headers = dict(scope.get("headers") or [])
        proto = headers.get(b"x-forwarded-proto")
        if proto is None or not self.trusted_proxies:
            return False
        peer = scope["client"][0] if scope.get("client") else None
        # Only a trusted proxy's word counts, and the last proxy's is the one nearest the gateway.
        return _trusted_peer(peer, self.trusted_proxies) and proto.split(b",")[-1].strip().lower() == b"https"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.docs_policy() if scope["path"] == self.docs_path else API_POLICY
        added = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", policy.encode("latin-1")),
        ]
        if self._over_tls(scope):
            added.append((b"strict-transport-security", HSTS.encode("latin-1")))

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [(name, value) for name, value in message.get("headers", []) if name.lower() != b"server"]
                present = {name.lower() for name, _ in kept}
                message["headers"] = kept + [(name, value) for name, value in added if name not in present]
            await send(message)

        await self.app(scope, receive, secured)


def _trusted_peer(peer: str | None, trusted: Sequence[Network]) -> bool:
    if peer is None:
        return False
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address.version == network.version and address in network for network in trusted)
