"""The ledger's SQL: customers, products, bills and lines kept from the customer events, and the monthly
figures computed from them. Every statement takes arrays, so one statement serves a whole batch."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.customer import CustomerAttributes, ProductAttributes, PurchaseRecorded
from services.loyalty.ledger.rules import LineReturn, month_of

CustomerMonth = tuple[int, date]
"""A customer and the first day of a month: the key of the monthly figures."""

LEDGER_TABLES = ("monthly_figures", "purchase_line", "purchase", "product", "customer")
"""The tables a rebuild empties, children first."""

_UPSERT_CUSTOMERS = text("""
    INSERT INTO loyalty.customer AS c (id, status, home_store_id, city, country, created_at)
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[]), CAST(:stores AS bigint[]),
                         CAST(:cities AS text[]), CAST(:countries AS text[]), CAST(:created AS timestamptz[]))
    ON CONFLICT (id) DO UPDATE SET status = excluded.status, home_store_id = excluded.home_store_id,
        city = excluded.city, country = excluded.country, created_at = coalesce(c.created_at, excluded.created_at)
""")

_SET_CUSTOMER_STATUS = text("""
    UPDATE loyalty.customer AS c SET status = v.status
    FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[])) AS v (id, status)
    WHERE c.id = v.id
""")

# Returns the products that are new or whose brand or own-brand mark changed: the months of their
# bills must be computed again. Every CTE reads the table as it was before the statement (``old``).
_UPSERT_PRODUCTS = text("""
    WITH v AS (
        SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:skus AS text[]), CAST(:brands AS text[]),
                             CAST(:own_brands AS boolean[]), CAST(:categories AS text[]), CAST(:statuses AS text[]))
            AS v (id, sku, brand, own_brand, category, status)
    ), old AS (
        SELECT p.id, p.brand, p.own_brand FROM loyalty.product AS p JOIN v USING (id)
    ), written AS (
        INSERT INTO loyalty.product AS p (id, sku, brand, own_brand, category, status)
        SELECT id, sku, brand, own_brand, category, status FROM v
        ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, brand = excluded.brand, own_brand = excluded.own_brand,
            category = excluded.category, status = excluded.status
        RETURNING p.id, p.brand, p.own_brand
    )
    SELECT w.id, old.id IS NULL AS new FROM written AS w LEFT JOIN old USING (id)
    WHERE old.id IS NULL OR old.brand IS DISTINCT FROM w.brand OR old.own_brand IS DISTINCT FROM w.own_brand
""")

# A product known only after bills sold it (events of different aggregates applied out of order)
# starts from the units those bills still hold.
_COUNT_UNITS_SOLD = text("""
    UPDATE loyalty.product AS p SET units_sold = s.units
    FROM (
        SELECT l.product_id, sum(l.quantity - l.returned_quantity) AS units
        FROM loyalty.purchase_line AS l JOIN loyalty.purchase AS b ON b.id = l.purchase_id
        WHERE l.product_id = ANY(CAST(:ids AS bigint[])) AND b.status = 'recorded'
        GROUP BY l.product_id
    ) AS s
    WHERE p.id = s.product_id
""")

_MONTHS_SELLING = text("""
    SELECT DISTINCT b.customer_id, b.month
    FROM loyalty.purchase_line AS l JOIN loyalty.purchase AS b ON b.id = l.purchase_id
    WHERE l.product_id = ANY(CAST(:ids AS bigint[])) AND b.customer_id IS NOT NULL
