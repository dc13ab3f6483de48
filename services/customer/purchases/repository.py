"""The statements of the purchase ledger's busiest path, hand-written and typed: ids, the read, the write.

A bill costs two round trips in its transaction: ``read_bill`` (its parties' status, the exchange
rate, its products locked in id order) and ``write_bill`` (the purchase, its lines, the stock
ledger's rows and every event, in one statement). Its ids are drawn before the transaction, from
blocks each process takes from the sequences now and then (``BillIds``).
"""

import asyncio
import weakref
from collections import deque
from dataclasses import dataclass, fields
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.customer.customers.models import Customer
from services.customer.exchange_rates.models import ExchangeRate
from services.customer.outbox import outbox
from services.customer.products.models import Product
from services.customer.purchases.models import Purchase, PurchaseFence, PurchaseLine
from services.customer.purchases.plan import (
    BillIds,
    BillPlan,
    BillRead,
    BillRequest,
    PlannedLine,
    ProductRow,
    Redemption,
    Totals,
)
from services.customer.stock import repository as stock_ledger
from services.customer.stores.models import Store
from services.kit.db import DriverStatement, table_of
from services.kit.errors import Conflict
from services.kit.integrity import constraint_name, raise_for_unique
from services.kit.outbox import BOUND

PU = table_of(Purchase)
PL = table_of(PurchaseLine)
PR = table_of(Product)


class Driver(Protocol):
    """The asyncpg connection of a ``driver_transaction`` (untyped upstream), as this module uses it."""

    async def fetch(self, query: str, *args: object) -> list[Any]: ...


@dataclass(frozen=True)
class StoredPurchase(Totals):
    """A purchase row as written: its totals, and the rest of it."""

    id: int
    number: str | None
    customer_id: int | None
    store_id: int
    channel: str
    source: str
    status: str
    currency: str
    rate: Decimal
    rate_date: date | None
    purchased_at: datetime
    reward_token: str | None
    base_returned: Decimal
    local_returned: Decimal
    cancelled_at: datetime | None
    cancel_reason: str | None
    reward_product_id: int | None
    reward_percent: int | None
    local_reward_discount: Decimal
    points_spent: int
    points_value: Decimal
    local_points_discount: Decimal


_STORED = tuple(f.name for f in fields(StoredPurchase))
_PRODUCT = tuple(f.name for f in fields(ProductRow))


class _IdBlocks:
    """Ids of one sequence, taken a block at a time (gaps are fine; each id is used once)."""

    def __init__(self, sequence_of: str, block: int) -> None:
        self.block = block
        self.ids: deque[int] = deque()
        self.lock = asyncio.Lock()
        self.draw = text(f"SELECT nextval(pg_get_serial_sequence('{sequence_of}', 'id')) FROM generate_series(1, :n)")

    async def take(self, engine: AsyncEngine, n: int) -> list[int]:
        async with self.lock:
            if len(self.ids) < n:
                async with engine.connect() as connection:
                    drawn = await connection.execute(self.draw, {"n": max(self.block, n)})
                    self.ids.extend(int(value) for value in drawn.scalars())
            return [self.ids.popleft() for _ in range(n)]


class _Allocator:
    def __init__(self) -> None:
        self.purchases = _IdBlocks(PU.fullname, 64)
        self.lines = _IdBlocks(PL.fullname, 256)


_allocators: "weakref.WeakKeyDictionary[AsyncEngine, _Allocator]" = weakref.WeakKeyDictionary()


async def draw_ids(engine: AsyncEngine, lines: int) -> BillIds:
    """The ids of a new bill and its lines, before its transaction begins."""
    allocator = _allocators.get(engine)
    if allocator is None:  # once per engine (``setdefault`` would build one, and compile its SQL, every time)
        allocator = _allocators[engine] = _Allocator()
    (purchase_id,) = await allocator.purchases.take(engine, 1)
    return BillIds(purchase_id=purchase_id, line_ids=await allocator.lines.take(engine, lines))


# A bill's read: its store's and customer's status, the exchange rate of its currency (none is read
# for the base currency), and its products locked in id order, so concurrent bills cannot deadlock.
_READ = DriverStatement.of(
    text(
        f"""
    WITH head AS MATERIALIZED (
        SELECT (SELECT status FROM {table_of(Store).fullname} WHERE id = :store_id) AS store_status,
               (SELECT status FROM {table_of(Customer).fullname} WHERE id = :customer_id) AS customer_status,
               rate.rate_date, rate.rate
        FROM (SELECT) AS bill LEFT JOIN LATERAL (
            SELECT rate_date, rate FROM {table_of(ExchangeRate).fullname}
            WHERE currency = CAST(:rate_currency AS text) AND rate_date <= CAST(:rate_day AS date)
            ORDER BY rate_date DESC LIMIT 1
        ) AS rate ON true
    ),
    locked AS MATERIALIZED (
        SELECT {", ".join(_PRODUCT)}
        FROM {PR.fullname} WHERE id = ANY(CAST(:product_ids AS bigint[])) ORDER BY id FOR UPDATE
    )
    SELECT head.*, locked.* FROM head LEFT JOIN locked ON true
    """
    )
)


async def read_bill(db: Driver, request: BillRequest) -> BillRead:
    """What the bill needs to know, its products locked until the transaction ends."""
    rows = await _READ.fetch(
        db,
        {
            "store_id": request.data.store_id,
            "customer_id": request.customer_id,
            "rate_currency": None if request.currency == request.base_currency else request.currency,
            "rate_day": request.rate_day,
            "product_ids": request.product_ids,
        },
    )
    head = rows[0]
    products = {row["id"]: ProductRow(**{name: row[name] for name in _PRODUCT}) for row in rows if row["id"]}
    return BillRead(
        store_status=head["store_status"],
        customer_status=head["customer_status"],
        rate_date=head["rate_date"],
        rate=head["rate"],
        products=products,
    )


