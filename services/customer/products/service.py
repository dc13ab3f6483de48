"""Product rules: unique SKUs, non-negative money, the active/inactive lifecycle, safe deletion."""

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.contracts.customer import ProductCreated, ProductUpdated
from services.customer.base import RecordStatus
from services.customer.outbox import outbox
from services.customer.products.models import Product
from services.customer.products.schemas import (
    CatalogueItem,
    ProductCreate,
    ProductPublic,
    ProductSort,
    ProductUpdate,
)
from services.customer.purchases.models import PurchaseLine
from services.kit.db import table_of
from services.kit.errors import Conflict, InvalidInput, NotFound
from services.kit.integrity import raise_for_unique
from services.kit.pagination import PageParams, SortKey, paginate

_UNIQUE_FIELDS = {
    "uq_product_sku": ("body.sku", "another product has this SKU"),
    "uq_product_external_ref": ("body.external_ref", "another product has this external reference"),
}
_NOT_NULL = ("sku", "name", "own_brand", "unit_cost", "unit_price", "track_stock")

_c = table_of(Product).c
SORTS = {
    ProductSort.ID: SortKey("id", _c.id),
    ProductSort.SKU: SortKey("sku", _c.sku),
    ProductSort.NAME: SortKey("name", _c.name, _c.id),
    ProductSort.PRICE: SortKey("unit_price", _c.unit_price, _c.id),
    ProductSort.PRICE_DESC: SortKey("-unit_price", _c.unit_price, _c.id, descending=True),
}


def _attributes(product: Product, currency: str) -> dict[str, Any]:
    return {
        "product_id": product.id,
        **{name: getattr(product, name) for name in _ANNOUNCED},
        "currency": currency,
    }


_ANNOUNCED = (
    "sku",
    "name",
    "brand",
    "own_brand",
    "colour",
    "category",
    "subcategory",
    "unit_cost",
    "unit_price",
    "track_stock",
    "status",
)


def to_public(product: Product, currency: str) -> ProductPublic:
    return ProductPublic.model_validate({**product.model_dump(), "currency": currency})


def to_catalogue(product: Product, currency: str) -> CatalogueItem:
    """The customer's view: no cost, no external reference, no stock level, only whether it is available."""
    return CatalogueItem.model_validate(
        {
            **product.model_dump(include=set(CatalogueItem.model_fields) - {"currency", "available"}),
            "currency": currency,
            "available": not product.track_stock or product.stock_quantity > 0,
        }
    )


async def get_product_or_raise(session: AsyncSession, *, product_id: int, for_update: bool = False) -> Product:
    statement = select(Product).where(col(Product.id) == product_id)
    if for_update:
        statement = statement.with_for_update()
    product = (await session.execute(statement)).scalar_one_or_none()
    if product is None:
        raise NotFound(f"product {product_id} does not exist")
    return product


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise_for_unique(exc, _UNIQUE_FIELDS)
        raise


async def create_product(session: AsyncSession, *, data: ProductCreate, currency: str) -> Product:
    product = Product(**data.model_dump())
    session.add(product)
    await _flush(session)
    await session.refresh(product)
    await outbox.add(session, ProductCreated(**_attributes(product, currency)))
    return product


async def update_product(session: AsyncSession, *, product_id: int, data: ProductUpdate, currency: str) -> Product:
    product = await get_product_or_raise(session, product_id=product_id, for_update=True)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    for name in _NOT_NULL:
        if name in changes and changes[name] is None:
            raise InvalidInput.field(f"body.{name}", "may not be null")
    for key, value in changes.items():
        setattr(product, key, value)
    await _flush(session)
    await session.refresh(product)
    await outbox.add(session, ProductUpdated(**_attributes(product, currency)))
    return product


async def set_status(session: AsyncSession, *, product_id: int, status: RecordStatus, currency: str) -> Product:
    product = await get_product_or_raise(session, product_id=product_id, for_update=True)
    if product.status != status:
        product.status = status
        await session.flush()
        await session.refresh(product)
        await outbox.add(session, ProductUpdated(**_attributes(product, currency)))
    return product


async def delete_product(session: AsyncSession, *, product_id: int) -> None:
    product = await get_product_or_raise(session, product_id=product_id, for_update=True)
    sold = (await session.execute(select(exists().where(col(PurchaseLine.product_id) == product_id)))).scalar_one()
    if sold:
        raise Conflict(f"product {product_id} appears on purchases and cannot be deleted; deactivate it instead")
    await session.delete(product)
    await session.flush()


async def list_products(
    session: AsyncSession, *, filters: dict[str, Any], sort: ProductSort, page: PageParams
) -> tuple[list[Product], str | None]:
    statement = select(Product)
    for name in ("status", "brand", "category", "subcategory", "own_brand", "track_stock", "sku"):
        if filters.get(name) is not None:
            statement = statement.where(_c[name] == filters[name])
    if filters.get("q"):
        pattern = "%" + filters["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(_c.name.ilike(pattern) | _c.sku.ilike(pattern))
    return await paginate(session, statement, sort=SORTS[sort], params=page)
