"""A customer acts only while they exist and are active: the customer service's half of ending a
deactivated or deleted customer's access within seconds.

The gateway refuses such a customer at sign-in and refresh, but an access token they already hold
lives until it expires; this middleware refuses every request of a customer principal whose customer
is inactive or gone (401), reading the status at most once a second per customer and process, so a
deactivation reaches every process within about a second and a customer's requests cost one
primary-key read a second, not one each.
"""

import time

from sqlalchemy import text
from starlette.types import ASGIApp, Receive, Scope, Send

from services.kit.errors import Unauthorized, problem_response
from services.kit.principal import PrincipalKind, principal_in_scope

RECHECK_SECONDS = 1.0
_REMEMBERED = 10_000
# An erased customer (a privacy request of kind erasure) never acts again, whatever their status.
_STATUS = text(
    "SELECT c.status FROM customer.customer c WHERE c.id = :customer_id AND NOT EXISTS"
    " (SELECT FROM customer.privacy_request r WHERE r.customer_id = c.id AND r.kind = 'erasure')"
)


class ActiveCustomersOnly:
    """Refuses a customer principal whose customer is inactive, deleted or erased; anyone else passes."""

    def __init__(self, app: ASGIApp, *, recheck_seconds: float = RECHECK_SECONDS) -> None:
        self.app = app
        self.recheck_seconds = recheck_seconds
        self._known: dict[int, tuple[bool, float]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            principal = principal_in_scope(scope)
            customer_id = principal.customer_id if principal and principal.kind is PrincipalKind.CUSTOMER else None
            if customer_id is not None and not await self._active(scope, customer_id):
                refused = Unauthorized("the customer is inactive or no longer exists")
                await problem_response(refused.status, refused.body(scope["path"]))(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _active(self, scope: Scope, customer_id: int) -> bool:
        now = time.monotonic()
        known = self._known.get(customer_id)
        if known is not None and now - known[1] < self.recheck_seconds:
            return known[0]
        async with scope["app"].state.engine.connect() as connection:
            status = await connection.scalar(_STATUS, {"customer_id": customer_id})
        active: bool = status == "active"
        if len(self._known) >= _REMEMBERED:
            self._known.clear()
        self._known[customer_id] = (active, now)
        return active
