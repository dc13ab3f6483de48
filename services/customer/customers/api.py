"""HTTP routes for customers."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status
from pydantic import Field

from services.customer.base import RecordStatus
from services.customer.customers import service
from services.customer.customers.schemas import (
    CustomerCreate,
    CustomerPublic,
    CustomerSort,
    CustomersPublic,
    CustomerUpdate,
    Gender,
    fields_closed_to_customers,
)
from services.kit.api import MAX_ID, IdPath, IsoDateTime
from services.kit.clock import business_today
from services.kit.db import SessionDep
from services.kit.errors import InvalidInput
from services.kit.pagination import MAX_LIMIT, PageDep
from services.kit.principal import CurrentPrincipal, Principal, PrincipalKind

router = APIRouter(prefix="/customers", tags=["customers"])

MAX_IDS = MAX_LIMIT  # a page of customers named by id in one call


def _today(request: Request) -> date:
    return business_today(request.app.state.settings.business_timezone)


def _sign_in_by_service_only(principal: Principal, body: CustomerCreate | CustomerUpdate) -> None:
    """Only a service (the gateway, which keeps the credentials) says whether a customer signs in."""
    if "has_sign_in" in body.model_fields_set and principal.kind is not PrincipalKind.SERVICE:
        raise InvalidInput.field("body.has_sign_in", "set by the gateway only, when a customer gets credentials")


@router.post("", status_code=status.HTTP_201_CREATED, response_model=CustomerPublic)
async def create_customer(
    request: Request, session: SessionDep, principal: CurrentPrincipal, body: CustomerCreate
) -> CustomerPublic:
    _sign_in_by_service_only(principal, body)
    customer = await service.create_customer(session, data=body)
    return service.to_public(customer, _today(request))


@router.get("", response_model=CustomersPublic)
async def list_customers(
    request: Request,
    session: SessionDep,
    page: PageDep,
    sort: CustomerSort = CustomerSort.ID,
    ids: Annotated[
        list[Annotated[int, Field(ge=0, le=MAX_ID)]] | None,
        Query(
            alias="id",
            max_length=MAX_IDS,
            description=(
                f"Only these customers (repeat the parameter: `id=3&id=9`, at most {MAX_IDS}). Ids of "
                "customers that do not exist (or were deleted) are left out, not refused."
            ),
        ),
    ] = None,
    status: RecordStatus | None = None,
    gender: Gender | None = None,
    city: Annotated[str | None, Query(max_length=200)] = None,
    state: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=100)] = None,
    continent: Annotated[str | None, Query(max_length=100)] = None,
    city_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    home_store_id: Annotated[int | None, Query(ge=0, le=2**62)] = None,
    marketing_consent: bool | None = None,
    external_ref: Annotated[str | None, Query(max_length=200)] = None,
    username: Annotated[str | None, Query(max_length=64)] = None,
    email: Annotated[str | None, Query(max_length=320, description="The exact email (any case).")] = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name, email or username.")] = None,
    created_from: IsoDateTime | None = None,
    created_to: IsoDateTime | None = None,
) -> CustomersPublic:
    filters = {
        "ids": ids,
        "status": status,
        "gender": gender,
        "city": city,
        "state": state,
        "country": country,
        "continent": continent,
        "city_id": city_id,
        "home_store_id": home_store_id,
        "marketing_consent": marketing_consent,
        "external_ref": external_ref,
        "username": username.strip().lower() if username else None,
        "email": email.strip().lower() if email else None,
        "q": q,
        "created_from": created_from,
        "created_to": created_to,
    }
    rows, next_cursor = await service.list_customers(session, filters=filters, sort=sort, page=page)
    today = _today(request)
    return CustomersPublic(items=[service.to_public(row, today) for row in rows], next_cursor=next_cursor)


@router.get("/{customer_id}", response_model=CustomerPublic)
async def read_customer(request: Request, session: SessionDep, customer_id: IdPath) -> CustomerPublic:
    customer = await service.get_customer_or_raise(session, customer_id=customer_id)
    return service.to_public(customer, _today(request))


@router.patch("/{customer_id}", response_model=CustomerPublic)
async def update_customer(
    request: Request, session: SessionDep, principal: CurrentPrincipal, customer_id: IdPath, body: CustomerUpdate
) -> CustomerPublic:
    """Change the fields sent; customers change their own contact details, demographics and consent only.
    The username of a customer who signs in (`has_sign_in`) changes only through their own account at
    the gateway (`PUT /api/v1/auth/customers/me/username`), which keeps their sign-in in step."""
    if principal.kind is PrincipalKind.CUSTOMER:
        closed = sorted(fields_closed_to_customers(body))
        if closed:
            raise InvalidInput.field(f"body.{closed[0]}", "a customer cannot change this field of their profile")
    _sign_in_by_service_only(principal, body)
    customer = await service.update_customer(
        session, customer_id=customer_id, data=body, by_service=principal.kind is PrincipalKind.SERVICE
    )
    return service.to_public(customer, _today(request))


@router.post("/{customer_id}/deactivate", response_model=CustomerPublic)
async def deactivate_customer(request: Request, session: SessionDep, customer_id: IdPath) -> CustomerPublic:
    customer, _ = await service.set_status(session, customer_id=customer_id, status=RecordStatus.INACTIVE)
    return service.to_public(customer, _today(request))


@router.post("/{customer_id}/reactivate", response_model=CustomerPublic)
async def reactivate_customer(request: Request, session: SessionDep, customer_id: IdPath) -> CustomerPublic:
    customer, _ = await service.set_status(session, customer_id=customer_id, status=RecordStatus.ACTIVE)
    return service.to_public(customer, _today(request))


@router.delete("/{customer_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_customer(session: SessionDep, customer_id: IdPath) -> Response:
    await service.delete_customer(session, customer_id=customer_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