""")

# A bill already kept (a redelivery past a lost position) writes nothing: its lines and units follow
# only the bills this statement inserts.
_RECORD_PURCHASES = text("""
    WITH bill AS (
        INSERT INTO loyalty.purchase AS b (id, customer_id, store_id, channel, source, purchased_at, month,
                                           base_total, reward_token)
        SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:customers AS bigint[]), CAST(:stores AS bigint[]),
                             CAST(:channels AS text[]), CAST(:sources AS text[]), CAST(:times AS timestamptz[]),
                             CAST(:months AS date[]), CAST(:totals AS numeric[]), CAST(:tokens AS text[]))
        ON CONFLICT (id) DO NOTHING
        RETURNING b.id
    ), line AS (
        INSERT INTO loyalty.purchase_line (id, purchase_id, product_id, quantity, base_total)
        SELECT v.id, v.purchase_id, v.product_id, v.quantity, v.base_total
        FROM unnest(CAST(:line_ids AS bigint[]), CAST(:line_purchases AS bigint[]),
                    CAST(:line_products AS bigint[]), CAST(:line_quantities AS integer[]),
                    CAST(:line_totals AS numeric[])) AS v (id, purchase_id, product_id, quantity, base_total)
        WHERE v.purchase_id IN (SELECT id FROM bill)
        RETURNING product_id, quantity
    )
    UPDATE loyalty.product AS p SET units_sold = p.units_sold + s.units
    FROM (SELECT product_id, sum(quantity) AS units FROM line GROUP BY product_id) AS s
    WHERE p.id = s.product_id
""")

# Cancelling gives back the units still on the bill (a line partly returned gave back the rest before).
_CANCEL_PURCHASES = text("""
    WITH bill AS (
        UPDATE loyalty.purchase AS b SET status = 'cancelled'
        WHERE b.id = ANY(CAST(:ids AS bigint[])) AND b.status = 'recorded'
        RETURNING b.id, b.customer_id, b.month
    ), units AS (
        SELECT l.product_id, sum(l.quantity - l.returned_quantity) AS units
        FROM loyalty.purchase_line AS l JOIN bill ON bill.id = l.purchase_id
        GROUP BY l.product_id
    ), sold AS (
        UPDATE loyalty.product AS p SET units_sold = p.units_sold - units.units
        FROM units WHERE p.id = units.product_id
    )
    SELECT DISTINCT customer_id, month FROM bill WHERE customer_id IS NOT NULL
""")

_RETURN_LINES = text("""
    WITH v AS (
        SELECT * FROM unnest(CAST(:line_ids AS bigint[]), CAST(:quantities AS integer[]),
                             CAST(:amounts AS numeric[])) AS v (line_id, quantity, amount)
    ), line AS (
        UPDATE loyalty.purchase_line AS l
        SET returned_quantity = l.returned_quantity + v.quantity, base_returned = l.base_returned + v.amount
        FROM v
        WHERE l.id = v.line_id
          AND l.purchase_id IN (SELECT id FROM loyalty.purchase WHERE status = 'recorded')
        RETURNING l.purchase_id, l.product_id, v.quantity, v.amount
    ), bill AS (
        UPDATE loyalty.purchase AS b SET base_returned = b.base_returned + s.amount
        FROM (SELECT purchase_id, sum(amount) AS amount FROM line GROUP BY purchase_id) AS s
        WHERE b.id = s.purchase_id
        RETURNING b.customer_id, b.month
    ), sold AS (
        UPDATE loyalty.product AS p SET units_sold = p.units_sold - s.units
        FROM (SELECT product_id, sum(quantity) AS units FROM line GROUP BY product_id) AS s
        WHERE p.id = s.product_id
    )
    SELECT DISTINCT customer_id, month FROM bill WHERE customer_id IS NOT NULL