_LINE_COLUMNS = tuple(f.name for f in fields(PlannedLine) if f.name != "returned_quantity")
_LINE_TYPES = {"id": "bigint", "line_no": "integer", "product_id": "bigint", "quantity": "integer"}
# What a new bill writes of its row; the rest (status, returns, cancellation) starts at its default.
_PURCHASE_COLUMNS = tuple(
    name
    for name in _STORED
    if name not in {"status", "base_returned", "local_returned", "cancelled_at", "cancel_reason"}
)

# A bill's own rows: the purchase, its lines, and the stock it takes (the ledger's changes, one per product).
_BILL = [
    f"""purchase AS (
        INSERT INTO {PU.fullname} ({", ".join(_PURCHASE_COLUMNS)})
        VALUES ({", ".join(f":{c}" for c in _PURCHASE_COLUMNS)})
        RETURNING {", ".join(_STORED)}
    )""",
    f"""line AS (
        INSERT INTO {PL.fullname} (purchase_id, {", ".join(_LINE_COLUMNS)})
        SELECT :id, l.* FROM unnest(
            {", ".join(f"CAST(:line_{c} AS {_LINE_TYPES.get(c, 'numeric')}[])" for c in _LINE_COLUMNS)}
        ) AS l ({", ".join(_LINE_COLUMNS)})
    )""",
    # A bill with a reservation claims its id on the fence: if the loyalty service abandoned the id first
    # (the bill was too slow), this insert collides and the bill fails rather than redeem twice.
    f"""fence AS (
        INSERT INTO {table_of(PurchaseFence).fullname} (purchase_id, outcome)
        SELECT :id, 'recorded' WHERE CAST(:fenced AS boolean)
    )""",
    """taken AS (
        SELECT t.product_id, CAST('sale' AS text) AS kind, t.quantity, CAST(NULL AS text) AS reason,
               CAST(:id AS bigint) AS purchase_id, t.ord
        FROM unnest(CAST(:taken_products AS bigint[]), CAST(:taken_quantities AS bigint[]))
            WITH ORDINALITY AS t (product_id, quantity, ord)
    )""",
]

# A bill's writes in one statement: its rows, the stock ledger's own SQL and its events; the purchase
# row comes back as stored.
_WRITE = DriverStatement.of(
    text(
        outbox.statement(
            BOUND,
            ctes=[*_BILL, *stock_ledger.ledger_ctes("taken", per_product="taken")],
            result=f"SELECT {', '.join(_STORED)} FROM purchase",
        )
    )
)


async def write_bill(db: Driver, plan: BillPlan) -> StoredPurchase:
    """Write the bill, its stock and its events; a live bill number used twice is a 409 naming it."""
    request, totals = plan.request, plan.totals
    announced, *_ = outbox.parameters([plan.recorded, *plan.stock_changed])
    values: dict[str, object] = {
        "id": plan.purchase_id,
        "number": request.data.number,
        "customer_id": request.customer_id,
        "store_id": request.data.store_id,
        "channel": request.channel,
        "source": plan.recorded.source,
        "currency": request.currency,
        "rate": plan.rate,
        "rate_date": plan.rate_date,
        "purchased_at": request.purchased_at,
        "reward_token": request.data.reward_token,
        **_redeemed(plan),
        "fenced": plan.redemption is not None,
        **vars(totals),
        **{f"line_{c}": [getattr(line, c) for line in plan.lines] for c in _LINE_COLUMNS},
        "taken_products": [change.product_id for change in plan.taken],
        "taken_quantities": [change.quantity for change in plan.taken],
        **announced,
    }
    try:
        (row,) = await _WRITE.fetch(db, values)
    except IntegrityError as exc:
        if constraint_name(exc) == "pk_purchase_fence":
            raise Conflict(
                "the bill took too long: what it redeemed was released and it was not recorded; record it again"
            ) from exc
        raise_for_unique(exc, {"uq_purchase_source_number": ("body.number", "a live purchase has this number")})
        raise
    return StoredPurchase(**{name: row[name] for name in _STORED})


def _redeemed(plan: BillPlan) -> dict[str, object]:
    redemption = plan.redemption or Redemption()
    return {
        "reward_product_id": redemption.reward_product_id,
        "reward_percent": redemption.reward_percent,
        "local_reward_discount": plan.redeemed.local_reward_discount,
        "points_spent": redemption.points,
        "points_value": redemption.points_value,
        "local_points_discount": plan.redeemed.local_points_discount,
    }


# The fence: the loyalty service abandons a purchase id whose reservation waited too long. The marker
# goes in unless the bill claimed the id first (or is a bill at all); either way the outcome is read back.
_ABANDON = text(
    f"""
    INSERT INTO {table_of(PurchaseFence).fullname} (purchase_id, outcome)
    SELECT :id, 'abandoned' WHERE NOT EXISTS (SELECT FROM {PU.fullname} WHERE id = :id)
    ON CONFLICT (purchase_id) DO NOTHING
    RETURNING outcome
    """
)
_OUTCOME = text(f"SELECT outcome FROM {table_of(PurchaseFence).fullname} WHERE purchase_id = :id")


async def abandon(session: AsyncSession, purchase_id: int) -> str:
    """Fence ``purchase_id`` off: ``abandoned`` (no bill can take it now) or ``recorded`` (a bill has it)."""
    outcome = (await session.execute(_ABANDON, {"id": purchase_id})).scalar()
    if outcome is None:  # a bill claimed it first: read that (a new statement sees its commit)
        outcome = (await session.execute(_OUTCOME, {"id": purchase_id})).scalar() or "recorded"
    return str(outcome)
