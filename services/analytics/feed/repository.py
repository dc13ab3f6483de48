"""The feed's SQL: dimensions upserted, purchase lines kept, and the aggregates moved by exactly what each
line adds or takes back. Every statement takes arrays, so one statement serves a whole batch."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import TextClause, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.analytics.feed.models import STAR_TABLES
from services.contracts.customer import (
    CustomerAttributes,
    ExchangeRateUpserted,
    ProductAttributes,
    PurchaseLineReturned,
    PurchaseRecorded,
    StockChanged,
    StoreAttributes,
)
from services.contracts.loyalty import RewardFacts, WalletEntryWritten

_UPSERT_CUSTOMERS = text("""
    INSERT INTO analytics.customer AS c (id, gender, age_band, city, state, country, continent, home_store_id, status)
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:genders AS text[]), CAST(:age_bands AS text[]),
                         CAST(:cities AS text[]), CAST(:states AS text[]), CAST(:countries AS text[]),
                         CAST(:continents AS text[]), CAST(:stores AS bigint[]), CAST(:statuses AS text[]))
    ON CONFLICT (id) DO UPDATE SET gender = excluded.gender, age_band = excluded.age_band, city = excluded.city,
        state = excluded.state, country = excluded.country, continent = excluded.continent,
        home_store_id = excluded.home_store_id, status = excluded.status
    RETURNING c.id, (c.xmax = 0) AS inserted
""")

# Lines kept before their customer was known (a batch's bills handled before its new customers: the consumer
# keeps each aggregate's order, not the stream's) took their store's country: they take the customer's now, and
# the aggregates move what they kept from the one country to the other. Returns the keys they left.
_COUNTRY_UNKNOWN_LINES = text("""
    WITH found AS (
        SELECT l.id, l.country AS old_country, coalesce(c.country, s.country, '') AS new_country
        FROM analytics.sale_line AS l
        JOIN analytics.customer AS c ON c.id = l.customer_id
        LEFT JOIN analytics.store AS s ON s.id = l.store_id
        WHERE l.customer_id = ANY(CAST(:ids AS bigint[])) AND l.country <> coalesce(c.country, s.country, '')
    ), moved AS (
        UPDATE analytics.sale_line AS l SET country = f.new_country
        FROM found AS f WHERE l.id = f.id
        RETURNING l.purchase_id, l.day, l.product_id, l.store_id, l.currency, f.old_country, f.new_country, l.status,
                  l.quantity - l.returned_quantity AS units, l.base_amount - l.base_returned AS base,
                  l.local_amount - l.local_returned AS local,
                  (l.quantity - l.returned_quantity) * coalesce(l.unit_cost, 0) AS cost
    ), delta AS (
        SELECT purchase_id, day, product_id, store_id, currency, old_country AS country, -1 AS n, units, base, local,
               cost
        FROM moved WHERE status = 'recorded'
        UNION ALL
        SELECT purchase_id, day, product_id, store_id, currency, new_country, 1, units, base, local, cost
        FROM moved WHERE status = 'recorded'
    ), cube AS (
        INSERT INTO analytics.sales_daily AS d (day, product_id, store_id, currency, country, units, base_revenue,
                                                local_revenue, cost)
        SELECT day, product_id, store_id, currency, country, sum(n * units), sum(n * base), sum(n * local),
               sum(n * cost)
        FROM delta GROUP BY day, product_id, store_id, currency, country
        ON CONFLICT (day, product_id, store_id, currency, country) DO UPDATE SET
            units = d.units + excluded.units, base_revenue = d.base_revenue + excluded.base_revenue,
            local_revenue = d.local_revenue + excluded.local_revenue, cost = d.cost + excluded.cost
    ), orders AS (
        INSERT INTO analytics.orders_daily AS o (day, store_id, currency, country, orders, units, base_revenue,
                                                 local_revenue, cost)
        SELECT day, store_id, currency, country,
               count(DISTINCT purchase_id) FILTER (WHERE n = 1) - count(DISTINCT purchase_id) FILTER (WHERE n = -1),
               sum(n * units), sum(n * base), sum(n * local), sum(n * cost)
        FROM delta GROUP BY day, store_id, currency, country
        ON CONFLICT (day, store_id, currency, country) DO UPDATE SET
            orders = o.orders + excluded.orders, units = o.units + excluded.units,
            base_revenue = o.base_revenue + excluded.base_revenue,
            local_revenue = o.local_revenue + excluded.local_revenue, cost = o.cost + excluded.cost
    )
    SELECT DISTINCT day, product_id, store_id, currency, old_country FROM moved