""")

# The figures of the given (customer, month) pairs, from their bills as they stand: a cancelled bill,
# and a bill whose every line is wholly returned, count in no figure; a brand counts while a line of it
# is not wholly returned. A pair left with nothing to count loses its row. A row whose figures did not
# change keeps its ``updated_at``.
RECOMPUTE_FIGURES = text("""
    WITH touched AS (
        SELECT DISTINCT t.customer_id, t.month
        FROM unnest(CAST(:customers AS bigint[]), CAST(:months AS date[])) AS t (customer_id, month)
    ), bill AS (
        SELECT b.id, b.customer_id, b.month, b.channel, b.base_total - b.base_returned AS net
        FROM touched AS t JOIN loyalty.purchase AS b ON b.customer_id = t.customer_id AND b.month = t.month
        WHERE b.status = 'recorded'
          AND EXISTS (SELECT 1 FROM loyalty.purchase_line AS l
                      WHERE l.purchase_id = b.id AND l.returned_quantity < l.quantity)
    ), kept_line AS (
        SELECT bill.customer_id, bill.month, p.brand, coalesce(p.own_brand, false) AS own_brand,
               l.base_total - l.base_returned AS net
        FROM bill JOIN loyalty.purchase_line AS l ON l.purchase_id = bill.id
        LEFT JOIN loyalty.product AS p ON p.id = l.product_id
        WHERE l.returned_quantity < l.quantity
    ), by_bill AS (
        SELECT customer_id, month, sum(net) AS volume, count(*) AS orders,
               count(*) FILTER (WHERE channel = 'self') AS self_orders,
               count(*) FILTER (WHERE channel = 'assisted') AS assisted_orders
        FROM bill GROUP BY customer_id, month
    ), by_line AS (
        SELECT customer_id, month, count(DISTINCT brand) AS brands,
               coalesce(sum(net) FILTER (WHERE own_brand), 0) AS own_brand_volume
        FROM kept_line GROUP BY customer_id, month
    ), figures AS (
        SELECT b.customer_id, b.month, b.volume, b.orders, coalesce(l.brands, 0) AS brands,
               coalesce(l.own_brand_volume, 0) AS own_brand_volume, b.self_orders, b.assisted_orders
        FROM by_bill AS b LEFT JOIN by_line AS l USING (customer_id, month)
    ), emptied AS (
        DELETE FROM loyalty.monthly_figures AS f USING touched AS t
        WHERE f.customer_id = t.customer_id AND f.month = t.month
          AND NOT EXISTS (SELECT 1 FROM figures AS x WHERE x.customer_id = f.customer_id AND x.month = f.month)
    )
    INSERT INTO loyalty.monthly_figures AS f (customer_id, month, volume, orders, brands, own_brand_volume,
                                              self_orders, assisted_orders)
    SELECT customer_id, month, volume, orders, brands, own_brand_volume, self_orders, assisted_orders
    FROM figures ORDER BY customer_id, month
    ON CONFLICT (customer_id, month) DO UPDATE SET
        volume = excluded.volume, orders = excluded.orders, brands = excluded.brands,
        own_brand_volume = excluded.own_brand_volume, self_orders = excluded.self_orders,
        assisted_orders = excluded.assisted_orders, updated_at = now()
    WHERE (f.volume, f.orders, f.brands, f.own_brand_volume, f.self_orders, f.assisted_orders)
        IS DISTINCT FROM (excluded.volume, excluded.orders, excluded.brands, excluded.own_brand_volume,
                          excluded.self_orders, excluded.assisted_orders)
""")


def _last_per_key(payloads: Sequence[Any], key: str) -> list[Any]:
    """Each aggregate's last payload (they come in seq order): one upsert may not touch a row twice."""
    return list({getattr(p, key): p for p in payloads}.values())


async def upsert_customers(
    session: AsyncSession, customers: Sequence[CustomerAttributes], created: Mapping[int, datetime] | None = None
) -> None:
    """Keep the customers' attributes; ``created`` holds when the customers created in this batch were created.

    A customer's creation time, once known, is kept: a later update never changes it.
    """
    rows: list[CustomerAttributes] = _last_per_key(customers, "customer_id")
    created = created or {}
    await session.execute(
        _UPSERT_CUSTOMERS,
        {
            "ids": [c.customer_id for c in rows],
            "statuses": [c.status for c in rows],
            "stores": [c.home_store_id for c in rows],
            "cities": [c.city for c in rows],
            "countries": [c.country for c in rows],
            "created": [created.get(c.customer_id) for c in rows],
        },
    )


async def set_customer_status(session: AsyncSession, customer_ids: Sequence[int], status: str) -> None:
    await session.execute(_SET_CUSTOMER_STATUS, {"ids": list(customer_ids), "statuses": [status] * len(customer_ids)})


