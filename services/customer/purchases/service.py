"""The purchase ledger: record a bill atomically with its stock, cancel it, return part of a line.

Every write locks the rows it changes in a fixed order (the purchase, then its products by id), so
concurrent bills, cancellations and returns can neither deadlock nor lose an update, and a bill
that any line cannot serve is refused whole.
"""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any, cast

from sqlalchemy import Select, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.contracts.customer import (
    PurchaseCancelled,
    PurchaseLineReturned,
)
from services.customer.outbox import outbox
from services.customer.products.models import Product
from services.customer.purchases import redemptions, repository
from services.customer.purchases.models import Purchase, PurchaseLine
from services.customer.purchases.plan import (
    Ledger,
    LineFacts,
    line_public,
    plan_bill,
    plan_return,
    purchase_public,
    request_bill,
)
from services.customer.purchases.pricing import ZERO
from services.customer.purchases.repository import Driver
from services.customer.purchases.schemas import (
    PurchaseCreate,
    PurchaseLinePublic,
    PurchasePublic,
    PurchaseStatus,
    ReturnRequest,
)
from services.customer.stock.repository import StockChange
from services.customer.stock.service import apply_changes, lock_products
from services.kit.client import ServiceClient
from services.kit.clock import utcnow
from services.kit.db import table_of
from services.kit.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.kit.pagination import PageParams, SortKey, paginate
from services.kit.principal import Principal, PrincipalKind

PU = table_of(Purchase)
PL = table_of(PurchaseLine)
PR = table_of(Product)


async def record_purchase(
    engine: AsyncEngine,
    transaction: Callable[[], AbstractAsyncContextManager[Driver]],
    *,
    data: PurchaseCreate,
    principal: Principal,
    ledger: Ledger,
    loyalty: ServiceClient,
) -> PurchasePublic:
    """Record a live bill: checked and priced by the plan, read and written in one short transaction.

    Its ids are drawn first, outside the transaction. A bill that redeems a reward or spends points
    reserves them with the loyalty service on its purchase id before the transaction, and releases
    them if it then fails. The answer is built from what was written.
    """
    request = request_bill(data, principal=principal, ledger=ledger, now=utcnow())
    ids = await repository.draw_ids(engine, len(data.lines))
    redemption = await redemptions.reserve(loyalty, request, ids) if redemptions.redeems(request) else None
    try:
        async with transaction() as db:
            read = await repository.read_bill(db, request)
            plan = plan_bill(request, read, ids, redemption)
            stored = await repository.write_bill(db, plan)
    except Exception:
        if redemption is not None:
            await redemptions.release(loyalty, ids.purchase_id)
        raise
    lines = [line_public(line, read.products[line.product_id], purchase_status=stored.status) for line in plan.lines]
    return purchase_public(stored, lines, base_currency=ledger.base_currency)


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
    rows = (await session.execute(select(PL).where(PL.c.purchase_id == purchase_id))).all()
    returned = plan_return(purchase_id, {row.id: cast(LineFacts, row) for row in rows}, data)
    locked = await lock_products(session, [line.product_id for line in returned])
    for line in returned:
        await session.execute(
            update(PL).where(PL.c.id == line.line_id).values(returned_quantity=PL.c.returned_quantity + line.quantity)
        )
    await apply_changes(
        session,
        [
            StockChange(line.product_id, line.quantity, "return", data.reason, purchase_id)
            for line in returned
            if locked[line.product_id].track_stock
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


async def abandon_purchase(session: AsyncSession, *, purchase_id: int) -> str:
    """Fence a purchase id off for the loyalty service: ``abandoned``, or ``recorded`` if a bill has it."""
    return await repository.abandon(session, purchase_id)


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
        lines.setdefault(row.purchase_id, []).append(line_public(row, row, purchase_status=row.purchase_status))
    result = []
    for purchase_id in ids:
        p = purchases.get(purchase_id)
        if p is None:
            continue
        result.append(purchase_public(p, lines.get(purchase_id, []), base_currency=base_currency))
    return result


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