""")

# The rows those lines left, once empty: as if the lines had been kept under their customer's country at once.
_DROP_EMPTIED = (
    text("""
        DELETE FROM analytics.sales_daily AS d
        USING unnest(CAST(:days AS date[]), CAST(:products AS bigint[]), CAST(:stores AS bigint[]),
                     CAST(:currencies AS text[]), CAST(:countries AS text[])) AS k (day, product_id, store_id,
                                                                                  currency, country)
        WHERE (d.day, d.product_id, d.store_id, d.currency, d.country)
            = (k.day, k.product_id, k.store_id, k.currency, k.country)
          AND d.units = 0 AND d.base_revenue = 0 AND d.local_revenue = 0 AND d.cost = 0
    """),
    text("""
        DELETE FROM analytics.orders_daily AS o
        USING unnest(CAST(:days AS date[]), CAST(:stores AS bigint[]), CAST(:currencies AS text[]),
                     CAST(:countries AS text[])) AS k (day, store_id, currency, country)
        WHERE (o.day, o.store_id, o.currency, o.country) = (k.day, k.store_id, k.currency, k.country)
          AND o.orders = 0 AND o.units = 0 AND o.base_revenue = 0 AND o.local_revenue = 0 AND o.cost = 0
    """),
)

_SET_CUSTOMER_STATUS = text("""
    UPDATE analytics.customer AS c SET status = v.status
    FROM unnest(CAST(:ids AS bigint[]), CAST(:statuses AS text[])) AS v (id, status)
    WHERE c.id = v.id
""")

_UPSERT_PRODUCTS = text("""
    INSERT INTO analytics.product AS p (id, sku, name, brand, category, subcategory, unit_cost, unit_price,
                                        track_stock, status)
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:skus AS text[]), CAST(:names AS text[]),
                         CAST(:brands AS text[]), CAST(:categories AS text[]), CAST(:subcategories AS text[]),
                         CAST(:costs AS numeric[]), CAST(:prices AS numeric[]), CAST(:tracked AS boolean[]),
                         CAST(:statuses AS text[]))
    ON CONFLICT (id) DO UPDATE SET sku = excluded.sku, name = excluded.name, brand = excluded.brand,
        category = excluded.category, subcategory = excluded.subcategory, unit_cost = excluded.unit_cost,
        unit_price = excluded.unit_price, track_stock = excluded.track_stock, status = excluded.status
""")

# Lines kept before their product was known (events of different aggregates applied out of order)
# take its unit cost now, and the aggregates the cost they could not add then.
_COST_UNKNOWN_LINES = text("""
    WITH line AS (
        UPDATE analytics.sale_line AS l SET unit_cost = p.unit_cost
        FROM analytics.product AS p
        WHERE l.product_id = ANY(CAST(:ids AS bigint[])) AND l.unit_cost IS NULL AND p.id = l.product_id
        RETURNING l.day, l.product_id, l.store_id, l.currency, l.country, l.status,
                  (l.quantity - l.returned_quantity) * l.unit_cost AS cost
    ), cube AS (
        UPDATE analytics.sales_daily AS d SET cost = d.cost + c.cost
        FROM (SELECT day, product_id, store_id, currency, country, sum(cost) AS cost FROM line
              WHERE status = 'recorded' GROUP BY 1, 2, 3, 4, 5) AS c
        WHERE (d.day, d.product_id, d.store_id, d.currency, d.country)
            = (c.day, c.product_id, c.store_id, c.currency, c.country)
    )
    UPDATE analytics.orders_daily AS o SET cost = o.cost + c.cost
    FROM (SELECT day, store_id, currency, country, sum(cost) AS cost FROM line
          WHERE status = 'recorded' GROUP BY 1, 2, 3, 4) AS c
    WHERE (o.day, o.store_id, o.currency, o.country) = (c.day, c.store_id, c.currency, c.country)
