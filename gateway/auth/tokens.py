"""Access tokens (HS256 JWTs) of staff users and customers, and opaque refresh tokens.

An access token names whose it is (``kind``: ``staff`` or ``customer``), its user (``sub``: the staff
user's id, or ``customer:<customer id>``, so a customer's token can never be read as a staff user's
and the other way round), roles, sign-in (``sid``, the refresh family) and its own
id (``jti``); ``iat`` keeps fractions of a second so a revocation at second ``t`` ends tokens issued
before it and none issued after. A refresh token is random, shown once, and stored as its SHA-256.
"""

import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass

import jwt

ALGORITHM = "HS256"
AUDIENCE = "patron-api"
_LEEWAY_SECONDS = 5
_REQUIRED = ["iss", "aud", "exp", "iat", "sub", "jti", "sid", "kind"]
STAFF, CUSTOMER = "staff", "customer"
_CUSTOMER_SUBJECT = "customer:"


class InvalidAccessToken(Exception):
    """Malformed, wrongly signed, expired or for someone else; the reason is for logs, not callers."""


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    roles: tuple[str, ...]
    family_id: uuid.UUID
    token_id: uuid.UUID
    issued_at: float
    expires_at: float
    kind: str = STAFF
    """``staff`` (``user_id`` is a staff user's id) or ``customer`` (``user_id`` is the customer's id)."""


def issue_access_token(
    *,
    user_id: int,
    roles: list[str],
    family_id: uuid.UUID,
    secret: str,
    issuer: str,
    ttl_seconds: int,
    now: float | None = None,
    kind: str = STAFF,
) -> tuple[str, AccessClaims]:
    """A token for a staff user (``kind`` staff, ``user_id`` their id) or a customer (``user_id`` the
    customer's id, no roles)."""
    if kind not in (STAFF, CUSTOMER):
        raise ValueError(f"unknown token kind {kind!r}")
    issued_at = time.time() if now is None else now
    claims = AccessClaims(user_id, tuple(roles), family_id, uuid.uuid4(), issued_at, int(issued_at) + ttl_seconds, kind)
    payload = {
        "iss": issuer,
        "aud": AUDIENCE,
        "kind": kind,
        "sub": f"{_CUSTOMER_SUBJECT}{user_id}" if kind == CUSTOMER else str(user_id),
        "roles": list(roles),
        "sid": str(family_id),
        "jti": str(claims.token_id),
        "iat": issued_at,
        "exp": int(claims.expires_at),
    }
    return jwt.encode(payload, secret, algorithm=ALGORITHM), claims


def read_access_token(token: str, *, secret: str, issuer: str) -> AccessClaims:
    """The claims of a valid token: signature, algorithm (HS256 only), expiry, issuer and audience checked."""
    try:
        payload = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            audience=AUDIENCE,
            issuer=issuer,
            leeway=_LEEWAY_SECONDS,
            options={"require": _REQUIRED},
        )
        roles = payload.get("roles", [])
        if not isinstance(roles, list) or not all(isinstance(role, str) for role in roles):
            raise InvalidAccessToken("roles is not a list of names")
        kind, subject = payload["kind"], str(payload["sub"])
        if kind == CUSTOMER:
            if not subject.startswith(_CUSTOMER_SUBJECT) or roles:
                raise InvalidAccessToken("a customer token names a customer and no roles")
            user_id = int(subject.removeprefix(_CUSTOMER_SUBJECT))
        elif kind == STAFF:
            if not subject.isdigit():
                raise InvalidAccessToken("a staff token names a staff user")
            user_id = int(subject)
        else:
            raise InvalidAccessToken("unknown token kind")
        return AccessClaims(
            kind=kind,
            user_id=user_id,
            roles=tuple(roles),
            family_id=uuid.UUID(payload["sid"]),
            token_id=uuid.UUID(payload["jti"]),
            issued_at=float(payload["iat"]),
            expires_at=float(payload["exp"]),
        )
    except (jwt.InvalidTokenError, ValueError, TypeError) as exc:
        raise InvalidAccessToken(str(exc)) from exc


def new_refresh_token() -> str:
    return secrets.token_urlsafe(32)


def refresh_token_hash(token: str) -> bytes:
    """What the database keeps of a refresh token: 256 random bits need no slow hash."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()
