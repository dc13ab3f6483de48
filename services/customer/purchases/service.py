"""The purchase ledger: record a bill atomically with its stock, cancel it, return part of a line.

Every write locks the rows it changes in a fixed order (the purchase, then its products by id), so
concurrent bills, cancellations and returns can neither deadlock nor lose an update, and a bill
that any line cannot serve is refused whole.
"""

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from services.contracts.customer import (
    PurchaseCancelled,
    PurchaseLineAmounts,
    PurchaseLineReturned,
    PurchaseRecorded,
    ReturnedLine,
)
from services.customer.base import RecordStatus
from services.customer.customers.models import Customer
from services.customer.exchange_rates.models import ExchangeRate
from services.customer.outbox import outbox
from services.customer.products.models import Product
from services.customer.purchases.models import Purchase, PurchaseLine
from services.customer.purchases.pricing import ZERO, LineAmounts, price_line, refund, returned_share
from services.customer.purchases.schemas import (
    PurchaseCreate,
    PurchaseLinePublic,
    PurchasePublic,
    PurchaseSource,
    PurchaseStatus,
    ReturnRequest,
)
from services.customer.stock import repository as stock_ledger
from services.customer.stock.repository import StockChange
from services.customer.stock.service import apply_changes, lock_products
from services.customer.stores.models import Store
from services.kit.clock import utcnow
from services.kit.db import DriverStatement, table_of
from services.kit.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from services.kit.integrity import raise_for_unique
from services.kit.outbox import BOUND
from services.kit.pagination import PageParams, SortKey, paginate
from services.kit.principal import Principal, PrincipalKind

PU = table_of(Purchase)
PL = table_of(PurchaseLine)
PR = table_of(Product)

_LINE_EVENT_FIELDS = (
    "line_no",
    "product_id",
    "quantity",
    "base_unit_price",
    "local_unit_price",
    "base_discount",
    "local_discount",
    "base_total",
    "local_total",
)

# Clocks of tills and phones drift; a bill a few minutes "in the future" is still a bill of now.
FUTURE_TOLERANCE = timedelta(minutes=5)


@dataclass(frozen=True)
class Ledger:
    """What the ledger needs from the deployment's settings."""

    base_currency: str
    business_timezone: str


def _acting_customer(principal: Principal, customer_id: int | None) -> int | None:
    """A customer records bills only for themself; staff and partners record for anyone."""
    if principal.kind is not PrincipalKind.CUSTOMER:
        return customer_id
    if customer_id is not None and customer_id != principal.customer_id:
        raise Forbidden("a customer can record purchases only for themself")
    return principal.customer_id


def _check_parties(
    *, customer_id: int | None, customer_status: str | None, store_id: int, store_status: str | None
) -> None:
    errors = []
    if store_status is None:
        errors.append(FieldError("body.store_id", f"store {store_id} does not exist", "unknown"))
    elif store_status != RecordStatus.ACTIVE:
        errors.append(FieldError("body.store_id", f"store {store_id} is inactive", "inactive"))
    if customer_id is not None:
        if customer_status is None:
            errors.append(FieldError("body.customer_id", f"customer {customer_id} does not exist", "unknown"))
        elif customer_status != RecordStatus.ACTIVE:
            errors.append(FieldError("body.customer_id", f"customer {customer_id} is inactive", "inactive"))
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)


def _check_lines_shape(data: PurchaseCreate) -> None:
    errors: list[FieldError] = []
    seen: dict[int, int] = {}
    for index, line in enumerate(data.lines):
        if line.product_id in seen:
            errors.append(
                FieldError(
                    f"body.lines.{index}.product_id",
                    f"repeats lines.{seen[line.product_id]}; put the quantity on one line",
                    "duplicate",
                )
            )
        seen.setdefault(line.product_id, index)
    if errors:
        raise InvalidInput("a product appears on two lines", errors=errors)


