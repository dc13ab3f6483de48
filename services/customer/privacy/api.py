"""HTTP routes for privacy: export a customer's data, erase a customer, read the audit of both."""

from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response, status

from services.customer.privacy import service
from services.customer.privacy.models import PrivacyRequest
from services.customer.privacy.schemas import (
    ErasurePublic,
    ExportDocument,
    PrivacyRequestPublic,
    PrivacyRequestsPublic,
    RequestKind,
    RequestState,
    ServiceErasure,
)
from services.kit.api import MAX_ID, IdPath
from services.kit.db import SessionDep
from services.kit.errors import Conflict, NotFound
from services.kit.jobs import Scheduler
from services.kit.pagination import PageDep
from services.kit.principal import CurrentPrincipal

router = APIRouter(prefix="/privacy", tags=["privacy"])


def _public(request: PrivacyRequest) -> PrivacyRequestPublic:
    return PrivacyRequestPublic.model_validate(request)


def _wake(request: Request, background: BackgroundTasks) -> None:
    scheduler: Scheduler | None = getattr(request.app.state, "scheduler", None)
    if scheduler is not None:
        background.add_task(scheduler.wake)  # after the response, so after the request and its run are committed


@router.post(
    "/customers/{customer_id}/exports", status_code=status.HTTP_202_ACCEPTED, response_model=PrivacyRequestPublic
)
async def export_customer(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    session: SessionDep,
    principal: CurrentPrincipal,
    customer_id: IdPath,
) -> PrivacyRequestPublic:
    """Export everything Patron holds about a customer (a job).

    The export gathers each service's part (customer record, bills and lines, rewards, wallet, analytics
    attributes and segments, credentials metadata without secrets) into one JSON document, labelled per
    service; follow it at the returned id and download the document once it is `done`. A customer may
    export their own data."""
    export = await service.request_export(session, customer_id=customer_id, principal=principal)
    _wake(request, background)
    response.headers["Location"] = f"/api/v1/privacy/customers/{customer_id}/exports/{export.id}"
    return _public(export)


@router.get("/customers/{customer_id}/exports/{export_id}", response_model=PrivacyRequestPublic)
async def read_export(session: SessionDep, customer_id: IdPath, export_id: IdPath) -> PrivacyRequestPublic:
    """Read an export: its state (`queued`, `running`, `done`, `failed`) and outcome."""
    export = await service.get_request_or_raise(
        session, request_id=export_id, kind=RequestKind.EXPORT, customer_id=customer_id
    )
    return _public(export)


@router.get("/customers/{customer_id}/exports/{export_id}/document", response_model=ExportDocument)
async def download_export(session: SessionDep, customer_id: IdPath, export_id: IdPath) -> ExportDocument:
    """Download an export's document: one part per service holding data about the customer.

    409 while the export is not done, or once its document was deleted at the end of the retention."""
    export = await service.get_request_or_raise(
        session, request_id=export_id, kind=RequestKind.EXPORT, customer_id=customer_id
    )
    if export.state != RequestState.DONE or export.document is None:
        raise Conflict(
            f"export {export_id} has no document"
            + (" (deleted at the end of the retention)" if export.state == RequestState.DONE else f" ({export.state})")
        )
    return ExportDocument.model_validate(export.document)


@router.post(
    "/customers/{customer_id}/erasure",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=ErasurePublic,
    responses={200: {"model": ErasurePublic, "description": "The customer was erased before: that erasure."}},
)
async def erase_customer(
    request: Request,
    response: Response,
    background: BackgroundTasks,
    session: SessionDep,
    principal: CurrentPrincipal,
    customer_id: IdPath,
) -> ErasurePublic:
    """Erase a customer's personal data in every service.

    Here at once: name, email, phone, username, birth date, postcode and custom attributes are cleared,
    and the customer can no longer sign in. The `customer.erased` event carries it to the other services
    (a service down now applies it when it returns), and the gateway deletes the credentials. Bills,
    rewards and wallet entries stay, anonymous, so no sales, loyalty or analytics figure changes. Asking
    again returns the same erasure (200)."""
    erasure, created = await service.erase_customer(session, customer_id=customer_id, principal=principal)
    _wake(request, background)
    if not created:
        response.status_code = status.HTTP_200_OK
    response.headers["Location"] = f"/api/v1/privacy/customers/{customer_id}/erasure"
    return await _erasure_public(request, erasure)


@router.get("/customers/{customer_id}/erasure", response_model=ErasurePublic)
async def read_erasure(request: Request, session: SessionDep, customer_id: IdPath) -> ErasurePublic:
    """Read a customer's erasure and where each service stands with it."""
    erasure = await service.erasure_of(session, customer_id=customer_id)
    if erasure is None:
        raise NotFound(f"customer {customer_id} was not erased")
    return await _erasure_public(request, erasure)


async def _erasure_public(request: Request, erasure: PrivacyRequest) -> ErasurePublic:
    progress = await service.erasure_progress(service.Services(request.app.state.privacy_clients), erasure)
    return ErasurePublic(
        **_public(erasure).model_dump(),
        services=[ServiceErasure(service=name, state=state) for name, state in progress.items()],
    )


@router.get("/requests", response_model=PrivacyRequestsPublic)
async def list_privacy_requests(
    session: SessionDep,
    page: PageDep,
    kind: RequestKind | None = None,
    customer_id: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
) -> PrivacyRequestsPublic:
    """List every export and erasure, newest first: who asked, when, which customer, the outcome."""
    rows, next_cursor = await service.list_requests(session, kind=kind, customer_id=customer_id, page=page)
    return PrivacyRequestsPublic(items=[_public(row) for row in rows], next_cursor=next_cursor)