""")

_UPSERT_STORES = text("""
    INSERT INTO analytics.store AS s (id, name, online, country, state, status)
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:names AS text[]), CAST(:online AS boolean[]),
                         CAST(:countries AS text[]), CAST(:states AS text[]), CAST(:statuses AS text[]))
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, online = excluded.online, country = excluded.country,
        state = excluded.state, status = excluded.status
""")

_UPSERT_RATES = text("""
    INSERT INTO analytics.exchange_rate AS r (currency, day, rate)
    SELECT * FROM unnest(CAST(:currencies AS text[]), CAST(:days AS date[]), CAST(:rates AS numeric[]))
    ON CONFLICT (currency, day) DO UPDATE SET rate = excluded.rate
""")

_SET_STOCK = text("""
    INSERT INTO analytics.stock_level AS s (product_id, quantity, changed_at)
    SELECT * FROM unnest(CAST(:ids AS bigint[]), CAST(:quantities AS bigint[]), CAST(:times AS timestamptz[]))
    ON CONFLICT (product_id) DO UPDATE SET quantity = excluded.quantity, changed_at = excluded.changed_at
""")

# What a set of lines adds to (sign 1) or takes from (sign -1) the sales cube and the daily orders.
# ``line`` is a CTE of (purchase_id, day, product_id, store_id, currency, country, units, base, local, cost,
# bills): ``bills`` is 1 on the lines whose bills start or stop counting as orders.
_MOVE_AGGREGATES = """
    , sign AS (SELECT CAST(:sign AS integer) AS n)
    , calendar AS (
        INSERT INTO analytics.calendar (day, week, month, quarter, year, month_of_year, weekday)
        SELECT d, date_trunc('week', d)::date, date_trunc('month', d)::date, date_trunc('quarter', d)::date,
               extract(year FROM d), extract(month FROM d), extract(isodow FROM d)
        FROM (SELECT DISTINCT day AS d FROM line) AS days
        ON CONFLICT (day) DO NOTHING
    ), cube AS (
        INSERT INTO analytics.sales_daily AS d (day, product_id, store_id, currency, country, units, base_revenue,
                                                local_revenue, cost)
        SELECT day, product_id, store_id, currency, country, sign.n * sum(units), sign.n * sum(base),
               sign.n * sum(local), sign.n * sum(cost)
        FROM line, sign GROUP BY day, product_id, store_id, currency, country, sign.n
        ON CONFLICT (day, product_id, store_id, currency, country) DO UPDATE SET
            units = d.units + excluded.units, base_revenue = d.base_revenue + excluded.base_revenue,
            local_revenue = d.local_revenue + excluded.local_revenue, cost = d.cost + excluded.cost
    ), orders AS (
        INSERT INTO analytics.orders_daily AS o (day, store_id, currency, country, orders, units, base_revenue,
                                                 local_revenue, cost)
        SELECT day, store_id, currency, country, sign.n * count(DISTINCT purchase_id) FILTER (WHERE bills = 1),
               sign.n * sum(units), sign.n * sum(base), sign.n * sum(local), sign.n * sum(cost)
        FROM line, sign GROUP BY day, store_id, currency, country, sign.n
        ON CONFLICT (day, store_id, currency, country) DO UPDATE SET
            orders = o.orders + excluded.orders, units = o.units + excluded.units,
            base_revenue = o.base_revenue + excluded.base_revenue,
            local_revenue = o.local_revenue + excluded.local_revenue, cost = o.cost + excluded.cost
    )
    SELECT customer_id, count(*) FROM line GROUP BY customer_id