def _price_lines(data: PurchaseCreate, products: dict[int, Any], rate: Decimal) -> list[LineAmounts]:
    """Each line priced from its locked product; refused whole (422, or 409 if short) if any line cannot be served."""
    errors: list[FieldError] = []
    priced: list[LineAmounts] = []
    short: list[dict[str, int]] = []
    for index, line in enumerate(data.lines):
        product = products.get(line.product_id)
        if product is None:
            errors.append(
                FieldError(f"body.lines.{index}.product_id", f"product {line.product_id} does not exist", "unknown")
            )
            continue
        if product.status != RecordStatus.ACTIVE:
            errors.append(
                FieldError(f"body.lines.{index}.product_id", f"product {line.product_id} is inactive", "inactive")
            )
            continue
        try:
            priced.append(
                price_line(
                    base_unit_price=product.unit_price, quantity=line.quantity, rate=rate, local_discount=line.discount
                )
            )
        except ValueError:
            errors.append(FieldError(f"body.lines.{index}.discount", "discount exceeds the line's price", "too_large"))
            continue
        if product.track_stock and product.stock_quantity < line.quantity:
            short.append(
                {
                    "line": index,
                    "product_id": line.product_id,
                    "requested": line.quantity,
                    "available": product.stock_quantity,
                }
            )
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    if short:
        raise Conflict(
            "not enough stock for " + ", ".join(f"product {s['product_id']}" for s in short),
            errors=[
                FieldError(f"body.lines.{s['line']}.quantity", f"only {s['available']} in stock", "insufficient_stock")
                for s in short
            ],
            short_lines=short,
        )
    return priced


async def record_purchase(
    db: Any, *, data: PurchaseCreate, principal: Principal, ledger: Ledger, idempotency_key: str | None
) -> tuple[int, PurchasePublic | None]:
    """Record a live bill in ``db``'s ``driver_transaction``; return its id and, if it is new, the bill.

    None instead of the bill means a retry of one already recorded (read it with ``load_purchases``).
    Two statements: one read (parties, exchange rate, locked products, new ids) and one write (bill,
    lines, stock, events); the new bill is answered from what was written, not read back.
    """
    if idempotency_key:
        # One key, one bill: a retry racing the original waits here, then finds it (in a new snapshot).
        await _LOCK_KEY.fetch(db, {"key": idempotency_key})
        existing = await _BY_KEY.fetchrow(db, {"key": idempotency_key})
        if existing is not None:
            return int(existing["id"]), None

    customer_id = _acting_customer(principal, data.customer_id)
    _check_lines_shape(data)
    now = utcnow()
    purchased_at = data.purchased_at or now
    if purchased_at.tzinfo is None:
        purchased_at = purchased_at.replace(tzinfo=ZoneInfo(ledger.business_timezone))
    if purchased_at > now + FUTURE_TOLERANCE:
        raise InvalidInput.field("body.purchased_at", "a purchase cannot lie in the future", "future")
    currency = data.currency or ledger.base_currency
    rate_day = purchased_at.astimezone(ZoneInfo(ledger.business_timezone)).date()
    read = [
        SimpleNamespace(**row)
        for row in await _READ.fetch(
            db,
            {
                "store_id": data.store_id,
                "customer_id": customer_id,
                "rate_currency": None if currency == ledger.base_currency else currency,
                "rate_day": rate_day,
                "product_ids": sorted({line.product_id for line in data.lines}),
                "line_nos": list(range(1, len(data.lines) + 1)),
            },
        )
    ]
    head = read[0]
    _check_parties(
        customer_id=customer_id,
        customer_status=head.customer_status,
        store_id=data.store_id,
        store_status=head.store_status,
    )
    if currency == ledger.base_currency:
        rate_date, rate = None, Decimal(1)
    elif head.rate is None:
        raise InvalidInput.field("body.currency", f"no {currency} exchange rate on or before {rate_day}", "no_rate")
    else:
        rate_date, rate = head.rate_date, head.rate
    products = {row.id: row for row in read if row.id is not None}
    priced = _price_lines(data, products, rate)

    purchase_id = head.purchase_id
    lines = [
        SimpleNamespace(
            id=line_id,
            purchase_id=purchase_id,
            line_no=no,
            product_id=line.product_id,
            quantity=line.quantity,
            returned_quantity=0,
            **vars(amounts),
        )
        for no, (line_id, line, amounts) in enumerate(zip(head.line_ids, data.lines, priced, strict=True), start=1)
    ]
    totals = {
        field: sum((getattr(p, field) for p in priced), ZERO)
        for field in ("base_gross", "base_discount", "base_total", "local_gross", "local_discount", "local_total")
    }
    recorded = PurchaseRecorded(
        purchase_id=purchase_id,
        number=data.number,
        customer_id=customer_id,
        store_id=data.store_id,
        channel=principal.channel.value,
        source=PurchaseSource.LIVE.value,
        currency=currency,
        base_currency=ledger.base_currency,
        rate=rate,
        purchased_at=purchased_at,
        reward_token=data.reward_token,
        base_total=totals["base_total"],
        local_total=totals["local_total"],
        base_discount=totals["base_discount"],
        local_discount=totals["local_discount"],
        lines=[
            PurchaseLineAmounts(line_id=line.id, **{k: vars(line)[k] for k in _LINE_EVENT_FIELDS}) for line in lines
        ],
    )
    # Tracked products give stock: their rows are locked, so the quantity each is left with is known.
    taken = [
        StockChange(line.product_id, -line.quantity, "sale", purchase_id=purchase_id)
        for line in lines
        if products[line.product_id].track_stock
    ]
    stock_before = {change.product_id: products[change.product_id].stock_quantity for change in taken}
    announced, *_ = outbox.parameters([recorded, *stock_ledger.changed_events(taken, stock_before)])
    values = {
        "purchase_id": purchase_id,
        "number": data.number,
        "idempotency_key": idempotency_key,
        "customer_id": customer_id,
        "store_id": data.store_id,
        "channel": principal.channel.value,
        "source": PurchaseSource.LIVE.value,
        "currency": currency,
        "rate": rate,
        "rate_date": rate_date,
        "purchased_at": purchased_at,
        "reward_token": data.reward_token,
        **totals,
        **{f"line_{field}": [vars(line)[field] for line in lines] for field in _LINE_COLUMNS},
        "taken_products": [change.product_id for change in taken],
        "taken_quantities": [change.quantity for change in taken],
        **announced,
    }
    try:
        purchase = SimpleNamespace(**await _WRITE.fetchrow(db, values))
    except IntegrityError as exc:
        raise_for_unique(exc, {"uq_purchase_source_number": ("body.number", "a live purchase has this number")})
        raise
    public_lines = [_line_public(line, products[line.product_id], purchase_status=purchase.status) for line in lines]
    return purchase_id, _purchase_public(purchase, public_lines, base_currency=ledger.base_currency)


