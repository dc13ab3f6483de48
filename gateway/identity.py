"""Who a public request acts for: the one place that turns a caller into an internal principal.

A staff caller's ``Authorization: Bearer`` access token is checked (signature, algorithm, expiry,
issuer, audience) and then against this process's copy of the revocation store. A request without
one is refused (401 with ``WWW-Authenticate: Bearer``): every public request acts for a signed-in
caller. API keys and customer tokens come here when they arrive.
"""

import logging

from fastapi import Request

from gateway.auth.revocation import RevocationCache, RevocationsUnknown
from gateway.auth.tokens import InvalidAccessToken, read_access_token
from gateway.settings import GatewaySettings
from services.kit.errors import NotReady, Unauthorized
from services.kit.principal import Principal, PrincipalKind

log = logging.getLogger("patron.gateway.auth")


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": "Bearer"})


def resolve_principal(request: Request, settings: GatewaySettings) -> Principal:
    authorization = request.headers.get("authorization")
    if authorization is not None:
        try:
            return staff_principal(authorization, settings=settings, revocations=request.app.state.revocations)
        except (Unauthorized, NotReady) as exc:
            log.info("bearer token refused", extra={"reason": exc.detail})
            request.app.state.auth_events.labels(event="bearer", outcome="refused").inc()
            raise
    raise _unauthorized("authentication required")


def staff_principal(authorization: str, *, settings: GatewaySettings, revocations: RevocationCache) -> Principal:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("expected a bearer token")
    try:
        claims = read_access_token(
            token.strip(), secret=settings.token_secret.get_secret_value(), issuer=settings.token_issuer
        )
    except InvalidAccessToken:
        raise _unauthorized("the access token is not valid") from None
    try:
        if revocations.refuses(claims):
            raise _unauthorized("the access token is revoked")
    except RevocationsUnknown:
        raise NotReady("sign-ins cannot be checked right now; try again shortly") from None
    return Principal(kind=PrincipalKind.STAFF, subject=f"staff:{claims.user_id}", roles=list(claims.roles))


def signed_in_user(request: Request) -> int:
    """The staff user id of a request's bearer token (for the gateway's own routes); 401 without one."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise _unauthorized("authentication required")
    principal = resolve_principal(request, request.app.state.settings)
    return int(principal.subject.removeprefix("staff:"))
