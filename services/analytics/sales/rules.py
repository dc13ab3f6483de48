"""The sales figures' arithmetic: margin and average order value, to the cent."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def margin(revenue: Decimal, cost: Decimal) -> Decimal:
    return revenue - cost


def average_order_value(revenue: Decimal, orders: int) -> Decimal | None:
    """Revenue per order, rounded half-up to the cent; none without orders."""
    if orders == 0:
        return None
    return (revenue / orders).quantize(CENT, rounding=ROUND_HALF_UP)


def margin_rate(revenue: Decimal, cost: Decimal) -> Decimal | None:
    """Margin over revenue, to four places (0.4512 is 45.12 %); none without revenue."""
    if revenue == 0:
        return None
    return ((revenue - cost) / revenue).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
