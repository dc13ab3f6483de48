"""The caller of the gateway's own operations, found for the permission check of their rows.

The gateway checks its own routes (``/api/v1/auth…``, ``/api/v1/staff…``) with the kit's
``PermissionMiddleware``; the services check the routes it forwards. For a row that is not public
the middleware asks ``resolve_caller`` for the caller: a request without credentials is a 401.
"""

from fastapi import Request
from starlette.types import Scope

from gateway.identity import resolve_principal
from services.contracts.permissions import GATEWAY_TAGS
from services.kit.errors import Forbidden, Unauthorized
from services.kit.principal import Principal, PrincipalKind

# The route families the gateway answers itself (SPEC §6); every other one is forwarded.
OWN_FAMILIES = GATEWAY_TAGS
OWN_PREFIXES = tuple(f"/api/v1/{family}" for family in OWN_FAMILIES)
_CALLER = "patron.gateway.caller"


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": "Bearer"})


def resolve_caller(scope: Scope) -> Principal:
    """The caller of one of the gateway's own operations (a staff user, a customer or a partner key);
    401 without one."""
    request = Request(scope)
    principal = resolve_principal(request, request.app.state.settings)
    scope[_CALLER] = principal
    return principal


def caller_id(request: Request) -> int:
    """The staff user id of the caller the permission check found."""
    principal = request.scope.get(_CALLER)
    if not isinstance(principal, Principal) or principal.kind is not PrincipalKind.STAFF:
        raise _unauthorized("authentication required")
    return int(principal.subject.removeprefix("staff:"))


def caller_customer(request: Request) -> int:
    """The customer id of the caller the permission check found; anyone else has no customer account."""
    principal = request.scope.get(_CALLER)
    if not isinstance(principal, Principal):
        raise _unauthorized("authentication required")
    if principal.kind is not PrincipalKind.CUSTOMER or principal.customer_id is None:
        raise Forbidden("only a signed-in customer has a customer account")
    return principal.customer_id
