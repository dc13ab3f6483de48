"""Client keys in the store: made (the only time the material is seen in the clear), listed, read, retired.

The material is kept wrapped under the gateway's key-encryption key (``gateway.payloads.keywrap``),
bound to its key id. A client has at most two active keys (the old and the new one of a rotation);
making a key for a client takes a lock on the client's name, so two made at once cannot both pass.
"""

import secrets
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.client_keys.schemas import Scheme
from gateway.payloads import gcm, keywrap
from gateway.payloads.refusal import b64url_encode

MAX_ACTIVE = 2
_COLUMNS = "id, kid, client, scheme, created_by, created_at, retired_at"


class TooManyActive(Exception):
    """The client already has two active keys: retire one first."""


def new_material(scheme: Scheme) -> tuple[bytes, str]:
    """The secret bytes to keep and their shown form: a 32-byte key (base64url), or a 256-bit passphrase."""
    if scheme is Scheme.GCM:
        key = gcm.new_key()
        return key, b64url_encode(key)
    passphrase = secrets.token_urlsafe(32)
    return passphrase.encode("ascii"), passphrase


def new_kid() -> str:
    return "ck_" + secrets.token_urlsafe(12)


async def create_key(
    connection: AsyncConnection, *, kek: bytes, client: str, scheme: Scheme, created_by: int | None
) -> tuple[dict[str, Any], bytes, str]:
    """A new active key for ``client``: its row, its secret bytes and their shown form (never stored in the clear)."""
    await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext('patron.client_key:' || :c))"), {"c": client})
    active = await connection.scalar(
        text("SELECT count(*) FROM gateway.client_key WHERE client = :client AND retired_at IS NULL"),
        {"client": client},
    )
    if (active or 0) >= MAX_ACTIVE:
        raise TooManyActive(client)
    secret, shown = new_material(scheme)
    kid = new_kid()
    row = (
        await connection.execute(
            text(
                "INSERT INTO gateway.client_key (kid, client, scheme, wrapped_secret, created_by)"
                f" VALUES (:kid, :client, :scheme, :wrapped, :created_by) RETURNING {_COLUMNS}"
            ),
            {
                "kid": kid,
                "client": client,
                "scheme": scheme.value,
                "wrapped": keywrap.wrap(kek, kid, secret),
                "created_by": created_by,
            },
        )
    ).one()
    return public(row._mapping), secret, shown


async def list_keys(connection: AsyncConnection, *, limit: int, after_id: int | None) -> list[dict[str, Any]]:
    """Up to ``limit`` keys in id order after ``after_id``, retired ones too; never their material."""
    rows = await connection.execute(
        text(f"SELECT {_COLUMNS} FROM gateway.client_key WHERE id > :after ORDER BY id LIMIT :limit"),
        {"limit": limit, "after": after_id or 0},
    )
    return [public(row._mapping) for row in rows]


async def read_key(connection: AsyncConnection, key_id: int) -> dict[str, Any] | None:
    row = (
        await connection.execute(text(f"SELECT {_COLUMNS} FROM gateway.client_key WHERE id = :id"), {"id": key_id})
    ).one_or_none()
    return None if row is None else public(row._mapping)


async def retire_key(connection: AsyncConnection, key_id: int) -> dict[str, Any] | None:
    """Retire a key (a second retirement keeps the first time); ``None`` for an unknown id."""
    row = (
        await connection.execute(
            text(
                "UPDATE gateway.client_key SET retired_at = coalesce(retired_at, now()) WHERE id = :id"
                f" RETURNING {_COLUMNS}"
            ),
            {"id": key_id},
        )
    ).one_or_none()
    return None if row is None else public(row._mapping)


def public(mapping: Any) -> dict[str, Any]:
    row = dict(mapping)
    row["status"] = "retired" if row["retired_at"] is not None else "active"
    return row
