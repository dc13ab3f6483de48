"""The gateway's part of privacy requests, asked by the customer service (a signed service principal only):
a customer's credentials metadata for an export (never a password or token hash), and their erasure
(the account, its sign-ins and invitations deleted, so they can never sign in again).

These routes are outside the public API (``/internal/…``): the public one is the customer service's.
"""

import logging
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Header, Query, Request, Response, status
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.auth.api import ConnectionDep
from gateway.settings import GatewaySettings
from services.contracts.privacy import CustomerDataPart
from services.kit.api import IdPath
from services.kit.errors import Forbidden
from services.kit.principal import PRINCIPAL_HEADER, PrincipalKind, verify_principal
from services.kit.privacy import SECRET_COLUMNS

log = logging.getLogger("patron.gateway.privacy")

router = APIRouter(prefix="/internal/privacy", tags=["privacy"], include_in_schema=False)

_ACCOUNT = text("SELECT * FROM gateway.customer_account WHERE customer_id = :customer_id")
_INVITATIONS = text("SELECT * FROM gateway.customer_invitation WHERE customer_id = :customer_id ORDER BY created_at")
_SIGN_INS = text(
    "SELECT f.* FROM gateway.refresh_family f JOIN gateway.customer_account a ON a.id = f.customer_account_id"
    " WHERE a.customer_id = :customer_id ORDER BY f.created_at"
)
_ERASE = [
    text(
        "DELETE FROM gateway.refresh_token WHERE family_id IN (SELECT f.id FROM gateway.refresh_family f"
        " JOIN gateway.customer_account a ON a.id = f.customer_account_id WHERE a.customer_id = :customer_id)"
    ),
    text(
        "DELETE FROM gateway.refresh_family WHERE customer_account_id IN"
        " (SELECT id FROM gateway.customer_account WHERE customer_id = :customer_id)"
    ),
    text("DELETE FROM gateway.customer_invitation WHERE customer_id = :customer_id"),
    text("DELETE FROM gateway.customer_account WHERE customer_id = :customer_id"),
    # The first erasure's time stays: tokens issued before it are refused (``gateway.auth.revocation``).
    text(
        "INSERT INTO gateway.erased_customer (customer_id) VALUES (:customer_id) ON CONFLICT (customer_id) DO NOTHING"
    ),
]


def _require_service(request: Request, token: str | None) -> None:
    settings: GatewaySettings = request.app.state.settings
    principal = verify_principal(token or "", secret=settings.internal_secret.get_secret_value())
    if principal.kind is not PrincipalKind.SERVICE:
        raise Forbidden("only a Patron service asks this")


PrincipalHeader = Annotated[str | None, Header(alias=PRINCIPAL_HEADER)]


async def _rows(connection: AsyncConnection, statement: object, customer_id: int) -> list[dict[str, object]]:
    result = await connection.execute(statement, {"customer_id": customer_id})  # type: ignore[call-overload]
    return [{key: value for key, value in row.items() if key not in SECRET_COLUMNS} for row in result.mappings().all()]


@router.get("/customers/{customer_id}", response_model=CustomerDataPart)
async def gateway_customer_data(
    request: Request,
    connection: ConnectionDep,
    customer_id: IdPath,
    principal: PrincipalHeader = None,
    erasure_event: Annotated[UUID | None, Query()] = None,
) -> CustomerDataPart:
    """What the gateway holds about a customer: their account (no password hash), invitations (no token
    hash) and sign-ins; and, asked about an erasure, whether none of it is left."""
    _require_service(request, principal)
    tables = {
        "customer_account": await _rows(connection, _ACCOUNT, customer_id),
        "customer_invitation": await _rows(connection, _INVITATIONS, customer_id),
        "refresh_family": await _rows(connection, _SIGN_INS, customer_id),
    }
    applied = None if erasure_event is None else not any(tables.values())
    return CustomerDataPart.model_validate(
        {"service": "gateway", "customer_id": customer_id, "tables": tables, "erasure_applied": applied}
    )


@router.delete("/customers/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def erase_gateway_customer(
    request: Request, connection: ConnectionDep, customer_id: IdPath, principal: PrincipalHeader = None
) -> Response:
    """Erase a customer's credentials: their account, sign-ins (refresh tokens) and invitations.

    Doing it again changes nothing. An access token of theirs still alive is refused by every gateway
    process once it rereads the revocation store (``erased_customer``), and by the customer service at once."""
    _require_service(request, principal)
    deleted = 0
    for statement in _ERASE:
        deleted += (await connection.execute(statement, {"customer_id": customer_id})).rowcount
    if deleted:
        log.info("customer %s: credentials erased (%s rows)", customer_id, deleted)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