"""

# A line already kept (a redelivery past a lost position) is not kept, nor counted, again.
_RECORD_LINES = text(
    """
    WITH line AS (
        INSERT INTO analytics.sale_line (id, purchase_id, customer_id, product_id, store_id, day, currency,
                                         country, source, quantity, base_amount, local_amount, unit_cost)
        SELECT v.id, v.purchase_id, v.customer_id, v.product_id, v.store_id,
               CAST(v.purchased_at AT TIME ZONE CAST(:zone AS text) AS date), v.currency,
               coalesce(c.country, s.country, ''),
               v.source, v.quantity, v.base_amount, v.local_amount, p.unit_cost
        FROM unnest(CAST(:ids AS bigint[]), CAST(:purchases AS bigint[]), CAST(:customers AS bigint[]),
                    CAST(:products AS bigint[]), CAST(:stores AS bigint[]), CAST(:times AS timestamptz[]),
                    CAST(:currencies AS text[]), CAST(:sources AS text[]), CAST(:quantities AS integer[]),
                    CAST(:base_amounts AS numeric[]), CAST(:local_amounts AS numeric[]))
            AS v (id, purchase_id, customer_id, product_id, store_id, purchased_at, currency, source, quantity,
                  base_amount, local_amount)
        LEFT JOIN analytics.customer AS c ON c.id = v.customer_id
        LEFT JOIN analytics.store AS s ON s.id = v.store_id
        LEFT JOIN analytics.product AS p ON p.id = v.product_id
        ON CONFLICT (id) DO NOTHING
        RETURNING purchase_id, customer_id, day, product_id, store_id, currency, country, quantity AS units,
                  base_amount AS base, local_amount AS local, quantity * coalesce(unit_cost, 0) AS cost, 1 AS bills
    )"""
    + _MOVE_AGGREGATES
)

# Cancelling takes back what is left of each line (a line partly returned took the rest back before).
_CANCEL_LINES = text(
    """
    WITH line AS (
        UPDATE analytics.sale_line AS l SET status = 'cancelled'
        WHERE l.purchase_id = ANY(CAST(:ids AS bigint[])) AND l.status = 'recorded'
        RETURNING purchase_id, customer_id, day, product_id, store_id, currency, country,
                  quantity - returned_quantity AS units, base_amount - base_returned AS base,
                  local_amount - local_returned AS local,
                  (quantity - returned_quantity) * coalesce(unit_cost, 0) AS cost, 1 AS bills
    )"""
    + _MOVE_AGGREGATES
)

# A return takes back its units and amounts; the bill stays an order. A line returned twice in one
# batch is one update of the sum.
_RETURN_LINES = text(
    """
    WITH v AS (
        SELECT line_id, sum(quantity) AS quantity, sum(base_amount) AS base_amount, sum(local_amount) AS local_amount
        FROM unnest(CAST(:ids AS bigint[]), CAST(:quantities AS integer[]), CAST(:base_amounts AS numeric[]),
                    CAST(:local_amounts AS numeric[])) AS v (line_id, quantity, base_amount, local_amount)
        GROUP BY line_id
    ), line AS (
        UPDATE analytics.sale_line AS l SET returned_quantity = l.returned_quantity + v.quantity,
            base_returned = l.base_returned + v.base_amount, local_returned = l.local_returned + v.local_amount
        FROM v WHERE l.id = v.line_id AND l.status = 'recorded'
        RETURNING l.purchase_id, l.customer_id, l.day, l.product_id, l.store_id, l.currency, l.country,
                  v.quantity AS units, v.base_amount AS base, v.local_amount AS local,
                  v.quantity * coalesce(l.unit_cost, 0) AS cost, 0 AS bills
    )"""
    + _MOVE_AGGREGATES
)

# The customers' months, summaries and cohort cells, computed again for the customers a batch touched:
# the cells first lose what the old rows gave them, then gain what the new rows give.
_REFRESH_CUSTOMERS: tuple[TextClause, ...] = (
    text("""
        UPDATE analytics.cohort_cell AS c SET customers = c.customers - o.n
        FROM (SELECT s.first_month AS cohort, m.month, count(*) AS n
              FROM analytics.customer_month AS m JOIN analytics.customer_summary AS s USING (customer_id)
              WHERE m.customer_id = ANY(CAST(:ids AS bigint[])) GROUP BY 1, 2) AS o
        WHERE c.cohort = o.cohort AND c.month = o.month
    """),
    text("DELETE FROM analytics.customer_month WHERE customer_id = ANY(CAST(:ids AS bigint[]))"),
    text("DELETE FROM analytics.customer_summary WHERE customer_id = ANY(CAST(:ids AS bigint[]))"),
    text("""
        INSERT INTO analytics.customer_month (customer_id, month, first_day, last_day, orders, units, base_revenue)
        SELECT customer_id, date_trunc('month', day)::date, min(day), max(day), count(DISTINCT purchase_id),
               sum(quantity - returned_quantity), sum(base_amount - base_returned)
        FROM analytics.sale_line
        WHERE customer_id = ANY(CAST(:ids AS bigint[])) AND status = 'recorded'
        GROUP BY 1, 2
    """),
    text("""
        INSERT INTO analytics.customer_summary (customer_id, first_day, last_day, first_month, months, orders, units,
                                                base_revenue)
        SELECT customer_id, min(first_day), max(last_day), min(month), count(*), sum(orders), sum(units),
               sum(base_revenue)
        FROM analytics.customer_month
        WHERE customer_id = ANY(CAST(:ids AS bigint[]))
        GROUP BY 1
    """),
    text("""
        INSERT INTO analytics.cohort_cell AS c (cohort, month, customers)
        SELECT s.first_month, m.month, count(*)
        FROM analytics.customer_month AS m JOIN analytics.customer_summary AS s USING (customer_id)
        WHERE m.customer_id = ANY(CAST(:ids AS bigint[]))
        GROUP BY 1, 2
        ON CONFLICT (cohort, month) DO UPDATE SET customers = c.customers + excluded.customers
    """),
)

_MARK_FEED = text("""
    INSERT INTO analytics.feed_state AS f (consumer, events_until, applied_at, events, lines)
    VALUES (:consumer, :until, clock_timestamp(), :events, :lines)
    ON CONFLICT (consumer) DO UPDATE SET events_until = greatest(f.events_until, excluded.events_until),
        applied_at = excluded.applied_at, events = f.events + excluded.events, lines = f.lines + excluded.lines