async def upsert_products(session: AsyncSession, products: Sequence[ProductAttributes]) -> set[CustomerMonth]:
    """Keep the products; return the (customer, month) pairs whose figures a new brand or own-brand mark changes."""
    rows: list[ProductAttributes] = _last_per_key(products, "product_id")
    changed = (
        await session.execute(
            _UPSERT_PRODUCTS,
            {
                "ids": [p.product_id for p in rows],
                "skus": [p.sku for p in rows],
                "brands": [p.brand for p in rows],
                "own_brands": [p.own_brand for p in rows],
                "categories": [p.category for p in rows],
                "statuses": [p.status for p in rows],
            },
        )
    ).all()
    if not changed:
        return set()
    new = [row.id for row in changed if row.new]
    if new:
        await session.execute(_COUNT_UNITS_SOLD, {"ids": new})
    months = await session.execute(_MONTHS_SELLING, {"ids": [row.id for row in changed]})
    return {(row.customer_id, row.month) for row in months}


async def record_purchases(
    session: AsyncSession, bills: Sequence[PurchaseRecorded], zone: ZoneInfo
) -> set[CustomerMonth]:
    """Keep the bills and their lines, count their units sold; return the (customer, month) pairs they touch."""
    rows: list[PurchaseRecorded] = _last_per_key(bills, "purchase_id")
    months = [month_of(b.purchased_at, zone) for b in rows]
    lines = [(b.purchase_id, line) for b in rows for line in b.lines]
    await session.execute(
        _RECORD_PURCHASES,
        {
            "ids": [b.purchase_id for b in rows],
            "customers": [b.customer_id for b in rows],
            "stores": [b.store_id for b in rows],
            "channels": [b.channel for b in rows],
            "sources": [b.source for b in rows],
            "times": [b.purchased_at for b in rows],
            "months": months,
            "totals": [b.base_total for b in rows],
            "tokens": [b.reward_token for b in rows],
            "line_ids": [line.line_id for _, line in lines],
            "line_purchases": [purchase_id for purchase_id, _ in lines],
            "line_products": [line.product_id for _, line in lines],
            "line_quantities": [line.quantity for _, line in lines],
            "line_totals": [line.base_total for _, line in lines],
        },
    )
    return {(b.customer_id, month) for b, month in zip(rows, months, strict=True) if b.customer_id is not None}


async def cancel_purchases(session: AsyncSession, purchase_ids: Iterable[int]) -> set[CustomerMonth]:
    """Mark the bills cancelled and give their units back; return the (customer, month) pairs they leave."""
    rows = await session.execute(_CANCEL_PURCHASES, {"ids": sorted(set(purchase_ids))})
    return {(row.customer_id, row.month) for row in rows}


async def return_lines(session: AsyncSession, returns: Sequence[LineReturn]) -> set[CustomerMonth]:
    """Take returned units and amounts off their lines, bills and products; return the pairs they touch."""
    rows = await session.execute(
        _RETURN_LINES,
        {
            "line_ids": [r.line_id for r in returns],
            "quantities": [r.quantity for r in returns],
            "amounts": [r.base_amount for r in returns],
        },
    )
    return {(row.customer_id, row.month) for row in rows}


def figures_parameters(pairs: Iterable[CustomerMonth]) -> dict[str, list[Any]]:
    ordered = sorted(set(pairs))
    return {"customers": [c for c, _ in ordered], "months": [m for _, m in ordered]}


async def recompute_figures(session: AsyncSession, pairs: Iterable[CustomerMonth]) -> None:
    """Compute the monthly figures of exactly these (customer, month) pairs again."""
    await session.execute(RECOMPUTE_FIGURES, figures_parameters(pairs))


def clear_statements(consumer: str) -> list[tuple[TextClause, dict[str, Any]]]:
    """What a rebuild deletes: the ledger, the figures, and this consumer's inbox, positions and held events."""
    statements: list[tuple[TextClause, dict[str, Any]]] = [
        (text(f"TRUNCATE {', '.join(f'loyalty.{table}' for table in LEDGER_TABLES)}"), {})
    ]
    for table in ("event_inbox", "aggregate_position", "event_held"):
        statements.append((text(f"DELETE FROM loyalty.{table} WHERE consumer = :consumer"), {"consumer": consumer}))
    return statements
