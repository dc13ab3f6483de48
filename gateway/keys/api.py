"""Partner keys under ``/api/v1/api-keys``: an admin creates, lists, reads and revokes them."""

from datetime import UTC, datetime

from fastapi import APIRouter, Request

from gateway.auth.api import ConnectionDep
from gateway.auth.guard import caller_id
from gateway.keys import service
from gateway.keys.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyPublic, ApiKeysPublic
from gateway.paging import after_id, id_page
from services.kit.api import IdPath
from services.kit.errors import InvalidInput, NotFound
from services.kit.pagination import PageDep

router = APIRouter(prefix="/api/v1/api-keys", tags=["api-keys"])


@router.post("", status_code=201, operation_id="api-keys-create-api-key")
async def create_api_key(body: ApiKeyCreate, request: Request, connection: ConnectionDep) -> ApiKeyCreated:
    """A new partner key with its scopes; the key comes back this once."""
    if body.expires_at is not None and body.expires_at <= datetime.now(UTC):
        raise InvalidInput.field("body.expires_at", "must be in the future")
    row, plaintext = await service.create_key(
        connection,
        name=body.name,
        scopes=body.scopes,
        expires_at=body.expires_at,
        created_by=caller_id(request),
    )
    await connection.commit()  # in the store before this process uses it
    request.app.state.keys.remember(
        key_id=row["id"],
        prefix=row["prefix"],
        secret_hash=row.pop("secret_hash"),
        scopes=row["scopes"],
        expires_at=row["expires_at"].timestamp() if row["expires_at"] else None,
    )
    request.app.state.auth_events.labels(event="api_key", outcome="created").inc()
    return ApiKeyCreated(**row, key=plaintext)


@router.get("", operation_id="api-keys-list-api-keys")
async def list_api_keys(connection: ConnectionDep, page: PageDep) -> ApiKeysPublic:
    """Every key with its prefix, scopes, creation, expiry, revocation and last use; never the key."""
    rows = await service.list_keys(connection, limit=page.limit + 1, after_id=after_id(page))
    items, next_cursor = id_page([ApiKeyPublic(**row) for row in rows], page, lambda item: item.id)
    return ApiKeysPublic(items=items, next_cursor=next_cursor)


@router.get("/{key_id}", operation_id="api-keys-read-api-key")
async def read_api_key(key_id: IdPath, connection: ConnectionDep) -> ApiKeyPublic:
    row = await service.read_key(connection, key_id)
    if row is None:
        raise NotFound(f"api key {key_id} does not exist")
    return ApiKeyPublic(**row)


@router.post("/{key_id}/revoke", operation_id="api-keys-revoke-api-key")
async def revoke_api_key(key_id: IdPath, request: Request, connection: ConnectionDep) -> ApiKeyPublic:
    """The key stops working: at once in this process, within a second in every other."""
    row = await service.revoke_key(connection, key_id)
    if row is None:
        raise NotFound(f"api key {key_id} does not exist")
    await connection.commit()  # revoked in the store before any process is told
    request.app.state.keys.forget(row["prefix"])
    request.app.state.auth_events.labels(event="api_key", outcome="revoked").inc()
    return ApiKeyPublic(**row)