""")


async def upsert_customers(session: AsyncSession, customers: Sequence[CustomerAttributes]) -> None:
    latest = {c.customer_id: c for c in customers}  # in order: the last event of a customer wins
    rows = list(latest.values())
    result = await session.execute(
        _UPSERT_CUSTOMERS,
        {
            "ids": [c.customer_id for c in rows],
            "genders": [c.gender for c in rows],
            "age_bands": [c.age_band for c in rows],
            "cities": [c.city for c in rows],
            "states": [c.state for c in rows],
            "countries": [c.country for c in rows],
            "continents": [c.continent for c in rows],
            "stores": [c.home_store_id for c in rows],
            "statuses": [c.status for c in rows],
        },
    )
    new = [row.id for row in result if row.inserted]
    if new:
        await _country_of_new_customers(session, new)


async def _country_of_new_customers(session: AsyncSession, customer_ids: Sequence[int]) -> None:
    left = (await session.execute(_COUNTRY_UNKNOWN_LINES, {"ids": list(customer_ids)})).all()
    if left:
        days, products, stores, currencies, countries = (list(column) for column in zip(*left, strict=True))
        await session.execute(
            _DROP_EMPTIED[0],
            {"days": days, "products": products, "stores": stores, "currencies": currencies, "countries": countries},
        )
        await session.execute(
            _DROP_EMPTIED[1], {"days": days, "stores": stores, "currencies": currencies, "countries": countries}
        )


async def set_customer_status(session: AsyncSession, ids: Sequence[int], status: str) -> None:
    await session.execute(_SET_CUSTOMER_STATUS, {"ids": list(ids), "statuses": [status] * len(ids)})


async def upsert_products(session: AsyncSession, products: Sequence[ProductAttributes]) -> None:
    rows = list({p.product_id: p for p in products}.values())
    ids = [p.product_id for p in rows]
    await session.execute(
        _UPSERT_PRODUCTS,
        {
            "ids": ids,
            "skus": [p.sku for p in rows],
            "names": [p.name for p in rows],
            "brands": [p.brand for p in rows],
            "categories": [p.category for p in rows],
            "subcategories": [p.subcategory for p in rows],
            "costs": [p.unit_cost for p in rows],
            "prices": [p.unit_price for p in rows],
            "tracked": [p.track_stock for p in rows],
            "statuses": [p.status for p in rows],
        },
    )
    await session.execute(_COST_UNKNOWN_LINES, {"ids": ids})


async def upsert_stores(session: AsyncSession, stores: Sequence[StoreAttributes]) -> None:
    rows = list({s.store_id: s for s in stores}.values())
    await session.execute(
        _UPSERT_STORES,
        {
            "ids": [s.store_id for s in rows],
            "names": [s.name for s in rows],
            "online": [s.online for s in rows],
            "countries": [s.country for s in rows],
            "states": [s.state for s in rows],
            "statuses": [s.status for s in rows],
        },
    )


async def upsert_rates(session: AsyncSession, upserts: Sequence[ExchangeRateUpserted]) -> None:
    rates = {(u.currency, r.date): r.rate for u in upserts for r in u.rates}
    await session.execute(
        _UPSERT_RATES,
        {"currencies": [c for c, _ in rates], "days": [d for _, d in rates], "rates": list(rates.values())},
    )


async def set_stock(session: AsyncSession, changes: Sequence[tuple[StockChanged, datetime]]) -> None:
    latest = {change.product_id: (change, at) for change, at in changes}  # in seq order: the last one stands
    await session.execute(
        _SET_STOCK,
        {
            "ids": list(latest),
            "quantities": [c.stock_quantity for c, _ in latest.values()],
            "times": [at for _, at in latest.values()],
        },
    )


def _customers(result: Any) -> set[int]:
    """The customers of the lines a statement moved (guests are none)."""
    return {int(customer_id) for customer_id, _ in result if customer_id is not None}


_LINE_COLUMNS = (
    "ids", "purchases", "customers", "products", "stores", "times", "currencies", "sources", "quantities",
    "base_amounts", "local_amounts",
)  # fmt: skip


@dataclass(frozen=True)
class Kept:
    customers: set[int]  # whose figures changed
    lines: int  # lines kept (none of a bill kept before)


async def record_purchases(session: AsyncSession, bills: Iterable[PurchaseRecorded], zone: str) -> Kept:
    """Keep the bills' lines and add them to the aggregates."""
    columns: tuple[list[Any], ...] = tuple([] for _ in _LINE_COLUMNS)
    ids, purchases, customers, products, stores, times, currencies, sources, quantities, bases, locals_ = columns
    for bill in bills:  # one pass, column by column: a batch of an import holds about 2,000 lines
        for line in bill.lines:
            ids.append(line.line_id)
            purchases.append(bill.purchase_id)
            customers.append(bill.customer_id)
            products.append(line.product_id)
            stores.append(bill.store_id)
            times.append(bill.purchased_at)
            currencies.append(bill.currency)
            sources.append(bill.source)
            quantities.append(line.quantity)
            bases.append(line.base_total)
            locals_.append(line.local_total)
    if not ids:
        return Kept(set(), 0)
    parameters = dict(zip(_LINE_COLUMNS, columns, strict=True))
    kept = (await session.execute(_RECORD_LINES, {"zone": zone, "sign": 1, **parameters})).all()
    return Kept({int(c) for c, _ in kept if c is not None}, sum(int(n) for _, n in kept))