# A bill's reads in one round trip: its store's and customer's status, the exchange rate of its
# currency (none is read for the base currency), its products locked in id order (so concurrent bills
# cannot deadlock), and the ids its purchase and lines will have. The line ids are drawn over an
# array, not generate_series(1, n): PostgreSQL estimates a series from its bounds and would plan the
# statement afresh for every bill rather than reuse one plan.
_READ = DriverStatement.of(
    text(
        f"""
    WITH head AS MATERIALIZED (
        SELECT (SELECT status FROM {table_of(Store).fullname} WHERE id = :store_id) AS store_status,
               (SELECT status FROM {table_of(Customer).fullname} WHERE id = :customer_id) AS customer_status,
               rate.rate_date, rate.rate,
               nextval(pg_get_serial_sequence('{PU.fullname}', 'id')) AS purchase_id,
               ARRAY(SELECT nextval(pg_get_serial_sequence('{PL.fullname}', 'id'))
                     FROM unnest(CAST(:line_nos AS integer[]))) AS line_ids
        FROM (SELECT) AS bill LEFT JOIN LATERAL (
            SELECT rate_date, rate FROM {table_of(ExchangeRate).fullname}
            WHERE currency = CAST(:rate_currency AS text) AND rate_date <= CAST(:rate_day AS date)
            ORDER BY rate_date DESC LIMIT 1
        ) AS rate ON true
    ),
    locked AS MATERIALIZED (
        SELECT id, sku, name, brand, category, unit_price, status, track_stock, stock_quantity
        FROM {PR.fullname} WHERE id = ANY(CAST(:product_ids AS bigint[])) ORDER BY id FOR UPDATE
    )
    SELECT head.*, locked.* FROM head LEFT JOIN locked ON true
    """
    )
)

