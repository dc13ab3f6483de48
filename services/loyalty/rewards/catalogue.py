"""The mobile app's product page: a page of the customer service's active catalogue, each product with the
customer's usable reward on it.

The page is read as the loyalty service itself (the caller's right to the customer's view was checked
here already), and only what the public catalogue shows is kept of it: never costs or stock.
"""

from collections.abc import Mapping
from typing import Any

from services.kit.client import (
    ServiceClient,
    ServiceError,
    ServiceInvalidInput,
    ServiceNotFound,
    ServiceUnauthorized,
)
from services.kit.errors import (
    BadCursor,
    BadGateway,
    FieldError,
    Forbidden,
    InvalidInput,
    NotFound,
    Problem,
    problem_type,
)
from services.loyalty.rewards.schemas import CatalogueProduct, ProductReward

PRODUCTS = "/api/v1/products"


def _problem(exc: ServiceError) -> Problem:
    """The customer service's refusal as this service's own problem (its 5xx or silence: a 502)."""
    if isinstance(exc, ServiceInvalidInput) and exc.type == problem_type(BadCursor.slug):
        return BadCursor()  # the cursor was the catalogue's: one it did not issue
    if isinstance(exc, ServiceInvalidInput):
        errors = [
            FieldError(str(e["field"]), str(e.get("message", "")), str(e.get("code", "invalid")))
            for e in exc.errors
            if "field" in e
        ]
        return InvalidInput(exc.detail, errors=errors)
    if isinstance(exc, ServiceUnauthorized):
        return Forbidden(exc.detail)
    if isinstance(exc, ServiceNotFound):
        return NotFound(exc.detail)
    return BadGateway(f"the catalogue is not available: {exc.detail}")


async def catalogue_page(client: ServiceClient, params: Mapping[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    """A page of active products, filtered and paged by ``params``."""
    query = {name: value for name, value in params.items() if value is not None} | {"status": "active"}
    try:
        response = await client.get(PRODUCTS, params=query)
    except ServiceError as exc:
        raise _problem(exc) from exc
    page = response.json()
    return page["items"], page.get("next_cursor")


def annotated(items: list[dict[str, Any]], rewards: Mapping[int, Any]) -> list[CatalogueProduct]:
    """Each product with the customer's usable reward on it, or none."""
    result = []
    for item in items:
        found = rewards.get(item["id"])
        reward = ProductReward(percent=found.percent, expires_at=found.expires_at) if found is not None else None
        result.append(
            CatalogueProduct(
                id=item["id"],
                sku=item["sku"],
                name=item["name"],
                brand=item.get("brand"),
                category=item.get("category"),
                currency=item["currency"],
                unit_price=item["unit_price"],
                reward=reward,
            )
        )
    return result
