"""Staff access tokens (HS256 JWTs) and opaque refresh tokens.

An access token names its user (``sub``), roles, sign-in (``sid``, the refresh family) and its own
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
_REQUIRED = ["iss", "aud", "exp", "iat", "sub", "jti", "sid"]


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


def issue_access_token(
    *,
    user_id: int,
    roles: list[str],
    family_id: uuid.UUID,
    secret: str,
    issuer: str,
    ttl_seconds: int,
    now: float | None = None,
) -> tuple[str, AccessClaims]:
    issued_at = time.time() if now is None else now
    claims = AccessClaims(user_id, tuple(roles), family_id, uuid.uuid4(), issued_at, int(issued_at) + ttl_seconds)
    payload = {
        "iss": issuer,
        "aud": AUDIENCE,
        "sub": str(user_id),
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
        return AccessClaims(
            user_id=int(payload["sub"]),
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
