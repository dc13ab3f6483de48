"""The ledger's business rules that need no database: which month a bill belongs to, and what a batch
of returns takes back from each line and product."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from services.contracts.customer import PurchaseLineReturned


def month_of(at: datetime, zone: ZoneInfo) -> date:
    """The first day of the calendar month ``at`` falls in, in the business time zone.

    A bill placed at 23:30 UTC on 31 January is a February bill in Sydney and a January bill in UTC.
    """
    if at.tzinfo is None:
        raise ValueError("a bill's time must carry its offset")
    local = at.astimezone(zone)
    return date(local.year, local.month, 1)


@dataclass(frozen=True)
class LineReturn:
    """What the returns of one batch take back from one line: units and their base amount."""

    purchase_id: int
    line_id: int
    product_id: int
    quantity: int
    base_amount: Decimal


def merge_returns(returns: Iterable[PurchaseLineReturned]) -> list[LineReturn]:
    """One entry per returned line, adding up every return of it in the batch (a line returned twice)."""
    merged: dict[int, LineReturn] = {}
    for event in returns:
        for line in event.lines:
            before = merged.get(line.line_id)
            merged[line.line_id] = LineReturn(
                purchase_id=event.purchase_id,
                line_id=line.line_id,
                product_id=line.product_id,
                quantity=line.quantity + (before.quantity if before else 0),
                base_amount=line.base_amount + (before.base_amount if before else Decimal("0")),
            )
    return sorted(merged.values(), key=lambda r: r.line_id)
