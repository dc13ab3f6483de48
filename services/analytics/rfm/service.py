"""RFM runs: scored and stored in one statement; read back with their segments, members and movements."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.rfm import repository
from services.analytics.rfm.models import rfm_run
from services.analytics.rfm.rules import Scheme, groups
from services.analytics.rfm.schemas import LeftOut, RfmCustomerPublic, RfmRunPublic
from services.kit.errors import FieldError, NotFound
from services.kit.pagination import PageParams, SortKey, paginate

NEWEST_FIRST = SortKey("rfm-runs", rfm_run.c.id, descending=True)
RATE = Decimal("0.0001")


def run_public(row: Row[Any]) -> RfmRunPublic:
    values = row._mapping
    return RfmRunPublic(
        id=values["id"],
        reference_date=values["reference_date"],
        scheme=Scheme(values["scheme"]),
        created_at=values["created_at"],
        customers=values["customers"],
        revenue=values["revenue"],
        left_out=LeftOut(
            no_purchase=values["no_purchase"],
            guest_bills=values["guest_bills"],
            guest_lines=values["guest_lines"],
            guest_revenue=values["guest_revenue"],
        ),
    )


async def create_run(session: AsyncSession, *, reference: date, scheme: Scheme) -> RfmRunPublic:
    run_id = await repository.create_run(session, reference, scheme)
    return await read_run(session, run_id)


async def read_run(session: AsyncSession, run_id: int, field: str = "path.run_id") -> RfmRunPublic:
    """A stored run; a 404 naming ``field`` if there is none."""
    row = await repository.run(session, run_id)
    if row is None:
        raise NotFound(f"no RFM run {run_id}", errors=[FieldError(field, "no such RFM run", "not_found")])
    return run_public(row)


async def list_runs(session: AsyncSession, page: PageParams) -> tuple[list[RfmRunPublic], str | None]:
    """Runs, newest first."""
    ids, next_cursor = await paginate(session, select(rfm_run.c.id), sort=NEWEST_FIRST, params=page)
    return [run_public(row) for row in await repository.runs_by_id(session, ids)], next_cursor


async def customer(session: AsyncSession, run: RfmRunPublic, customer_id: int) -> RfmCustomerPublic:
    row = await repository.score(session, run.id, customer_id)
    if row is None:
        raise NotFound(
            f"customer {customer_id} is not in RFM run {run.id}",
            errors=[FieldError("path.customer_id", "not scored in this run", "not_found")],
        )
    s = row._mapping
    score = None
    if run.scheme is Scheme.QUARTILE:
        score = (Decimal(s["r"] + s["f"] + s["m"]) / 3).quantize(RATE, rounding=ROUND_HALF_UP)
    return RfmCustomerPublic(
        run_id=run.id,
        reference_date=run.reference_date,
        scheme=run.scheme,
        customer_id=customer_id,
        last_purchase=run.reference_date - timedelta(days=s["recency"]),
        recency=s["recency"],
        frequency=s["frequency"],
        monetary=s["monetary"],
        r=s["r"],
        f=s["f"],
        m=s["m"],
        score=score,
        segment=s["segment"],
        label=groups(run.scheme)[s["segment"]],
    )
