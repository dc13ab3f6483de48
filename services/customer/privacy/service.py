"""Privacy requests: a customer's export gathered from every service as a job, a customer erased
everywhere (here at once, elsewhere through the ``customer.erased`` event or a call to the gateway),
and the audit list of both.

The customer service owns the requests: it asks the loyalty and analytics services and the gateway
for their parts of an export over internal HTTP, and follows an erasure until every service has
applied it. A request row names the customer by id and the requester by principal id only.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi.encoders import jsonable_encoder
from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession
from sqlmodel import col

from services.contracts.customer import CustomerErased
from services.contracts.privacy import CustomerDataPart
from services.customer.customers.service import get_customer_or_raise
from services.customer.jobs import jobs
from services.customer.outbox import outbox
from services.customer.privacy.models import PrivacyRequest
from services.customer.privacy.rules import erased_values, erasure_complete
from services.customer.privacy.schemas import RequestKind, RequestState, ServiceProgress
from services.customer.settings import CustomerSettings
from services.kit.client import ServiceClient, ServiceError
from services.kit.clock import utcnow
from services.kit.db import table_of
from services.kit.errors import NotFound
from services.kit.jobs import JobRun, OneOffJob, PeriodicJob, enqueue
from services.kit.pagination import PageParams, SortKey, paginate
from services.kit.principal import Principal
from services.kit.privacy import rows_about_customer
from services.kit.settings import ServiceSettings

log = logging.getLogger("patron.customer.privacy")

EXPORT_JOB = "privacy.export"
FOLLOW_UP_JOB = "privacy.erasure_follow_up"
FOLLOW_UP_EVERY = timedelta(seconds=5)
RETENTION_JOB = "privacy.retention"
RETENTION_EVERY = timedelta(minutes=10)
# The other services' question route, by service; the gateway's is outside the public API.
PART_PATHS = {
    "loyalty": "/api/v1/loyalty/privacy/customers/{customer_id}",
    "analytics": "/api/v1/analytics/privacy/customers/{customer_id}",
    "gateway": "/internal/privacy/customers/{customer_id}",
}
NEWEST_FIRST = SortKey("-id", table_of(PrivacyRequest).c.id, descending=True)


@dataclass
class Services:
    """Clients of the services that hold a part of a customer's data, by name."""

    clients: dict[str, ServiceClient]


@asynccontextmanager
async def service_clients(settings: CustomerSettings) -> AsyncIterator[Services]:
    urls = {"loyalty": settings.loyalty_url, "analytics": settings.analytics_url, "gateway": settings.gateway_url}
    async with AsyncExitStack() as stack:
        clients = {
            name: await stack.enter_async_context(ServiceClient.from_settings(name, url, settings, retries=1))
            for name, url in urls.items()
        }
        yield Services(clients)


# ---- the customer's own part ---------------------------------------------------------------------------


async def customer_part(session: AsyncSession, *, customer_id: int) -> CustomerDataPart:
    """What the customer service holds: the customer's row, their bills and lines, the imports that named
    them and the rows those merged into them, their privacy requests."""
    tables = await rows_about_customer(session, schema="customer", customer_id=customer_id)
    lines = await session.execute(
        text(
            "SELECT l.* FROM customer.purchase_line l JOIN customer.purchase p ON p.id = l.purchase_id"
            " WHERE p.customer_id = :id ORDER BY l.purchase_id, l.line_no"
        ),
        {"id": customer_id},
    )
    tables["purchase_line"] = [jsonable_encoder(dict(r)) for r in lines.mappings()]
    # The imports that named them: a row per import and file role, with the job's own facts.
    imports = await session.execute(
        text(
            "SELECT n.import_id, n.role, sum(n.rows) AS rows, min(n.first_row) AS first_row, j.preset, j.state,"
            " j.created_by, j.created_at, j.finished_at"
            " FROM customer.import_customer n JOIN customer.import_job j ON j.id = n.import_id"
            " WHERE n.customer_id = :id GROUP BY n.import_id, n.role, j.id ORDER BY n.import_id, n.role"
        ),
        {"id": customer_id},
    )
    tables["import_customer"] = [jsonable_encoder(dict(r)) for r in imports.mappings()]
    # The audit of the customer's requests, not the documents earlier exports produced.
    tables["privacy_request"] = [{k: v for k, v in r.items() if k != "document"} for r in tables["privacy_request"]]
    return CustomerDataPart(service="customer", customer_id=customer_id, tables=tables)


async def part_of(
    services: Services, name: str, *, customer_id: int, erasure_event: str | None = None
) -> CustomerDataPart:
    params = {"erasure_event": erasure_event} if erasure_event else None
    reply = await services.clients[name].get(PART_PATHS[name].format(customer_id=customer_id), params=params)
    return CustomerDataPart.model_validate(reply.json())


