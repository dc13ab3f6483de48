"""Customer rules: unique usernames, derived age bands, the active/inactive lifecycle, safe deletion."""

from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.contracts.customer import (
    CustomerCreated,
    CustomerDeactivated,
    CustomerDeleted,
    CustomerReactivated,
    CustomerUpdated,
)
from services.customer.base import RecordStatus
from services.customer.customers.models import Customer
from services.customer.customers.schemas import CustomerCreate, CustomerPublic, CustomerSort, CustomerUpdate
from services.customer.outbox import outbox
from services.customer.purchases.models import Purchase
from services.customer.stores.service import ensure_store_exists
from services.kit.clock import utcnow
from services.kit.db import table_of
from services.kit.errors import Conflict, FieldError, InvalidInput, NotFound
from services.kit.integrity import raise_for_unique
from services.kit.pagination import PageParams, SortKey, paginate

_UNIQUE_FIELDS = {
    "uq_customer_username": ("body.username", "username is taken"),
    "uq_customer_external_ref": ("body.external_ref", "another customer has this external reference"),
}


def age_on(birth_date: date | None, today: date) -> int | None:
    if birth_date is None:
        return None
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


def age_band(age: int | None) -> str | None:
    """Ten-year bands: ``under 10``, ``10-19`` ... ``50-59``, ``60 and above``."""
    if age is None:
        return None
    if age < 10:
        return "under 10"
    if age >= 60:
        return "60 and above"
    low = age // 10 * 10
    return f"{low}-{low + 9}"


def to_public(customer: Customer, today: date) -> CustomerPublic:
    age = age_on(customer.birth_date, today)
    return CustomerPublic.model_validate(
        {**customer.model_dump(), "age": age, "age_band": age_band(age)},
    )


def _attributes(customer: Customer) -> dict[str, Any]:
    """The customer's non-identifying attributes, as events carry them."""
    return {
        "customer_id": customer.id,
        "external_ref": customer.external_ref,
        "gender": customer.gender,
        "age_band": age_band(age_on(customer.birth_date, utcnow().date())),
        "city": customer.city,
        "state": customer.state,
        "country": customer.country,
        "continent": customer.continent,
        "city_id": customer.city_id,
        "home_store_id": customer.home_store_id,
        "marketing_consent": customer.marketing_consent,
        "status": customer.status,
    }


async def get_customer_or_raise(session: AsyncSession, *, customer_id: int, for_update: bool = False) -> Customer:
    statement = select(Customer).where(col(Customer.id) == customer_id)
    if for_update:
        statement = statement.with_for_update()
    customer = (await session.execute(statement)).scalar_one_or_none()
    if customer is None:
        raise NotFound(f"customer {customer_id} does not exist")
    return customer


async def _flush(session: AsyncSession) -> None:
    try:
        await session.flush()
    except IntegrityError as exc:
        raise_for_unique(exc, _UNIQUE_FIELDS)
        raise


async def create_customer(session: AsyncSession, *, data: CustomerCreate) -> Customer:
    if data.home_store_id is not None:
        await ensure_store_exists(session, store_id=data.home_store_id, field="body.home_store_id")
    customer = Customer(**data.model_dump())
    session.add(customer)
    await _flush(session)
    await session.refresh(customer)
    await outbox.add(session, CustomerCreated(**_attributes(customer)))
    return customer


async def update_customer(
    session: AsyncSession, *, customer_id: int, data: CustomerUpdate, by_service: bool = False
) -> Customer:
    """Change the fields sent. A customer who signs in keeps their username unless a service (the
    gateway, which holds their credentials) changes it: anyone else gets a 409 on ``body.username``."""
    customer = await get_customer_or_raise(session, customer_id=customer_id, for_update=True)
    changes = data.model_dump(exclude_unset=True)
    if await _erased(session, customer_id=customer_id):
        raise Conflict(
            f"customer {customer_id} was erased: their profile holds no personal data again",
            errors=[FieldError("customer_id", "the customer was erased", "erased")],
        )
    if customer.has_sign_in and not by_service and "username" in changes and changes["username"] != customer.username:
        raise Conflict(
            "this customer signs in with their username: it changes only through their own account",
            errors=[FieldError("body.username", "the customer signs in with it; they change it themselves", "sign_in")],
        )
    if "has_sign_in" in changes and changes["has_sign_in"] is None:
        raise InvalidInput.field("body.has_sign_in", "may not be null")
    if changes.get("home_store_id") is not None:
        await ensure_store_exists(session, store_id=changes["home_store_id"], field="body.home_store_id")
    if "name" in changes and changes["name"] is None:
        changes.pop("name")  # a customer always keeps a name; null means "unchanged" here
    if "marketing_consent" in changes and changes["marketing_consent"] is None:
        raise InvalidInput.field("body.marketing_consent", "may not be null")
    if "custom_attributes" in changes and changes["custom_attributes"] is None:
        changes["custom_attributes"] = {}
    for key, value in changes.items():
        setattr(customer, key, value)
    await _flush(session)
    await session.refresh(customer)
    await outbox.add(session, CustomerUpdated(**_attributes(customer)))
    return customer


