"""HTTP routes for products."""

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from services.customer.base import RecordStatus
from services.customer.products import service
from services.customer.products.schemas import (
    CatalogueItem,
    CataloguePage,
    ProductCreate,
    ProductPublic,
    ProductSort,
    ProductsPublic,
    ProductUpdate,
)
from services.kit.api import IdPath, segment_except
from services.kit.db import SessionDep
from services.kit.errors import NotFound
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal, PrincipalKind

router = APIRouter(prefix="/products", tags=["products"])
# /products/restock-suggestions (in the stock routes) is not a product.
_PRODUCT_ID = segment_except("restock-suggestions")


def _currency(request: Request) -> str:
    return str(request.app.state.settings.base_currency)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=ProductPublic)
async def create_product(request: Request, session: SessionDep, body: ProductCreate) -> ProductPublic:
    return service.to_public(
        await service.create_product(session, data=body, currency=_currency(request)), _currency(request)
    )


@router.get("", response_model=ProductsPublic | CataloguePage)
async def list_products(
    request: Request,
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    sort: ProductSort = ProductSort.ID,
    status: RecordStatus | None = None,
    brand: Annotated[str | None, Query(max_length=200)] = None,
    category: Annotated[str | None, Query(max_length=200)] = None,
    subcategory: Annotated[str | None, Query(max_length=200)] = None,
    own_brand: bool | None = None,
    track_stock: bool | None = None,
    sku: Annotated[str | None, Query(max_length=64)] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name or SKU.")] = None,
) -> ProductsPublic | CataloguePage:
    """Products; a customer gets the active catalogue, each product without its costs or stock."""
    customer = principal.kind is PrincipalKind.CUSTOMER
    if customer:
        status = RecordStatus.ACTIVE
    filters = {
        "status": status,
        "brand": brand,
        "category": category,
        "subcategory": subcategory,
        "own_brand": own_brand,
        "track_stock": track_stock,
        "sku": sku,
        "q": q,
    }
    rows, next_cursor = await service.list_products(session, filters=filters, sort=sort, page=page)
    currency = _currency(request)
    if customer:
        return CataloguePage(items=[service.to_catalogue(row, currency) for row in rows], next_cursor=next_cursor)
    return ProductsPublic(items=[service.to_public(row, currency) for row in rows], next_cursor=next_cursor)


@router.get(f"/{{product_id:{_PRODUCT_ID}}}", response_model=ProductPublic | CatalogueItem)
async def read_product(
    request: Request, session: SessionDep, principal: CurrentPrincipal, product_id: IdPath
) -> ProductPublic | CatalogueItem:
    """One product; a customer reads active products only, without their costs or stock."""
    product = await service.get_product_or_raise(session, product_id=product_id)
    if principal.kind is PrincipalKind.CUSTOMER:
        if product.status != RecordStatus.ACTIVE:
            raise NotFound(f"product {product_id} does not exist")
        return service.to_catalogue(product, _currency(request))
    return service.to_public(product, _currency(request))


@router.patch(f"/{{product_id:{_PRODUCT_ID}}}", response_model=ProductPublic)
async def update_product(
    request: Request, session: SessionDep, product_id: IdPath, body: ProductUpdate
) -> ProductPublic:
    product = await service.update_product(session, product_id=product_id, data=body, currency=_currency(request))
    return service.to_public(product, _currency(request))


@router.post(f"/{{product_id:{_PRODUCT_ID}}}/deactivate", response_model=ProductPublic)
async def deactivate_product(request: Request, session: SessionDep, product_id: IdPath) -> ProductPublic:
    product = await service.set_status(
        session, product_id=product_id, status=RecordStatus.INACTIVE, currency=_currency(request)
    )
    return service.to_public(product, _currency(request))


@router.post(f"/{{product_id:{_PRODUCT_ID}}}/reactivate", response_model=ProductPublic)
async def reactivate_product(request: Request, session: SessionDep, product_id: IdPath) -> ProductPublic:
    product = await service.set_status(
        session, product_id=product_id, status=RecordStatus.ACTIVE, currency=_currency(request)
    )
    return service.to_public(product, _currency(request))


@router.delete(f"/{{product_id:{_PRODUCT_ID}}}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_product(session: SessionDep, product_id: IdPath) -> Response:
    await service.delete_product(session, product_id=product_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
