"""HTTP routes for purchases and a customer's purchase history."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from services.customer.customers.service import get_customer_or_raise
from services.customer.purchases import rewards, service
from services.customer.purchases.plan import Ledger
from services.customer.purchases.schemas import (
    AbandonPublic,
    CancelRequest,
    PurchaseCreate,
    PurchasePublic,
    PurchaseRecordedPublic,
    PurchaseSource,
    PurchasesPublic,
    PurchaseStatus,
    ReturnRequest,
)
from services.kit.api import IdPath, IsoDateTime
from services.kit.clock import utcnow
from services.kit.db import SessionDep, request_driver_transaction
from services.kit.errors import NotFound
from services.kit.money import Currency
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal, PrincipalKind

router = APIRouter(tags=["purchases"])


def _ledger(request: Request) -> Ledger:
    settings = request.app.state.settings
    return Ledger(base_currency=settings.base_currency, business_timezone=settings.business_timezone)


@router.post("/purchases", status_code=status.HTTP_201_CREATED, response_model=PurchaseRecordedPublic)
async def record_purchase(
    request: Request, response: Response, principal: CurrentPrincipal, body: PurchaseCreate
) -> PurchaseRecordedPublic:
    """Record a bill: prices from the catalogue, stock checked and taken atomically, refused whole if short.

    A bill may redeem one reward (``reward_token``: its percent comes off the rewarded product's line)
    and spend wallet points (``points``: their value comes off the whole bill); both are reserved with
    the loyalty service first, and a token or points that do not apply are a 422 naming the field and
    why. Once it is recorded, the loyalty service is asked for the reward it earned, for a short while
    (``PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS``): ``reward`` shows it, or is null when the bill earns none
    or loyalty did not answer in time (then the reward is allocated from the purchase event).
    A retry sent with the same ``Idempotency-Key`` gets the first answer back (the kit's middleware).
    """
    recorded_at = utcnow()
    # The busiest route runs on the driver's own transaction, committed before the response is sent.
    purchase = await service.record_purchase(
        request.app.state.engine,
        lambda: request_driver_transaction(request),
        data=body,
        principal=principal,
        ledger=_ledger(request),
        loyalty=request.app.state.redemption_client,
    )
    response.headers["Location"] = f"/api/v1/purchases/{purchase.id}"
    settings = request.app.state.settings
    reward = await rewards.earned_reward(
        request.app.state.loyalty_client,
        purchase,
        recorded_at=recorded_at,
        timeout_seconds=settings.loyalty_timeout_ms / 1000,
    )
    return PurchaseRecordedPublic(**dict(purchase), reward=reward)


@router.get("/purchases", response_model=PurchasesPublic)
async def list_purchases(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    customer_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    store_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    status: PurchaseStatus | None = None,
    source: PurchaseSource | None = None,
    currency: Annotated[Currency | None, Query()] = None,
    purchased_from: IsoDateTime | None = None,
    purchased_to: IsoDateTime | None = None,
) -> PurchasesPublic:
    filters = {
        "customer_id": customer_id,
        "store_id": store_id,
        "status": status,
        "source": source,
        "currency": currency,
        "purchased_from": purchased_from,
        "purchased_to": purchased_to,
    }
    items, next_cursor = await service.list_purchases(
        session, filters=filters, page=page, principal=principal, base_currency=_ledger(request).base_currency
    )
    return PurchasesPublic(items=items, next_cursor=next_cursor)


@router.get("/purchases/{purchase_id}", response_model=PurchasePublic)
async def read_purchase(
    request: Request, session: SessionDep, principal: CurrentPrincipal, purchase_id: IdPath
) -> PurchasePublic:
    return await service.get_purchase_or_raise(
        session, purchase_id=purchase_id, principal=principal, base_currency=_ledger(request).base_currency
    )


@router.post("/purchases/{purchase_id}/cancel", response_model=PurchasePublic)
async def cancel_purchase(
    request: Request, session: SessionDep, principal: CurrentPrincipal, purchase_id: IdPath, body: CancelRequest
) -> PurchasePublic:
    """Cancel the whole bill; stock comes back. A second cancellation is a 409."""
    await service.cancel_purchase(session, purchase_id=purchase_id, reason=body.reason)
    return await service.get_purchase_or_raise(
        session, purchase_id=purchase_id, principal=principal, base_currency=_ledger(request).base_currency
    )


@router.post("/purchases/{purchase_id}/returns", response_model=PurchasePublic)
async def return_purchase_lines(
    request: Request, session: SessionDep, principal: CurrentPrincipal, purchase_id: IdPath, body: ReturnRequest
) -> PurchasePublic:
    """Return part of one or more lines; never more than was bought and not yet returned."""
    await service.return_lines(session, purchase_id=purchase_id, data=body)
    return await service.get_purchase_or_raise(
        session, purchase_id=purchase_id, principal=principal, base_currency=_ledger(request).base_currency
    )


@router.post("/purchases/{purchase_id}/abandon", response_model=AbandonPublic)
async def abandon_purchase(session: SessionDep, purchase_id: IdPath) -> AbandonPublic:
    """Fence a purchase id off (services only: the loyalty service, before it releases a reservation).

    ``abandoned``: no bill has the id and none can take it now (a late bill with it fails);
    ``recorded``: a bill has it. Asking again gives the same answer.
    """
    outcome = await service.abandon_purchase(session, purchase_id=purchase_id)
    return AbandonPublic(purchase_id=purchase_id, outcome=outcome)


@router.get("/customers/{customer_id}/purchases", response_model=PurchasesPublic)
async def customer_purchase_history(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    customer_id: IdPath,
    purchased_from: IsoDateTime | None = None,
    purchased_to: IsoDateTime | None = None,
) -> PurchasesPublic:
    """A customer's bills with lines, product details and totals, newest first."""
    if principal.kind is PrincipalKind.CUSTOMER and principal.customer_id != customer_id:
        raise NotFound(f"customer {customer_id} does not exist")
    await get_customer_or_raise(session, customer_id=customer_id)
    filters = {"customer_id": customer_id, "purchased_from": purchased_from, "purchased_to": purchased_to}
    items, next_cursor = await service.list_purchases(
        session, filters=filters, page=page, principal=principal, base_currency=_ledger(request).base_currency
    )
    return PurchasesPublic(items=items, next_cursor=next_cursor)
