"""Checks shared by the tests of refused requests: the problem+json shape, and that nothing was written."""

from typing import Any

import asyncpg
import httpx2

PROBLEM_BASE = "https://patron.dev/problems/"
MASTER_DATA = ("customer", "product", "store", "exchange_rate", "purchase", "purchase_line")


def assert_problem(
    response: httpx2.Response, status: int, slug: str, fields: list[str] | None = None
) -> dict[str, Any]:
    """Assert ``response`` is a problem of ``status`` and type ``slug``; ``fields`` are the fields named, in order."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == PROBLEM_BASE + slug
    assert body["status"] == status
    assert isinstance(body["detail"], str) and body["detail"]
    assert body["request_id"] == response.headers["x-request-id"]
    if fields is not None:
        errors = body.get("errors", [])
        assert [error["field"] for error in errors] == fields, body
        assert all(error["message"] and error["code"] for error in errors)
    return body


async def snapshot(db: asyncpg.Connection) -> dict[str, list[asyncpg.Record]]:
    """Every row of the master data and the ledger, to compare before and after a refused request."""
    return {table: await db.fetch(f"SELECT * FROM customer.{table} ORDER BY 1, 2") for table in MASTER_DATA}


async def insert_purchase(db: asyncpg.Connection, *, customer_id: int | None, product_id: int | None = None) -> int:
    """A recorded bill written straight into the ledger (with one line when ``product_id`` is given)."""
    purchase_id: int = await db.fetchval(
        """
        INSERT INTO customer.purchase (customer_id, store_id, channel, source, currency, rate, purchased_at,
            base_gross, base_discount, base_total, local_gross, local_discount, local_total)
        VALUES ($1, 0, 'assisted', 'live', 'USD', 1, now(), 10, 0, 10, 10, 0, 10)
        RETURNING id
        """,
        customer_id,
    )
    if product_id is not None:
        await db.execute(
            """
            INSERT INTO customer.purchase_line (purchase_id, line_no, product_id, quantity, base_unit_price,
                local_unit_price, base_gross, base_discount, base_total, local_gross, local_discount, local_total)
            VALUES ($1, 1, $2, 1, 10, 10, 10, 0, 10, 10, 0, 10)
            """,
            purchase_id,
            product_id,
        )
    return purchase_id
