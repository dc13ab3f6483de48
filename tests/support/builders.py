"""Build real rows through the API, so tests read like the story they tell."""

import itertools
from decimal import Decimal
from typing import Any

import httpx2

_serial = itertools.count(1)


async def make_product(
    client: httpx2.AsyncClient, *, price: str = "10.00", stock: int | None = 0, **fields: Any
) -> dict[str, Any]:
    n = next(_serial)
    body = {"sku": f"SKU-{n:05d}", "name": f"Product {n}", "unit_cost": "1.00", "unit_price": price}
    body["track_stock"] = stock is not None
    body.update(fields)
    response = await client.post("/api/v1/products", json=body)
    assert response.status_code == 201, response.text
    product = response.json()
    if stock:
        restocked = await client.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": stock})
        assert restocked.status_code == 201, restocked.text
        product["stock_quantity"] = stock
    return product


async def make_customer(client: httpx2.AsyncClient, **fields: Any) -> dict[str, Any]:
    n = next(_serial)
    body = {"name": f"Customer {n}", "username": f"customer{n}"} | fields
    response = await client.post("/api/v1/customers", json=body)
    assert response.status_code == 201, response.text
    return response.json()


async def buy(
    client: httpx2.AsyncClient, lines: list[tuple[int, int]] | list[dict[str, Any]], **fields: Any
) -> httpx2.Response:
    body_lines = [line if isinstance(line, dict) else {"product_id": line[0], "quantity": line[1]} for line in lines]
    return await client.post("/api/v1/purchases", json={"lines": body_lines} | fields)


def money(value: str | Decimal) -> Decimal:
    return Decimal(value)