async def cancel_purchases(session: AsyncSession, purchase_ids: Sequence[int]) -> set[int]:
    return _customers(await session.execute(_CANCEL_LINES, {"sign": -1, "ids": list(purchase_ids)}))


async def return_lines(session: AsyncSession, returns: Iterable[PurchaseLineReturned]) -> set[int]:
    lines = [line for event in returns for line in event.lines]
    result = await session.execute(
        _RETURN_LINES,
        {
            "sign": -1,
            "ids": [line.line_id for line in lines],
            "quantities": [line.quantity for line in lines],
            "base_amounts": [line.base_amount for line in lines],
            "local_amounts": [line.local_amount for line in lines],
        },
    )
    return _customers(result)


async def refresh_customers(session: AsyncSession, customer_ids: Iterable[int]) -> None:
    ids = sorted(customer_ids)
    if ids:
        for statement in _REFRESH_CUSTOMERS:
            await session.execute(statement, {"ids": ids})


async def mark_feed(session: AsyncSession, consumer: str, until: datetime, events: int, lines: int) -> None:
    await session.execute(_MARK_FEED, {"consumer": consumer, "until": until, "events": events, "lines": lines})


# Store 0, the online shop, is always there (SPEC §2): the customer service creates it without an event.
ONLINE_SHOP = text(
    "INSERT INTO analytics.store (id, name, online, status) VALUES (0, 'Online shop', true, 'active') "
    "ON CONFLICT (id) DO NOTHING"
)


