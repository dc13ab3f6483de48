"""HTTP routes for stores."""

from typing import Annotated

from fastapi import APIRouter, Query, status

from services.customer.base import RecordStatus
from services.customer.stores import service
from services.customer.stores.schemas import StoreCreate, StorePublic, StoreSort, StoresPublic, StoreUpdate
from services.kit.api import IdPath
from services.kit.db import SessionDep
from services.kit.pagination import PageDep

router = APIRouter(prefix="/stores", tags=["stores"])


@router.post("", status_code=status.HTTP_201_CREATED, response_model=StorePublic)
async def create_store(session: SessionDep, body: StoreCreate) -> StorePublic:
    return StorePublic.model_validate(await service.create_store(session, data=body))


@router.get("", response_model=StoresPublic)
async def list_stores(
    session: SessionDep,
    page: PageDep,
    sort: StoreSort = StoreSort.ID,
    country: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    online: bool | None = None,
    status: RecordStatus | None = None,
) -> StoresPublic:
    filters = {"country": country, "state": state, "online": online, "status": status}
    rows, next_cursor = await service.list_stores(session, filters=filters, sort=sort, page=page)
    return StoresPublic(items=[StorePublic.model_validate(row) for row in rows], next_cursor=next_cursor)


@router.get("/{store_id}", response_model=StorePublic)
async def read_store(session: SessionDep, store_id: IdPath) -> StorePublic:
    return StorePublic.model_validate(await service.get_store_or_raise(session, store_id=store_id))


@router.patch("/{store_id}", response_model=StorePublic)
async def update_store(session: SessionDep, store_id: IdPath, body: StoreUpdate) -> StorePublic:
    return StorePublic.model_validate(await service.update_store(session, store_id=store_id, data=body))