# An idempotency key's bill: the key's lock first, then a read in the snapshot of a new statement,
# which sees the bill of a transaction the lock waited for.
_LOCK_KEY = DriverStatement.of(text("SELECT pg_advisory_xact_lock(hashtext('purchase:' || CAST(:key AS text)))"))
_BY_KEY = DriverStatement.of(text(f"SELECT id FROM {PU.fullname} WHERE idempotency_key = :key"))

_LINE_COLUMNS = ("id", "line_no", "product_id", "quantity", *(f.name for f in fields(LineAmounts)))
_LINE_TYPES = {"id": "bigint", "line_no": "integer", "product_id": "bigint", "quantity": "integer"}

# A bill's own rows: the purchase, its lines, and the stock it takes (the ledger's changes, one per product).
_BILL = [
    f"""purchase AS (
        INSERT INTO {PU.fullname} (
            id, number, idempotency_key, customer_id, store_id, channel, source, currency, rate, rate_date,
            purchased_at, reward_token, base_gross, base_discount, base_total, local_gross, local_discount,
            local_total
        ) VALUES (
            :purchase_id, :number, :idempotency_key, :customer_id, :store_id, :channel, :source, :currency,
            :rate, :rate_date, :purchased_at, :reward_token, :base_gross, :base_discount, :base_total,
            :local_gross, :local_discount, :local_total
        )
        RETURNING *
    )""",
    f"""line AS (
        INSERT INTO {PL.fullname} (purchase_id, {", ".join(_LINE_COLUMNS)})
        SELECT :purchase_id, l.* FROM unnest(
            {", ".join(f"CAST(:line_{c} AS {_LINE_TYPES.get(c, 'numeric')}[])" for c in _LINE_COLUMNS)}
        ) AS l ({", ".join(_LINE_COLUMNS)})
    )""",
    """taken AS (
        SELECT t.product_id, CAST('sale' AS text) AS kind, t.quantity, CAST(NULL AS text) AS reason,
               CAST(:purchase_id AS bigint) AS purchase_id, t.ord
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
            result="SELECT * FROM purchase",
        )
    )
)


async def _lock_purchase(session: AsyncSession, purchase_id: int) -> Any:
    row = (await session.execute(select(PU).where(PU.c.id == purchase_id).with_for_update())).first()
    if row is None:
        raise NotFound(f"purchase {purchase_id} does not exist")
    return row


def _stock(locked: dict[int, Any]) -> dict[int, int]:
    """Each locked product's quantity, as ``apply_changes`` wants it."""
    return {product_id: row.stock_quantity for product_id, row in locked.items()}


async def cancel_purchase(session: AsyncSession, *, purchase_id: int, reason: str | None) -> None:
    """Cancel a whole bill: what was not returned goes back to stock; never twice."""
    purchase = await _lock_purchase(session, purchase_id)
    if purchase.status == PurchaseStatus.CANCELLED:
        raise Conflict(f"purchase {purchase_id} is already cancelled")
    lines = (await session.execute(select(PL).where(PL.c.purchase_id == purchase_id).order_by(PL.c.line_no))).all()
    locked = await lock_products(session, [line.product_id for line in lines])
    await apply_changes(
        session,
        [
            StockChange(line.product_id, line.quantity - line.returned_quantity, "cancellation", reason, purchase_id)
            for line in lines
            if locked[line.product_id].track_stock and line.quantity > line.returned_quantity
        ],
        stock=_stock(locked),
    )
    cancelled_at = (
        await session.execute(
            update(PU)
            .where(PU.c.id == purchase_id)
            .values(status=PurchaseStatus.CANCELLED.value, cancelled_at=func.now(), cancel_reason=reason)
            .returning(PU.c.cancelled_at)
        )
    ).scalar_one()
    await outbox.add(
        session,
        PurchaseCancelled(
            purchase_id=purchase_id,
            customer_id=purchase.customer_id,
            source=purchase.source,
            cancelled_at=cancelled_at,
            base_amount=purchase.base_total - purchase.base_returned,
            local_amount=purchase.local_total - purchase.local_returned,
        ),
    )


async def return_lines(session: AsyncSession, *, purchase_id: int, data: ReturnRequest) -> None:
    """Return part of one or more lines: never more than was bought and not yet returned."""
    purchase = await _lock_purchase(session, purchase_id)
    if purchase.status == PurchaseStatus.CANCELLED:
        raise Conflict(f"purchase {purchase_id} is cancelled; nothing can be returned")
    lines = {row.id: row for row in (await session.execute(select(PL).where(PL.c.purchase_id == purchase_id))).all()}
    errors: list[FieldError] = []
    seen: set[int] = set()
    for index, item in enumerate(data.lines):
        if item.line_id in seen:
            errors.append(FieldError(f"body.lines.{index}.line_id", "line appears twice", "duplicate"))
        elif item.line_id not in lines:
            errors.append(
                FieldError(
                    f"body.lines.{index}.line_id", f"line {item.line_id} is not on purchase {purchase_id}", "unknown"
                )
            )
        seen.add(item.line_id)
    if errors:
        raise InvalidInput("; ".join(e["message"] for e in errors), errors=errors)
    over = [
        FieldError(
            f"body.lines.{index}.quantity",
            f"only {lines[item.line_id].quantity - lines[item.line_id].returned_quantity} left to return",
            "too_many",
        )
        for index, item in enumerate(data.lines)
        if item.quantity > lines[item.line_id].quantity - lines[item.line_id].returned_quantity
    ]
    if over:
        raise Conflict("cannot return more than was bought", errors=over)

    locked = await lock_products(session, [lines[item.line_id].product_id for item in data.lines])
    returned: list[ReturnedLine] = []
    for item in data.lines:
        line = lines[item.line_id]
        returned.append(
            ReturnedLine(
                line_id=line.id,
                product_id=line.product_id,
                quantity=item.quantity,
                base_amount=refund(line.base_total, line.quantity, line.returned_quantity, item.quantity),
                local_amount=refund(line.local_total, line.quantity, line.returned_quantity, item.quantity),
            )
        )
        await session.execute(
            update(PL).where(PL.c.id == line.id).values(returned_quantity=PL.c.returned_quantity + item.quantity)
        )
    await apply_changes(
        session,
        [
            StockChange(lines[item.line_id].product_id, item.quantity, "return", data.reason, purchase_id)
            for item in data.lines
            if locked[lines[item.line_id].product_id].track_stock
        ],
        stock=_stock(locked),
    )
    base_refund = sum((line.base_amount for line in returned), ZERO)
    local_refund = sum((line.local_amount for line in returned), ZERO)
    await session.execute(
        update(PU)
        .where(PU.c.id == purchase_id)
        .values(base_returned=PU.c.base_returned + base_refund, local_returned=PU.c.local_returned + local_refund)
    )
    await outbox.add(
        session,
        PurchaseLineReturned(
            purchase_id=purchase_id,
            customer_id=purchase.customer_id,
            source=purchase.source,
            returned_at=utcnow(),
            lines=returned,
        ),
    )


def _line_public(row: Any, product: Any, *, purchase_status: str) -> PurchaseLinePublic:
    """A line as the API shows it; ``product`` has its sku, name, brand and category."""
    cancelled = purchase_status == PurchaseStatus.CANCELLED
    gone = row.quantity if cancelled else row.returned_quantity
    return PurchaseLinePublic(
        id=row.id,
        line_no=row.line_no,
        product_id=row.product_id,
        sku=product.sku,
        name=product.name,
        brand=product.brand,
        category=product.category,
        quantity=row.quantity,
        returned_quantity=row.returned_quantity,
        base_unit_price=row.base_unit_price,
        local_unit_price=row.local_unit_price,
        base_gross=row.base_gross,
        base_discount=row.base_discount,
        base_total=row.base_total,
        local_gross=row.local_gross,
        local_discount=row.local_discount,
        local_total=row.local_total,
        base_net=row.base_total - returned_share(row.base_total, row.quantity, gone),
        local_net=row.local_total - returned_share(row.local_total, row.quantity, gone),
    )


async def load_purchases(session: AsyncSession, ids: Sequence[int], *, base_currency: str) -> list[PurchasePublic]:
    """Bills with their lines and product details, in the order of ``ids``."""
    if not ids:
        return []
    purchases = {row.id: row for row in (await session.execute(select(PU).where(PU.c.id.in_(ids)))).all()}
    line_rows = (
        await session.execute(
            select(PL, PR.c.sku, PR.c.name, PR.c.brand, PR.c.category, PU.c.status.label("purchase_status"))
            .join(PR, PR.c.id == PL.c.product_id)
            .join(PU, PU.c.id == PL.c.purchase_id)
            .where(PL.c.purchase_id.in_(ids))
            .order_by(PL.c.purchase_id, PL.c.line_no)
        )
    ).all()
    lines: dict[int, list[PurchaseLinePublic]] = {}
    for row in line_rows:
        lines.setdefault(row.purchase_id, []).append(_line_public(row, row, purchase_status=row.purchase_status))
    result = []
    for purchase_id in ids:
        p = purchases.get(purchase_id)
        if p is None:
            continue
        result.append(_purchase_public(p, lines.get(purchase_id, []), base_currency=base_currency))
    return result


def _purchase_public(p: Any, lines: list[PurchaseLinePublic], *, base_currency: str) -> PurchasePublic:
    """A bill as the API shows it, from its ``purchase`` row and its lines."""
    cancelled = p.status == PurchaseStatus.CANCELLED
    return PurchasePublic(
        id=p.id,
        number=p.number,
        customer_id=p.customer_id,
        store_id=p.store_id,
        channel=p.channel,
        source=p.source,
        status=p.status,
        base_currency=base_currency,
        currency=p.currency,
        rate=p.rate,
        rate_date=p.rate_date,
        purchased_at=p.purchased_at,
        reward_token=p.reward_token,
        base_gross=p.base_gross,
        base_discount=p.base_discount,
        base_total=p.base_total,
        local_gross=p.local_gross,
        local_discount=p.local_discount,
        local_total=p.local_total,
        base_returned=p.base_returned,
        local_returned=p.local_returned,
        base_net=ZERO if cancelled else p.base_total - p.base_returned,
        local_net=ZERO if cancelled else p.local_total - p.local_returned,
        cancelled_at=p.cancelled_at,
        cancel_reason=p.cancel_reason,
        lines=lines,
    )


async def get_purchase_or_raise(
    session: AsyncSession, *, purchase_id: int, principal: Principal, base_currency: str
) -> PurchasePublic:
    found = await load_purchases(session, [purchase_id], base_currency=base_currency)
    if not found or not _may_see(principal, found[0].customer_id):
        raise NotFound(f"purchase {purchase_id} does not exist")
    return found[0]


def _may_see(principal: Principal, customer_id: int | None) -> bool:
    return principal.kind is not PrincipalKind.CUSTOMER or principal.customer_id == customer_id


NEWEST_FIRST = SortKey("-purchased_at", PU.c.purchased_at, PU.c.id, descending=True)


def _filtered(statement: Select[Any], filters: dict[str, Any]) -> Select[Any]:
    for name in ("customer_id", "store_id", "status", "source", "channel", "currency"):
        if filters.get(name) is not None:
            statement = statement.where(PU.c[name] == filters[name])
    if filters.get("purchased_from") is not None:
        statement = statement.where(PU.c.purchased_at >= filters["purchased_from"])
    if filters.get("purchased_to") is not None:
        statement = statement.where(PU.c.purchased_at < filters["purchased_to"])
    return statement


async def list_purchases(
    session: AsyncSession, *, filters: dict[str, Any], page: PageParams, principal: Principal, base_currency: str
) -> tuple[list[PurchasePublic], str | None]:
    """Bills newest first, filtered; a customer principal sees only their own."""
    if principal.kind is PrincipalKind.CUSTOMER:
        if filters.get("customer_id") not in (None, principal.customer_id):
            raise Forbidden("a customer can read only their own purchases")
        filters = {**filters, "customer_id": principal.customer_id}
    if (
        filters.get("purchased_from")
        and filters.get("purchased_to")
        and filters["purchased_from"] > filters["purchased_to"]
    ):
        raise InvalidInput.field("query.purchased_from", "must not be after purchased_to", "range")
    ids, next_cursor = await paginate(session, _filtered(select(PU.c.id), filters), sort=NEWEST_FIRST, params=page)
    return await load_purchases(session, ids, base_currency=base_currency), next_cursor