# ---- exports -------------------------------------------------------------------------------------------


async def request_export(session: AsyncSession, *, customer_id: int, principal: Principal) -> PrivacyRequest:
    await get_customer_or_raise(session, customer_id=customer_id)
    request = PrivacyRequest(kind=RequestKind.EXPORT.value, customer_id=customer_id, requested_by=principal.subject)
    session.add(request)
    await session.flush()
    await session.refresh(request)
    assert request.id is not None
    await enqueue(session, jobs, EXPORT_JOB, key=str(request.id), arguments={"request_id": request.id})
    return request


async def get_request_or_raise(
    session: AsyncSession, *, request_id: int, kind: RequestKind, customer_id: int | None = None
) -> PrivacyRequest:
    statement = select(PrivacyRequest).where(
        col(PrivacyRequest.id) == request_id, col(PrivacyRequest.kind) == kind.value
    )
    if customer_id is not None:
        statement = statement.where(col(PrivacyRequest.customer_id) == customer_id)
    request = (await session.execute(statement)).scalar_one_or_none()
    if request is None:
        raise NotFound(f"{kind.value} {request_id} does not exist")
    return request


async def run_export(engine: AsyncEngine, services: Services, *, request_id: int) -> None:
    """Gather every service's part of the customer's data into the request's document."""
    async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
        request = await session.get(PrivacyRequest, request_id, with_for_update=True)
        if request is None or request.state in (RequestState.DONE, RequestState.FAILED):
            return
        request.state = RequestState.RUNNING.value
        customer_id = request.customer_id
    async with AsyncSession(engine) as session:
        parts = {"customer": await customer_part(session, customer_id=customer_id)}
    outcome: str | None = None
    for name in PART_PATHS:
        try:
            parts[name] = await part_of(services, name, customer_id=customer_id)
        except ServiceError as exc:
            outcome = f"the {name} service did not give its part ({exc.status or 'no reply'}); ask again"
            break
    async with AsyncSession(engine) as session, session.begin():
        values: dict[str, Any] = {"finished_at": utcnow()}
        if outcome is None:
            document = {
                "export_id": request_id,
                "customer_id": customer_id,
                "generated_at": utcnow().isoformat(),
                "parts": {name: part.model_dump(mode="json") for name, part in parts.items()},
            }
            values |= {"state": RequestState.DONE.value, "document": document}
        else:
            values |= {"state": RequestState.FAILED.value, "outcome": outcome}
        await session.execute(update(PrivacyRequest).where(col(PrivacyRequest.id) == request_id).values(**values))
    log.info("export %s of customer %s: %s", request_id, customer_id, values["state"])


def _customer_settings(settings: ServiceSettings) -> CustomerSettings:
    if not isinstance(settings, CustomerSettings):
        raise TypeError(f"privacy requests run in the customer service, not with {type(settings).__name__}")
    return settings


def export_runner(engine: AsyncEngine, settings: ServiceSettings) -> OneOffJob:
    """The ``privacy.export`` job: one run per export request."""
    customer_settings = _customer_settings(settings)

    async def run(job: JobRun) -> None:
        async with service_clients(customer_settings) as services:
            await run_export(engine, services, request_id=int(job.arguments["request_id"]))

    return OneOffJob(EXPORT_JOB, run, concurrency=1)


# ---- erasures ------------------------------------------------------------------------------------------


async def erasure_of(session: AsyncSession, *, customer_id: int) -> PrivacyRequest | None:
    statement = select(PrivacyRequest).where(
        col(PrivacyRequest.customer_id) == customer_id, col(PrivacyRequest.kind) == RequestKind.ERASURE.value
    )
    return (await session.execute(statement)).scalar_one_or_none()


async def erase_customer(
    session: AsyncSession, *, customer_id: int, principal: Principal
) -> tuple[PrivacyRequest, bool]:
    """Erase the customer's personal fields here and announce it; return the erasure and whether it is new.

    Asking again for an erased customer returns the first erasure and changes nothing.
    """
    customer = await get_customer_or_raise(session, customer_id=customer_id, for_update=True)
    known = await erasure_of(session, customer_id=customer_id)
    if known is not None:
        return known, False
    for name, value in erased_values(customer.model_dump()).items():
        setattr(customer, name, value)
    request = PrivacyRequest(
        kind=RequestKind.ERASURE.value,
        customer_id=customer_id,
        requested_by=principal.subject,
        state=RequestState.RUNNING.value,
    )
    session.add(request)
    envelope = await outbox.add(session, CustomerErased(customer_id=customer_id))
    request.event_id = envelope.id
    await session.flush()
    await session.refresh(request)
    log.info("customer %s erased here (erasure %s); the other services follow", customer_id, request.id)
    return request, True


