"""Pure money rules of a bill: local prices from base prices and a rate, discounts, exact refunds."""

from dataclasses import dataclass
from decimal import Decimal

from services.kit.money import to_cent

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class LineAmounts:
    base_unit_price: Decimal
    local_unit_price: Decimal
    base_gross: Decimal
    base_discount: Decimal
    base_total: Decimal
    local_gross: Decimal
    local_discount: Decimal
    local_total: Decimal


def local_unit_price(base_unit_price: Decimal, rate: Decimal) -> Decimal:
    """Base price × the rate of the purchase date, rounded half-up to the cent (SPEC §2)."""
    return to_cent(base_unit_price * rate)


def price_line(*, base_unit_price: Decimal, quantity: int, rate: Decimal, local_discount: Decimal) -> LineAmounts:
    """Both amounts of one line. The discount is given in the bill's currency and must fit the line."""
    unit_local = local_unit_price(base_unit_price, rate)
    local_gross = unit_local * quantity
    base_gross = to_cent(base_unit_price * quantity)
    if local_discount > local_gross:
        raise ValueError("discount exceeds the line's price")
    # The base discount is the local one converted back; a whole-line discount is the whole base line,
    # so rounding can never leave a cent of base revenue on a free line or take one too many.
    if local_discount == local_gross:
        base_discount = base_gross
    else:
        base_discount = min(to_cent(local_discount / rate), base_gross)
    return LineAmounts(
        base_unit_price=base_unit_price,
        local_unit_price=unit_local,
        base_gross=base_gross,
        base_discount=base_discount,
        base_total=base_gross - base_discount,
        local_gross=local_gross,
        local_discount=local_discount,
        local_total=local_gross - local_discount,
    )


def returned_share(total: Decimal, quantity: int, returned_quantity: int) -> Decimal:
    """The part of a line's total that ``returned_quantity`` of ``quantity`` units stand for.

    Computed on the cumulative returned quantity, so partial returns add up exactly to the line's
    total when every unit has come back, whatever the order and size of the returns.
    """
    if returned_quantity == quantity:
        return total
    return to_cent(total * returned_quantity / quantity)


def refund(total: Decimal, quantity: int, returned_before: int, returned_now: int) -> Decimal:
    """The amount refunded for ``returned_now`` more units of a line."""
    after = returned_share(total, quantity, returned_before + returned_now)
    return after - returned_share(total, quantity, returned_before)
