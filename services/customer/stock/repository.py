"""The stock ledger, written once: movements in, quantities moved, and the ``stock.changed`` they announce.

Every change of stock (a restock, an adjustment, a sale, a cancellation, a return) goes through
``ledger_ctes``, which a statement embeds after a relation of its changes, and is announced by the
events of ``changed_events``, which the same statement writes to the outbox (bound, with
``outbox.statement(BOUND, ...)``): one round trip for movements, quantities and events.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from services.contracts.customer import StockChanged
from services.customer.products.models import Product
from services.customer.stock.models import StockMovement
from services.kit.db import table_of

P = table_of(Product)
M = table_of(StockMovement)


@dataclass(frozen=True)
class StockChange:
    product_id: int
    quantity: int  # signed
    kind: str
    reason: str | None = None
    purchase_id: int | None = None


def changed_events(changes: Sequence[StockChange], stock: Mapping[int, int]) -> list[StockChanged]:
    """One ``stock.changed`` per change, with the quantity it leaves; ``stock`` is each product's, as locked."""
    left = dict(stock)
    events = []
    for change in changes:
        left[change.product_id] += change.quantity
        events.append(
            StockChanged(
                product_id=change.product_id,
                kind=change.kind,
                quantity=change.quantity,
                stock_quantity=left[change.product_id],
                purchase_id=change.purchase_id,
            )
        )
    return events


def ledger_ctes(changes: str, *, per_product: str | None = None) -> list[str]:
    """CTEs applying the rows of ``changes`` (``product_id, kind, quantity, reason, purchase_id, ord``).

    The movements are written in ``ord`` order and each product's quantity is moved once by the sum
    of its changes; ``per_product`` names a relation of ``changes`` already one row per product (a
    bill's lines), so the sum is not taken. The caller holds the products' locks and gives changes of
    tracked products only: stock is not kept for the others.
    """
    totals = per_product or f"(SELECT product_id, sum(quantity) AS quantity FROM {changes} GROUP BY product_id)"
    return [
        f"""stock_movement AS (
        INSERT INTO {M.fullname} (product_id, kind, quantity, reason, purchase_id)
        SELECT product_id, kind, quantity, reason, purchase_id FROM {changes} ORDER BY ord
    )""",
        f"""stock_moved AS (
        UPDATE {P.fullname} AS p SET stock_quantity = p.stock_quantity + t.quantity, updated_at = now()
        FROM {totals} AS t WHERE p.id = t.product_id
    )""",
    ]


BOUND_CHANGES = "stock_change"
"""The relation of ``BOUND_CHANGES_CTE``: the changes bound by ``bound_changes``."""

BOUND_CHANGES_CTE = f"""{BOUND_CHANGES} AS (
        SELECT * FROM unnest(
            CAST(:stock_product_ids AS bigint[]), CAST(:stock_kinds AS text[]), CAST(:stock_quantities AS bigint[]),
            CAST(:stock_reasons AS text[]), CAST(:stock_purchase_ids AS bigint[])
        ) WITH ORDINALITY AS c (product_id, kind, quantity, reason, purchase_id, ord)
    )"""


def bound_changes(changes: Sequence[StockChange]) -> dict[str, Any]:
    """The bound values of ``BOUND_CHANGES_CTE``: arrays, so the statement's text never varies."""
    return {
        "stock_product_ids": [c.product_id for c in changes],
        "stock_kinds": [c.kind for c in changes],
        "stock_quantities": [c.quantity for c in changes],
        "stock_reasons": [c.reason for c in changes],
        "stock_purchase_ids": [c.purchase_id for c in changes],
    }
