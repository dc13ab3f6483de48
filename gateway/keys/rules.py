"""What a partner key looks like, which scopes exist, and how a presented key is checked (pure).

A key reads ``pk_<prefix>_<secret>``: the prefix (8 characters) finds the key and is shown in
lists; the secret (256 random bits) is shown once and kept as its SHA-256, enough for a random
secret (no password stretching needed). The scopes are the route families of the permission matrix,
each ``:read`` or ``:write`` (a write key reads too).
"""

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass

from services.contracts.permissions import PERMISSIONS

KEY_PREFIX = "pk"
_PREFIX_LENGTH = 8


def scope_families() -> list[str]:
    """The route families a partner scope can name, from the permission matrix."""
    return sorted({row.scope.partition(":")[0] for row in PERMISSIONS.values() if row.scope})


def known_scopes() -> list[str]:
    return [f"{family}:{level}" for family in scope_families() for level in ("read", "write")]


def unknown_scopes(scopes: Iterable[str]) -> list[str]:
    known = set(known_scopes())
    return [scope for scope in scopes if scope not in known]


@dataclass(frozen=True)
class NewKey:
    prefix: str
    secret_hash: bytes
    plaintext: str


def secret_hash(secret: str) -> bytes:
    return hashlib.sha256(secret.encode("utf-8")).digest()


def new_key() -> NewKey:
    prefix = secrets.token_hex(_PREFIX_LENGTH // 2)
    secret = secrets.token_urlsafe(32)
    return NewKey(prefix, secret_hash(secret), f"{KEY_PREFIX}_{prefix}_{secret}")


def split_key(presented: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed key, else ``None``."""
    kind, _, rest = presented.strip().partition("_")
    prefix, _, secret = rest.partition("_")
    if kind != KEY_PREFIX or len(prefix) != _PREFIX_LENGTH or not secret or len(secret) > 200:
        return None
    return prefix, secret


def secret_matches(stored_hash: bytes, secret: str) -> bool:
    return hmac.compare_digest(stored_hash, secret_hash(secret))
