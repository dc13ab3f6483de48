"""The route a service answers the customer service's privacy questions on (services only)."""

from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query

from services.contracts.privacy import CustomerDataPart
from services.kit.api import IdPath
from services.kit.db import SessionDep
from services.kit.privacy import erasure_applied, rows_about_customer


def privacy_router(*, service: str, prefix: str, schema: str, consumer: str) -> APIRouter:
    """``GET {prefix}/privacy/customers/{customer_id}``: the service's rows about a customer, and whether
    its ``consumer`` applied the erasure event named by ``erasure_event``."""
    router = APIRouter(prefix=prefix, tags=["privacy"])

    async def customer_data(
        session: SessionDep,
        customer_id: IdPath,
        erasure_event: Annotated[UUID | None, Query(description="The `customer.erased` event to ask about.")] = None,
    ) -> CustomerDataPart:
        tables = await rows_about_customer(session, schema=schema, customer_id=customer_id)
        applied = (
            None
            if erasure_event is None
            else await erasure_applied(session, schema=schema, consumer=consumer, event_id=erasure_event)
        )
        return CustomerDataPart(service=service, customer_id=customer_id, tables=tables, erasure_applied=applied)

    customer_data.__doc__ = (
        f"What the {service} service holds about a customer (services only).\n\n"
        "Every table naming the customer, with its rows, for a privacy export; and whether the service has "
        "applied the erasure event given as `erasure_event`."
    )
    router.add_api_route(
        "/privacy/customers/{customer_id}",
        customer_data,
        methods=["GET"],
        name=f"{service}_customer_data",
        response_model=CustomerDataPart,
    )
    return router
