"""Partner keys in the store: create (the only time a key's secret is seen), list, read, revoke."""

from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.keys.rules import new_key

_COLUMNS = "id, name, prefix, scopes, created_by, created_at, expires_at, revoked_at, last_used_at"


async def create_key(
    connection: AsyncConnection, *, name: str, scopes: list[str], expires_at: datetime | None, created_by: int | None
) -> tuple[dict[str, Any], str]:
    """A new key: its row (with its hash) and its plaintext, which is never stored nor shown again."""
    key = new_key()
    row = (
        await connection.execute(
            text(
                "INSERT INTO gateway.api_key (name, prefix, secret_hash, scopes, created_by, expires_at)"
                f" VALUES (:name, :prefix, :hash, :scopes, :created_by, :expires_at) RETURNING {_COLUMNS}"
            ),
            {
                "name": name,
                "prefix": key.prefix,
                "hash": key.secret_hash,
                "scopes": sorted(set(scopes)),
                "created_by": created_by,
                "expires_at": expires_at,
            },
        )
    ).one()
    return {**row._mapping, "secret_hash": key.secret_hash}, key.plaintext


async def list_keys(connection: AsyncConnection, *, limit: int, after_id: int | None) -> list[dict[str, Any]]:
    """Up to ``limit`` keys in id order, after ``after_id``: revoked and expired ones too."""
    rows = await connection.execute(
        text(f"SELECT {_COLUMNS} FROM gateway.api_key WHERE id > :after ORDER BY id LIMIT :limit"),
        {"limit": limit, "after": after_id or 0},
    )
    return [dict(row._mapping) for row in rows]


async def read_key(connection: AsyncConnection, key_id: int) -> dict[str, Any] | None:
    row = (
        await connection.execute(text(f"SELECT {_COLUMNS} FROM gateway.api_key WHERE id = :id"), {"id": key_id})
    ).one_or_none()
    return None if row is None else dict(row._mapping)


async def revoke_key(connection: AsyncConnection, key_id: int) -> dict[str, Any] | None:
    """Revoke a key (a second revocation keeps the first time); ``None`` for an unknown id."""
    row = (
        await connection.execute(
            text(
                "UPDATE gateway.api_key SET revoked_at = coalesce(revoked_at, now()) WHERE id = :id"
                f" RETURNING {_COLUMNS}"
            ),
            {"id": key_id},
        )
    ).one_or_none()
    return None if row is None else dict(row._mapping)
