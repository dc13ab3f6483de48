"""HTTP routes for wallets: a customer's balance and history, staff adjustments, and earnings from services."""

from fastapi import APIRouter, Request, Response, status

from services.kit.api import IdPath
from services.kit.clock import utcnow
from services.kit.db import SessionDep
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal
from services.loyalty.wallet import service
from services.loyalty.wallet.schemas import (
    AdjustmentCreate,
    EarningCreate,
    WalletEntriesPublic,
    WalletEntryPublic,
    WalletPublic,
)

router = APIRouter(prefix="/loyalty", tags=["wallet"])


@router.get("/customers/{customer_id}/wallet", response_model=WalletPublic)
async def read_wallet(request: Request, session: SessionDep, customer_id: IdPath) -> WalletPublic:
    """A customer's points, their value in the base currency, and when the next of them expire.

    A customer the loyalty service has never seen has an empty wallet.
    """
    currency = request.app.state.settings.base_currency
    return await service.read_wallet(session, customer_id=customer_id, currency=currency)


@router.get("/customers/{customer_id}/wallet/entries", response_model=WalletEntriesPublic)
async def list_wallet_entries(session: SessionDep, customer_id: IdPath, page: PageDep) -> WalletEntriesPublic:
    """The wallet's history, newest first: points earned, spent, expired, adjusted and refunded."""
    items, next_cursor = await service.list_entries(session, customer_id=customer_id, page=page)
    return WalletEntriesPublic(items=items, next_cursor=next_cursor)


@router.post(
    "/customers/{customer_id}/wallet/adjustments", status_code=status.HTTP_201_CREATED, response_model=WalletEntryPublic
)
async def adjust_wallet(
    session: SessionDep, principal: CurrentPrincipal, customer_id: IdPath, body: AdjustmentCreate
) -> WalletEntryPublic:
    """Correct a wallet by hand: positive points add a lot that expires like earned points, negative ones
    take the oldest points first. Taking more than the wallet holds is refused (``insufficient_points``)."""
    row = await service.adjust(
        session, customer_id=customer_id, points=body.points, reason=body.reason, by=principal.subject, at=utcnow()
    )
    return service.entry_public(row)


@router.post(
    "/wallet/earnings",
    status_code=status.HTTP_201_CREATED,
    response_model=WalletEntryPublic,
    responses={
        200: {"description": "The source had earned already: its entry, unchanged.", "model": WalletEntryPublic}
    },
)
async def earn_points(session: SessionDep, response: Response, body: EarningCreate) -> WalletEntryPublic:
    """Credit points a customer earned (services only), once per source: asking again returns the entry (200)."""
    row, created = await service.earn_once(
        session, customer_id=body.customer_id, points=body.points, reason=body.reason, source=body.source, at=utcnow()
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return service.entry_public(row)