async def is_erased(session: AsyncSession, *, customer_id: int) -> bool:
    return await erasure_of(session, customer_id=customer_id) is not None


async def erasure_progress(services: Services, request: PrivacyRequest) -> dict[str, ServiceProgress]:
    """Where each service stands with the erasure: the customer service's part is done when it is asked."""
    progress = {"customer": ServiceProgress.DONE}
    for name in PART_PATHS:
        try:
            part = await part_of(services, name, customer_id=request.customer_id, erasure_event=str(request.event_id))
        except ServiceError:
            progress[name] = ServiceProgress.UNREACHABLE
            continue
        progress[name] = ServiceProgress.DONE if part.erasure_applied else ServiceProgress.PENDING
    return progress


async def follow_up_erasures(engine: AsyncEngine, services: Services) -> list[int]:
    """Have the gateway erase the credentials of each erasure still running, and mark done those every
    service has applied; a service down now is asked again at the next run. Returns the erasures done."""
    async with AsyncSession(engine) as session:
        running = (
            (
                await session.execute(
                    select(PrivacyRequest)
                    .where(col(PrivacyRequest.kind) == RequestKind.ERASURE.value)
                    .where(col(PrivacyRequest.state) == RequestState.RUNNING.value)
                    .order_by(col(PrivacyRequest.id))
                )
            )
            .scalars()
            .all()
        )
    done: list[int] = []
    for request in running:
        try:
            await services.clients["gateway"].delete(PART_PATHS["gateway"].format(customer_id=request.customer_id))
        except ServiceError:
            continue
        progress = await erasure_progress(services, request)
        if not erasure_complete(progress):
            continue
        async with AsyncSession(engine) as session, session.begin():
            await session.execute(
                update(PrivacyRequest)
                .where(col(PrivacyRequest.id) == request.id, col(PrivacyRequest.state) == RequestState.RUNNING.value)
                .values(state=RequestState.DONE.value, finished_at=utcnow())
            )
        assert request.id is not None
        done.append(request.id)
        log.info("erasure %s: every service has applied it", request.id)
    return done


def erasure_follow_up(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    """The ``privacy.erasure_follow_up`` job: ``follow_up_erasures`` every few seconds, in one process."""
    customer_settings = _customer_settings(settings)

    async def run(job: JobRun) -> None:
        async with service_clients(customer_settings) as services:
            await follow_up_erasures(engine, services)

    return PeriodicJob(FOLLOW_UP_JOB, FOLLOW_UP_EVERY, run)


# ---- the audit list and retention ----------------------------------------------------------------------


async def list_requests(
    session: AsyncSession, *, kind: RequestKind | None, customer_id: int | None, page: PageParams
) -> tuple[list[PrivacyRequest], str | None]:
    statement = select(PrivacyRequest)
    if kind is not None:
        statement = statement.where(col(PrivacyRequest.kind) == kind.value)
    if customer_id is not None:
        statement = statement.where(col(PrivacyRequest.customer_id) == customer_id)
    return await paginate(session, statement, sort=NEWEST_FIRST, params=page)


async def purge_expired(engine: AsyncEngine, *, retention: timedelta) -> dict[str, int]:
    """Drop what holds personal data past ``retention``: export documents, and the reports of imports
    (their rejections quote rows); the audit rows themselves stay. Returns what was purged."""
    async with engine.begin() as connection:
        documents = await connection.execute(
            text(
                "UPDATE customer.privacy_request SET document = NULL WHERE document IS NOT NULL"
                " AND finished_at <= now() - make_interval(secs => :keep)"
            ),
            {"keep": retention.total_seconds()},
        )
        reports = await connection.execute(
            text(
                "UPDATE customer.import_job SET report = jsonb_build_object('purged', true), files = '[]'::jsonb"
                " WHERE state IN ('done', 'failed') AND finished_at <= now() - make_interval(secs => :keep)"
                " AND NOT (report ? 'purged')"
            ),
            {"keep": retention.total_seconds()},
        )
    return {"export_documents": documents.rowcount, "import_reports": reports.rowcount}


def privacy_retention(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    """The ``privacy.retention`` job: ``purge_expired`` every few minutes, in one process."""
    retention = timedelta(hours=_customer_settings(settings).privacy_retention_hours)

    async def run(job: JobRun) -> None:
        purged = await purge_expired(engine, retention=retention)
        if any(purged.values()):
            log.info("retention: purged %s", purged)

    return PeriodicJob(RETENTION_JOB, RETENTION_EVERY, run)