def clear_statements(consumer: str) -> list[tuple[TextClause, dict[str, Any]]]:
    """Empty the star schema and the consumer's inbox, positions and held events (a rebuild's first step)."""
    tables = ", ".join(f"analytics.{name}" for name in STAR_TABLES)
    return [
        (text(f"TRUNCATE {tables}"), {}),
        (ONLINE_SHOP, {}),
        *(
            (text(f"DELETE FROM analytics.{name} WHERE consumer = :consumer"), {"consumer": consumer})
            for name in ("event_inbox", "aggregate_position", "event_held")
        ),
    ]


# A reward's facts, with what its event says happened: every event carries them all, so whichever is applied
# first makes the row, and each later one moves its status. ``allocated_by`` is only the allocation's to say.
_UPSERT_REWARDS = text("""
    INSERT INTO analytics.reward_fact AS r (reward_id, customer_id, product_id, category, percent, purchase_id,
        target_id, allocated_by, allocated_at, allocated_day, expires_at, status, redeemed_purchase_id, redeemed_at,
        redeemed_day, ended_at, ended_day)
    SELECT v.reward_id, v.customer_id, v.product_id, v.category, v.percent, v.purchase_id, v.target_id,
           v.allocated_by, v.allocated_at, CAST(v.allocated_at AT TIME ZONE CAST(:zone AS text) AS date),
           v.expires_at, v.status, v.redeemed_purchase_id, v.redeemed_at,
           CAST(v.redeemed_at AT TIME ZONE CAST(:zone AS text) AS date), v.ended_at,
           CAST(v.ended_at AT TIME ZONE CAST(:zone AS text) AS date)
    FROM unnest(CAST(:ids AS bigint[]), CAST(:customers AS bigint[]), CAST(:products AS bigint[]),
                CAST(:categories AS smallint[]), CAST(:percents AS smallint[]), CAST(:purchases AS bigint[]),
                CAST(:targets AS bigint[]), CAST(:allocated_by AS text[]), CAST(:allocated_at AS timestamptz[]),
                CAST(:expires_at AS timestamptz[]), CAST(:statuses AS text[]), CAST(:redeemed_purchases AS bigint[]),
                CAST(:redeemed_at AS timestamptz[]), CAST(:ended_at AS timestamptz[]))
        AS v (reward_id, customer_id, product_id, category, percent, purchase_id, target_id, allocated_by,
              allocated_at, expires_at, status, redeemed_purchase_id, redeemed_at, ended_at)
    ON CONFLICT (reward_id) DO UPDATE SET customer_id = excluded.customer_id, product_id = excluded.product_id,
        category = excluded.category, percent = excluded.percent, purchase_id = excluded.purchase_id,
        target_id = excluded.target_id, allocated_by = coalesce(excluded.allocated_by, r.allocated_by),
        allocated_at = excluded.allocated_at, allocated_day = excluded.allocated_day,
        expires_at = excluded.expires_at, status = excluded.status,
        redeemed_purchase_id = excluded.redeemed_purchase_id, redeemed_at = excluded.redeemed_at,
        redeemed_day = excluded.redeemed_day, ended_at = excluded.ended_at, ended_day = excluded.ended_day
""")

