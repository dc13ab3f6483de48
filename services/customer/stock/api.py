"""HTTP routes for the stock ledger and restock suggestions."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, status

from services.customer.products.service import get_product_or_raise
from services.customer.stock import service
from services.customer.stock.schemas import (
    Adjustment,
    MovementKind,
    MovementPublic,
    MovementsPublic,
    Restock,
    RestockSuggestion,
    RestockSuggestions,
    StockLevel,
)
from services.kit.api import IdPath
from services.kit.clock import utcnow
from services.kit.db import SessionDep
from services.kit.errors import InvalidInput
from services.kit.pagination import PageDep

router = APIRouter(prefix="/products", tags=["stock"])


async def _level(session: SessionDep, product_id: int) -> StockLevel:
    product = await get_product_or_raise(session, product_id=product_id)
    ledger = await service.ledger_sum(session, product_id=product_id)
    return StockLevel(
        product_id=product_id, track_stock=product.track_stock, stock_quantity=product.stock_quantity, ledger_sum=ledger
    )


@router.get("/restock-suggestions", response_model=RestockSuggestions)
async def restock_suggestions(
    request: Request,
    session: SessionDep,
    cover_days: Annotated[int | None, Query(ge=1, le=3650, description="List products under this cover.")] = None,
    target_days: Annotated[int | None, Query(ge=1, le=3650, description="Suggest enough for this cover.")] = None,
) -> RestockSuggestions:
    """Days of cover from the last 30 days' net sales, for the products under the cover asked."""
    settings = request.app.state.settings
    cover = cover_days or settings.restock_cover_days
    target = target_days or max(settings.restock_target_days, cover)
    rows = await service.restock_suggestions(session, now=utcnow(), cover_days=cover, target_days=target)
    return RestockSuggestions(
        cover_days=cover, target_days=target, items=[RestockSuggestion.model_validate(row) for row in rows]
    )


@router.get("/{product_id}/stock", response_model=StockLevel)
async def read_stock(session: SessionDep, product_id: IdPath) -> StockLevel:
    return await _level(session, product_id)


@router.post("/{product_id}/stock/restocks", status_code=status.HTTP_201_CREATED, response_model=StockLevel)
async def restock(session: SessionDep, product_id: IdPath, body: Restock) -> StockLevel:
    await service.change_stock(
        session, product_id=product_id, quantity=body.quantity, kind=MovementKind.RESTOCK.value, reason=body.reason
    )
    return await _level(session, product_id)


@router.post("/{product_id}/stock/adjustments", status_code=status.HTTP_201_CREATED, response_model=StockLevel)
async def adjust_stock(session: SessionDep, product_id: IdPath, body: Adjustment) -> StockLevel:
    if body.quantity == 0:
        raise InvalidInput.field("body.quantity", "an adjustment changes the quantity; zero changes nothing", "zero")
    await service.change_stock(
        session, product_id=product_id, quantity=body.quantity, kind=MovementKind.ADJUSTMENT.value, reason=body.reason
    )
    return await _level(session, product_id)


@router.get("/{product_id}/stock/movements", response_model=MovementsPublic)
async def list_stock_movements(session: SessionDep, product_id: IdPath, page: PageDep) -> MovementsPublic:
    await get_product_or_raise(session, product_id=product_id)
    rows, next_cursor = await service.list_movements(session, product_id=product_id, page=page)
    return MovementsPublic(items=[MovementPublic.model_validate(row) for row in rows], next_cursor=next_cursor)
