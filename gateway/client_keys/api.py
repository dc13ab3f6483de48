"""Client keys under ``/api/v1/client-keys``: an admin creates, lists, reads, rotates and retires them."""

import logging

from fastapi import APIRouter, Request

from gateway.auth.api import ConnectionDep
from gateway.auth.guard import caller_id
from gateway.client_keys import service
from gateway.client_keys.cache import ClientKey
from gateway.client_keys.schemas import ClientKeyCreate, ClientKeyCreated, ClientKeyPublic, ClientKeysPublic, Scheme
from gateway.paging import after_id, id_page
from services.kit.api import IdPath
from services.kit.errors import Conflict, NotFound
from services.kit.pagination import PageDep

router = APIRouter(prefix="/api/v1/client-keys", tags=["client-keys"])
log = logging.getLogger("patron.gateway.client_keys")


async def _create(request: Request, connection: ConnectionDep, client: str, scheme: Scheme) -> ClientKeyCreated:
    try:
        row, secret, shown = await service.create_key(
            connection,
            kek=request.app.state.settings.payload_kek_bytes(),
            client=client,
            scheme=scheme,
            created_by=caller_id(request),
        )
    except service.TooManyActive:
        raise Conflict(
            f"client {client!r} already has {service.MAX_ACTIVE} active keys: retire one before making another"
        ) from None
    await connection.commit()  # in the store before this process uses it
    request.app.state.client_keys.remember(ClientKey(row["kid"], client, scheme, secret))
    log.info("client key made", extra={"kid": row["kid"], "client": client, "scheme": scheme.value})
    return ClientKeyCreated(**row, secret=shown)


@router.post("", status_code=201, operation_id="client-keys-create-client-key")
async def create_client_key(body: ClientKeyCreate, request: Request, connection: ConnectionDep) -> ClientKeyCreated:
    """A new key for a client, with its key id; the key (or legacy passphrase) comes back this once."""
    return await _create(request, connection, body.client, body.scheme)


@router.get("", operation_id="client-keys-list-client-keys")
async def list_client_keys(connection: ConnectionDep, page: PageDep) -> ClientKeysPublic:
    """Every key with its key id, client, scheme and status; never the key."""
    rows = await service.list_keys(connection, limit=page.limit + 1, after_id=after_id(page))
    items, next_cursor = id_page([ClientKeyPublic(**row) for row in rows], page, lambda item: item.id)
    return ClientKeysPublic(items=items, next_cursor=next_cursor)


@router.get("/{key_id}", operation_id="client-keys-read-client-key")
async def read_client_key(key_id: IdPath, connection: ConnectionDep) -> ClientKeyPublic:
    row = await service.read_key(connection, key_id)
    if row is None:
        raise NotFound(f"client key {key_id} does not exist")
    return ClientKeyPublic(**row)


@router.post("/{key_id}/rotate", status_code=201, operation_id="client-keys-rotate-client-key")
async def rotate_client_key(key_id: IdPath, request: Request, connection: ConnectionDep) -> ClientKeyCreated:
    """A new key for the same client and scheme, shown once; both work until the old one is retired (409 at two)."""
    row = await service.read_key(connection, key_id)
    if row is None:
        raise NotFound(f"client key {key_id} does not exist")
    return await _create(request, connection, row["client"], Scheme(row["scheme"]))


@router.post("/{key_id}/retire", operation_id="client-keys-retire-client-key")
async def retire_client_key(key_id: IdPath, request: Request, connection: ConnectionDep) -> ClientKeyPublic:
    """The key stops working: at once in this process, within a second in every other."""
    row = await service.retire_key(connection, key_id)
    if row is None:
        raise NotFound(f"client key {key_id} does not exist")
    await connection.commit()  # retired in the store before any process is told
    request.app.state.client_keys.forget(row["kid"])
    log.info("client key retired", extra={"kid": row["kid"], "client": row["client"]})
    return ClientKeyPublic(**row)
