"""Who a public request acts for: the one place that turns a caller into an internal principal.

A staff user's or a customer's ``Authorization: Bearer`` access token is checked (signature, algorithm, expiry,
issuer, audience) and then against this process's copy of the revocation store. A request without
one is refused (401 with ``WWW-Authenticate: Bearer``): every public request acts for a signed-in
caller. A partner sends its key in ``X-API-Key`` instead, checked against this process's copy of the
usable keys (``gateway.keys.cache``). A customer's token (its ``kind`` claim) becomes a customer
principal holding the customer's id, which the services keep to their own data.
"""

import hashlib
import logging
import time

from fastapi import Request

from gateway.auth.revocation import RevocationCache, RevocationsUnknown
from gateway.auth.tokens import CUSTOMER, AccessClaims, InvalidAccessToken, read_access_token
from gateway.keys.cache import KeysUnknown
from gateway.settings import GatewaySettings
from services.kit.errors import NotReady, Unauthorized
from services.kit.principal import Principal, PrincipalKind

log = logging.getLogger("patron.gateway.auth")

API_KEY_HEADER = "x-api-key"

# Access tokens whose signature and claims were checked, until they expire: a client sends the same
# token for its whole lifetime, so the HMAC and the claim checks run once per token, not per request.
# Only valid tokens are kept (nobody can fill this with forged ones), the revocation check still
# runs on every request, and the memory is bounded.
_VERIFIED_TOKENS = 10_000
_verified: dict[tuple[str, str, str], tuple[AccessClaims, Principal]] = {}


def _unauthorized(detail: str) -> Unauthorized:
    return Unauthorized(detail, headers={"WWW-Authenticate": "Bearer"})


def resolve_principal(request: Request, settings: GatewaySettings) -> Principal:
    api_key = request.headers.get(API_KEY_HEADER)
    if api_key is not None:
        return partner_principal(request, api_key)
    authorization = request.headers.get("authorization")
    if authorization is not None:
        try:
            return staff_principal(authorization, settings=settings, revocations=request.app.state.revocations)
        except (Unauthorized, NotReady) as exc:
            log.info("bearer token refused", extra={"reason": exc.detail})
            request.app.state.auth_events.labels(event="bearer", outcome="refused").inc()
            raise
    raise _unauthorized("authentication required")


def partner_principal(request: Request, api_key: str) -> Principal:
    """The partner of a usable key; an unknown, revoked or expired key is a 401 like any other."""
    try:
        principal: Principal | None = request.app.state.keys.principal(api_key)
    except KeysUnknown:
        raise NotReady("keys cannot be checked right now; try again shortly") from None
    if principal is None:
        log.info("api key refused")
        request.app.state.auth_events.labels(event="api_key", outcome="refused").inc()
        raise Unauthorized("the API key is not valid", headers={"WWW-Authenticate": "ApiKey"})
    return principal


def staff_principal(authorization: str, *, settings: GatewaySettings, revocations: RevocationCache) -> Principal:
    """The staff user or customer of a bearer token, checked against the revocation store."""
    return bearer_claims(authorization, settings=settings, revocations=revocations)[1]


def bearer_claims(
    authorization: str, *, settings: GatewaySettings, revocations: RevocationCache
) -> tuple[AccessClaims, Principal]:
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("expected a bearer token")
    claims, principal = _verified_token(token.strip(), settings)
    try:
        if revocations.refuses(claims):
            raise _unauthorized("the access token is revoked")
    except RevocationsUnknown:
        raise NotReady("sign-ins cannot be checked right now; try again shortly") from None
    return claims, principal


def _verified_token(token: str, settings: GatewaySettings) -> tuple[AccessClaims, Principal]:
    secret = settings.token_secret.get_secret_value()
    key = (token, secret, settings.token_issuer)
    known = _verified.get(key)
    if known is not None and known[0].expires_at > time.time():
        return known
    try:
        claims = read_access_token(token, secret=secret, issuer=settings.token_issuer)
    except InvalidAccessToken:
        raise _unauthorized("the access token is not valid") from None
    if claims.kind == CUSTOMER:
        principal = Principal(
            kind=PrincipalKind.CUSTOMER, subject=f"customer:{claims.user_id}", customer_id=claims.user_id
        )
    else:
        principal = Principal(kind=PrincipalKind.STAFF, subject=f"staff:{claims.user_id}", roles=list(claims.roles))
    if len(_verified) >= _VERIFIED_TOKENS:
        _verified.clear()
    _verified[key] = (claims, principal)
    return claims, principal


def signed_in_user(request: Request) -> int:
    """The staff user id of a request's bearer token (for the gateway's own routes); 401 without one."""
    authorization = request.headers.get("authorization")
    if authorization is None:
        raise _unauthorized("authentication required")
    principal = resolve_principal(request, request.app.state.settings)
    if principal.kind is not PrincipalKind.STAFF:
        raise _unauthorized("a staff user's sign-in is required")
    return int(principal.subject.removeprefix("staff:"))


def caller_subject(request: Request, settings: GatewaySettings) -> str | None:
    """Who a request says it is, for rate limits: a key (by its digest) or a valid token's user, else None.

    Cheap and never raising: a key is not looked up (a wrong one is refused later), a token is read
    from the cache of verified tokens after its first use.
    """
    api_key = request.headers.get(API_KEY_HEADER)
    if api_key is not None:
        return "key:" + hashlib.sha256(api_key.encode("utf-8", "replace")).hexdigest()[:32]
    scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    try:
        return _verified_token(token.strip(), settings)[1].subject
    except Unauthorized:
        return None
