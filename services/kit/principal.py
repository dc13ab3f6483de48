"""The internal principal: who a request acts for, carried from the gateway to the services.

The gateway (or a service calling another) signs a short-lived token with ``sign_principal``; every
non-health route of every service checks it through the ``require_principal`` dependency. Services
are not reachable from outside, and this check is what makes that true even if one is.

Both ends remember recent tokens: the gateway reuses a token while more than half its lifetime
remains, and a service trusts a token it has already verified until it expires. Signing and
checking a token each cost a visible share of a proxied call's CPU otherwise.
"""

import time
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.types import ASGIApp, Receive, Scope, Send

from services.kit.errors import Unauthorized, problem_response

PRINCIPAL_HEADER = "X-Patron-Principal"
_ISSUER = "patron"
_AUDIENCE = "patron-services"
_ALGORITHM = "HS256"
_LEEWAY_SECONDS = 5
# Where a checked principal is kept for the rest of its request (the scope is never shared).
_SCOPE_KEY = "patron.principal"
# Tokens remembered by each end; past this many the memory starts over (principals are few and hot).
_REMEMBERED = 4096


class PrincipalKind(StrEnum):
    STAFF = "staff"
    CUSTOMER = "customer"
    PARTNER = "partner"
    SERVICE = "service"


class Channel(StrEnum):
    SELF = "self"
    ASSISTED = "assisted"


class Principal(BaseModel):
    """Who a request acts for. ``subject`` is unique within its kind (a user id, key id, service)."""

    # Frozen: one verified principal may serve many requests.
    model_config = ConfigDict(frozen=True)

    kind: PrincipalKind
    subject: str = Field(min_length=1, max_length=200)
    roles: list[str] = Field(default_factory=list)
    scopes: list[str] = Field(default_factory=list)
    customer_id: int | None = None

    @property
    def channel(self) -> Channel:
        """A customer recording their own bill is ``self``; anyone else acts on their behalf."""
        return Channel.SELF if self.kind is PrincipalKind.CUSTOMER else Channel.ASSISTED


_signed: dict[tuple[str, int, str], tuple[str, int]] = {}
_verified: dict[tuple[str, str], tuple[Principal, float]] = {}


def _remember(memory: dict[Any, Any], key: Any, value: Any) -> None:
    if len(memory) >= _REMEMBERED:
        memory.clear()
    memory[key] = value


def sign_principal(principal: Principal, *, secret: str, ttl_seconds: int = 60) -> str:
    """A token for ``principal``, valid for ``ttl_seconds``; reused while over half of that remains."""
    now = int(time.time())
    key = (secret, ttl_seconds, principal.model_dump_json())
    known = _signed.get(key)
    if known is not None and known[1] - now > ttl_seconds / 2:
        return known[0]
    claims = {
        "iss": _ISSUER,
        "aud": _AUDIENCE,
        "iat": now,
        "exp": now + ttl_seconds,
        "principal": principal.model_dump(mode="json"),
    }
    token = jwt.encode(claims, secret, algorithm=_ALGORITHM)
    _remember(_signed, key, (token, now + ttl_seconds))
    return token


def verify_principal(token: str, *, secret: str) -> Principal:
    """Return the principal of a valid token; raise ``Unauthorized`` for anything else."""
    key = (secret, token)
    known = _verified.get(key)
    if known is not None and known[1] > time.time() - _LEEWAY_SECONDS:  # as PyJWT judges expiry
        return known[0]
    try:
        claims = jwt.decode(
            token,
            secret,
            algorithms=[_ALGORITHM],
            audience=_AUDIENCE,
            issuer=_ISSUER,
            options={"require": ["exp", "iat", "iss", "aud"]},
            leeway=_LEEWAY_SECONDS,
        )
        principal = Principal.model_validate(claims["principal"])
    except (jwt.PyJWTError, KeyError, ValidationError, TypeError) as exc:
        raise Unauthorized("missing or invalid internal principal", headers={"WWW-Authenticate": "Patron"}) from exc
    _remember(_verified, key, (principal, float(claims["exp"])))
    return principal


def principal_headers(principal: Principal, *, secret: str, ttl_seconds: int = 60) -> dict[str, str]:
    return {PRINCIPAL_HEADER: sign_principal(principal, secret=secret, ttl_seconds=ttl_seconds)}


def _principal_of(token: str | None, *, secret: str) -> Principal:
    if not token:
        raise Unauthorized("missing internal principal", headers={"WWW-Authenticate": "Patron"})
    return verify_principal(token, secret=secret)


class PrincipalMiddleware:
    """Checks the principal of every request under ``prefix`` before any of its input is read.

    A caller without a valid principal learns nothing about a route: it gets a 401, never a 422
    about a body it sent (FastAPI parses a JSON body before it runs a route's dependencies).
    """

    _HEADER = PRINCIPAL_HEADER.lower().encode("latin-1")

    def __init__(self, app: ASGIApp, *, prefix: str, secret: str) -> None:
        self.app = app
        self.prefix = prefix
        self.secret = secret

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            token = next((v.decode("latin-1") for k, v in scope["headers"] if k == self._HEADER), None)
            try:
                principal = _principal_of(token, secret=self.secret)
            except Unauthorized as exc:
                await problem_response(exc.status, exc.body(scope["path"]), exc.headers)(scope, receive, send)
                return
            scope[_SCOPE_KEY] = principal
        await self.app(scope, receive, send)


def principal_in_scope(scope: Mapping[str, Any]) -> Principal | None:
    """The principal ``PrincipalMiddleware`` checked for this request, if it has run."""
    principal = scope.get(_SCOPE_KEY)
    return principal if isinstance(principal, Principal) else None


async def require_principal(request: Request) -> Principal:
    """The one check every non-health route uses (installed by ``create_service_app``).

    Under the API prefix ``PrincipalMiddleware`` has already checked it; elsewhere it is checked here.
    """
    principal = request.scope.get(_SCOPE_KEY)
    if isinstance(principal, Principal):
        return principal
    settings = request.app.state.settings
    principal = _principal_of(request.headers.get(PRINCIPAL_HEADER), secret=settings.internal_secret.get_secret_value())
    request.scope[_SCOPE_KEY] = principal
    return principal


CurrentPrincipal = Annotated[Principal, Depends(require_principal)]