async def set_status(session: AsyncSession, *, customer_id: int, status: RecordStatus) -> tuple[Customer, bool]:
    """Set the status; return the customer and whether anything changed (repeats are harmless)."""
    customer = await get_customer_or_raise(session, customer_id=customer_id, for_update=True)
    changed = customer.status != status
    if changed:
        customer.status = status
        await session.flush()
        await session.refresh(customer)
        event = CustomerReactivated if status == RecordStatus.ACTIVE else CustomerDeactivated
        await outbox.add(session, event(customer_id=customer_id))
    return customer, changed


async def delete_customer(session: AsyncSession, *, customer_id: int) -> None:
    customer = await get_customer_or_raise(session, customer_id=customer_id, for_update=True)
    if await _has_purchases(session, customer_id=customer_id):
        raise Conflict(
            f"customer {customer_id} has purchases and cannot be deleted; erase the customer instead",
            erasure=f"/api/v1/privacy/customers/{customer_id}/erasure",
        )
    await session.delete(customer)
    await session.flush()
    await outbox.add(session, CustomerDeleted(customer_id=customer_id))


async def _erased(session: AsyncSession, *, customer_id: int) -> bool:
    statement = text(
        "SELECT EXISTS (SELECT FROM customer.privacy_request WHERE customer_id = :id AND kind = 'erasure')"
    )
    return bool((await session.execute(statement, {"id": customer_id})).scalar_one())


async def _has_purchases(session: AsyncSession, *, customer_id: int) -> bool:

    statement = select(func.count()).select_from(Purchase).where(col(Purchase.customer_id) == customer_id).limit(1)
    return bool((await session.execute(statement)).scalar_one())


SORTS = {
    CustomerSort.ID: SortKey("id", table_of(Customer).c.id),
    CustomerSort.ID_DESC: SortKey("-id", table_of(Customer).c.id, descending=True),
    CustomerSort.NAME: SortKey("name", func.coalesce(table_of(Customer).c.name, ""), table_of(Customer).c.id),
    CustomerSort.NAME_DESC: SortKey(
        "-name", func.coalesce(table_of(Customer).c.name, ""), table_of(Customer).c.id, descending=True
    ),
    CustomerSort.CREATED_AT: SortKey("created_at", table_of(Customer).c.created_at, table_of(Customer).c.id),
    CustomerSort.CREATED_AT_DESC: SortKey(
        "-created_at", table_of(Customer).c.created_at, table_of(Customer).c.id, descending=True
    ),
}


def customer_filters(statement: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    columns = table_of(Customer).c
    if filters.get("ids") is not None:
        statement = statement.where(columns.id.in_(sorted(set(filters["ids"]))))
    for name in (
        "status",
        "gender",
        "city",
        "state",
        "country",
        "continent",
        "city_id",
        "home_store_id",
        "marketing_consent",
        "external_ref",
        "username",
        "email",
    ):
        value = filters.get(name)
        if value is not None:
            statement = statement.where(columns[name] == value)
    if filters.get("q"):
        pattern = "%" + filters["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        statement = statement.where(
            or_(columns.name.ilike(pattern), columns.email.ilike(pattern), columns.username.ilike(pattern))
        )
    if filters.get("created_from") is not None:
        statement = statement.where(columns.created_at >= filters["created_from"])
    if filters.get("created_to") is not None:
        statement = statement.where(columns.created_at < filters["created_to"])
    return statement


async def list_customers(
    session: AsyncSession, *, filters: dict[str, Any], sort: CustomerSort, page: PageParams
) -> tuple[list[Customer], str | None]:
    statement = customer_filters(select(Customer), filters)
    return await paginate(session, statement, sort=SORTS[sort], params=page)