_INSERT_WALLET_ENTRIES = text("""
    INSERT INTO analytics.wallet_entry (entry_id, customer_id, kind, points, balance_after, purchase_id, lot_id,
                                        expires_at, created_at, day)
    SELECT v.entry_id, v.customer_id, v.kind, v.points, v.balance_after, v.purchase_id, v.lot_id, v.expires_at,
           v.created_at, CAST(v.created_at AT TIME ZONE CAST(:zone AS text) AS date)
    FROM unnest(CAST(:ids AS bigint[]), CAST(:customers AS bigint[]), CAST(:kinds AS text[]),
                CAST(:points AS bigint[]), CAST(:balances AS bigint[]), CAST(:purchases AS bigint[]),
                CAST(:lots AS bigint[]), CAST(:expires AS timestamptz[]), CAST(:times AS timestamptz[]))
        AS v (entry_id, customer_id, kind, points, balance_after, purchase_id, lot_id, expires_at, created_at)
    ON CONFLICT (entry_id) DO NOTHING
""")


@dataclass(frozen=True)
class RewardState:
    """A reward's facts and the state one of its events leaves it in."""

    facts: RewardFacts
    status: str  # allocated, redeemed, voided, expired
    allocated_by: str | None = None
    redeemed_purchase_id: int | None = None
    redeemed_at: datetime | None = None
    ended_at: datetime | None = None


async def put_rewards(session: AsyncSession, states: Sequence[RewardState], zone: str) -> None:
    """Each reward as its latest event in ``states`` leaves it (they come in each reward's order)."""
    latest = list({s.facts.reward_id: s for s in states}.values())
    if not latest:
        return
    await session.execute(
        _UPSERT_REWARDS,
        {
            "zone": zone,
            "ids": [s.facts.reward_id for s in latest],
            "customers": [s.facts.customer_id for s in latest],
            "products": [s.facts.product_id for s in latest],
            "categories": [s.facts.category for s in latest],
            "percents": [s.facts.percent for s in latest],
            "purchases": [s.facts.purchase_id for s in latest],
            "targets": [s.facts.target_id for s in latest],
            "allocated_by": [s.allocated_by for s in latest],
            "allocated_at": [s.facts.allocated_at for s in latest],
            "expires_at": [s.facts.expires_at for s in latest],
            "statuses": [s.status for s in latest],
            "redeemed_purchases": [s.redeemed_purchase_id for s in latest],
            "redeemed_at": [s.redeemed_at for s in latest],
            "ended_at": [s.ended_at for s in latest],
        },
    )


async def put_wallet_entries(session: AsyncSession, entries: Sequence[WalletEntryWritten], zone: str) -> None:
    """Keep the wallet entries (one already kept, a redelivery, is not kept again)."""
    if not entries:
        return
    await session.execute(
        _INSERT_WALLET_ENTRIES,
        {
            "zone": zone,
            "ids": [e.entry_id for e in entries],
            "customers": [e.customer_id for e in entries],
            "kinds": [e.kind for e in entries],
            "points": [e.points for e in entries],
            "balances": [e.balance_after for e in entries],
            "purchases": [e.purchase_id for e in entries],
            "lots": [e.lot_id for e in entries],
            "expires": [e.expires_at for e in entries],
            "times": [e.created_at for e in entries],
        },
    )
