"""Stock rules: every change goes through the ledger, the quantity never drops below zero."""

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from services.customer.outbox import outbox
from services.customer.products.models import Product
from services.customer.products.service import get_product_or_raise
from services.customer.stock.models import StockMovement
from services.customer.stock.repository import (
    BOUND_CHANGES,
    BOUND_CHANGES_CTE,
    StockChange,
    bound_changes,
    changed_events,
    ledger_ctes,
)
from services.kit.db import table_of
from services.kit.errors import Conflict, FieldError
from services.kit.outbox import BOUND
from services.kit.pagination import PageParams, SortKey, paginate

P = table_of(Product)
M = table_of(StockMovement)


async def lock_products(session: AsyncSession, product_ids: Sequence[int]) -> dict[int, Any]:
    """Lock the rows of these products in id order (so concurrent bills cannot deadlock)."""
    statement = (
        select(
            P.c.id,
            P.c.sku,
            P.c.name,
            P.c.brand,
            P.c.category,
            P.c.unit_price,
            P.c.status,
            P.c.track_stock,
            P.c.stock_quantity,
        )
        .where(P.c.id.in_(sorted(set(product_ids))))
        .order_by(P.c.id)
        .with_for_update()
    )
    return {row.id: row for row in (await session.execute(statement)).all()}


async def apply_changes(session: AsyncSession, changes: Sequence[StockChange], *, stock: Mapping[int, int]) -> None:
    """Write the movements, move the quantities and announce each change, in one statement.

    The caller holds the product locks and gives ``stock``, each product's quantity as locked.
    Untracked products get no movement: their stock is not kept. (A new bill embeds the same ledger
    SQL in a statement of its own: ``purchases.service``.)
    """
    if not changes:
        return
    announced, *_ = outbox.parameters(changed_events(changes, stock))
    await session.execute(_APPLY, {**bound_changes(changes), **announced})


# Arrays in, so the statement's text never varies: compiled and prepared once.
_APPLY = text(outbox.statement(BOUND, ctes=[BOUND_CHANGES_CTE, *ledger_ctes(BOUND_CHANGES)]))


async def change_stock(session: AsyncSession, *, product_id: int, quantity: int, kind: str, reason: str | None) -> Any:
    """A restock or an adjustment of one product; refused if stock is not tracked or would go negative."""
    product = await get_product_or_raise(session, product_id=product_id, for_update=True)
    if not product.track_stock:
        raise Conflict(f"product {product_id} does not track stock; turn tracking on first")
    if product.stock_quantity + quantity < 0:
        raise Conflict(
            f"product {product_id} has {product.stock_quantity} in stock; cannot take away {-quantity}",
            errors=[FieldError("body.quantity", "would take stock below zero", "insufficient_stock")],
        )
    await apply_changes(
        session, [StockChange(product_id, quantity, kind, reason)], stock={product_id: product.stock_quantity}
    )
    await session.refresh(product)
    return product


BY_TIME_DESC = SortKey("-created_at", M.c.created_at, M.c.id, descending=True)


async def list_movements(session: AsyncSession, *, product_id: int, page: PageParams) -> tuple[list[Any], str | None]:
    statement = select(StockMovement).where(col(StockMovement.product_id) == product_id)
    return await paginate(session, statement, sort=BY_TIME_DESC, params=page)


async def ledger_sum(session: AsyncSession, *, product_id: int) -> int:
    statement = select(func.coalesce(func.sum(M.c.quantity), 0)).where(M.c.product_id == product_id)
    return int((await session.execute(statement)).scalar_one())


SALES_WINDOW_DAYS = 30


_RESTOCK_SUGGESTIONS = text(
    """
    WITH sold AS (
        SELECT product_id, -sum(quantity) AS sold
        FROM customer.stock_movement
        WHERE created_at >= :since AND kind IN ('sale', 'cancellation', 'return')
        GROUP BY product_id
    ), paced AS (
        SELECT p.id, p.sku, p.name, p.stock_quantity, s.sold, s.sold::numeric / :window AS daily
        FROM customer.product p JOIN sold s ON s.product_id = p.id
        WHERE p.track_stock AND p.status = 'active' AND s.sold > 0
    )
    SELECT id AS product_id, sku, name, stock_quantity, sold AS sold_last_30_days,
           round(daily, 2) AS daily_sales,
           round(stock_quantity / daily, 1) AS days_of_cover,
           greatest(ceil(daily * :target) - stock_quantity, 0)::bigint AS suggested_quantity
    FROM paced
    WHERE round(stock_quantity / daily, 1) < :cover
    ORDER BY days_of_cover, product_id
    """
)


async def restock_suggestions(
    session: AsyncSession, *, now: datetime, cover_days: int, target_days: int
) -> list[dict[str, Any]]:
    """Tracked active products whose stock covers fewer than ``cover_days`` at the last 30 days' pace.

    Net units sold come from the ledger (sales less cancellations and returns) in the window; the
    whole computation runs in PostgreSQL, so it costs the same for ten products or a million.
    """
    parameters = {
        "since": now - timedelta(days=SALES_WINDOW_DAYS),
        "window": SALES_WINDOW_DAYS,
        "target": target_days,
        "cover": cover_days,
    }
    return [dict(row) for row in (await session.execute(_RESTOCK_SUGGESTIONS, parameters)).mappings()]
