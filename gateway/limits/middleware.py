"""The edge of rate limiting: a pure ASGI middleware in front of every ``/api/v1`` route.

Each request counts against its client address and, when it names one, its caller (an API key or a
signed-in user's token), under the limits of its route family. A refusal is a 429 problem with
``Retry-After``; every counted reply carries the IETF draft's ``RateLimit-*`` headers of the
tightest of its limits. The counts live in this process (``Allowance``), synced to the shared store.
"""

from collections.abc import Callable

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.limits.rules import Limit, family_of, headers, limit_for, tightest
from gateway.limits.store import Allowance
from services.kit.errors import TooManyRequests, problem_response


class RateLimitMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allowance: Allowance,
        caller_limits: dict[str, Limit | None],
        address_limits: dict[str, Limit | None],
        caller: Callable[[Request], str | None],
        address: Callable[[Request], str],
    ) -> None:
        self.app = app
        self.allowance = allowance
        self.caller_limits = caller_limits
        self.address_limits = address_limits
        self.caller = caller
        self.address = address

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        family = family_of(scope["path"]) if scope["type"] == "http" and scope["method"] != "OPTIONS" else None
        if family is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        decisions = []
        limit = limit_for(self.address_limits, family)
        if limit is not None:
            decisions.append(self.allowance.hit(f"address:{self.address(request)}", family, limit))
        limit = limit_for(self.caller_limits, family)
        caller = self.caller(request) if limit is not None else None
        if limit is not None and caller is not None and all(decision.allowed for decision in decisions):
            decisions.append(self.allowance.hit(caller, family, limit))
        decision = tightest(decisions)
        if decision is None:
            await self.app(scope, receive, send)
            return
        extra = headers(decision)
        if not decision.allowed:
            problem = TooManyRequests(
                f"too many requests to {family}: at most {decision.limit.count} every {decision.limit.seconds} s",
                retry_after=decision.reset_seconds,
            )
            response = problem_response(problem.status, problem.body(scope["path"]))
            response.raw_headers.extend(extra)
            await response(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
