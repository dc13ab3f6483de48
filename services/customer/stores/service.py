"""Store rules: the online shop is store 0 and always exists."""

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.contracts.customer import StoreCreated, StoreUpdated
from services.customer.outbox import outbox
from services.customer.stores.models import ONLINE_STORE_ID, Store
from services.customer.stores.schemas import StoreCreate, StoreSort, StoreUpdate
from services.kit.db import table_of
from services.kit.errors import Conflict, InvalidInput, NotFound
from services.kit.integrity import raise_for_unique
from services.kit.pagination import PageParams, SortKey, paginate

_UNIQUE_FIELDS = {"uq_store_external_ref": ("body.external_ref", "another store has this external reference")}

SORTS = {
    StoreSort.ID: SortKey("id", table_of(Store).c.id),
    StoreSort.NAME: SortKey("name", table_of(Store).c.name, table_of(Store).c.id),
}


def _attributes(store: Store) -> dict[str, Any]:
    names = ("name", "online", "country", "state", "square_metres", "opened_on", "status")
    return {"store_id": store.id, **{name: getattr(store, name) for name in names}}


async def get_store_or_raise(session: AsyncSession, *, store_id: int, for_update: bool = False) -> Store:
    statement = select(Store).where(col(Store.id) == store_id)
    if for_update:
        statement = statement.with_for_update()
    store = (await session.execute(statement)).scalar_one_or_none()
    if store is None:
        raise NotFound(f"store {store_id} does not exist")
    return store


async def ensure_store_exists(session: AsyncSession, *, store_id: int, field: str) -> None:
    """A reference to a store in a request body: an unknown one is the client's 422, naming the field."""
    found = (await session.execute(select(func.count()).where(col(Store.id) == store_id))).scalar_one()
    if not found:
        raise InvalidInput.field(field, f"store {store_id} does not exist", "unknown")


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise_for_unique(exc, _UNIQUE_FIELDS)
        raise


async def create_store(session: AsyncSession, *, data: StoreCreate) -> Store:
    store = Store(**data.model_dump())
    session.add(store)
    await _flush(session)
    await session.refresh(store)
    await outbox.add(session, StoreCreated(**_attributes(store)))
    return store


async def update_store(session: AsyncSession, *, store_id: int, data: StoreUpdate) -> Store:
    store = await get_store_or_raise(session, store_id=store_id, for_update=True)
    changes: dict[str, Any] = data.model_dump(exclude_unset=True)
    if changes.get("name", "") is None or changes.get("status", "") is None:
        raise InvalidInput.field("body.name" if "name" in changes else "body.status", "may not be null")
    if store.id == ONLINE_STORE_ID and changes.get("status") not in (None, store.status):
        raise Conflict("the online shop (store 0) cannot be deactivated")
    for key, value in changes.items():
        setattr(store, key, value)
    await _flush(session)
    await session.refresh(store)
    await outbox.add(session, StoreUpdated(**_attributes(store)))
    return store


async def list_stores(
    session: AsyncSession, *, filters: dict[str, Any], sort: StoreSort, page: PageParams
) -> tuple[list[Store], str | None]:
    statement = select(Store)
    columns = table_of(Store).c
    for name in ("country", "state", "online", "status"):
        if filters.get(name) is not None:
            statement = statement.where(columns[name] == filters[name])
    return await paginate(session, statement, sort=SORTS[sort], params=page)
