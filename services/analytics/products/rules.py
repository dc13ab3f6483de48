"""What the product reports leave out, and their per-unit arithmetic."""

from decimal import Decimal

# Service lines (postage, fees, charity, bank charges...): kept in revenue, left out of the product reports (SPEC).
SERVICE_SKUS = frozenset(
    {"SERVICE", "POST", "DOT", "M", "D", "C2", "S", "B", "PADS", "CRUK", "BANK CHARGES", "AMAZONFEE"}
)

DEFAULT_LOW_STOCK = 5
"""The quantity on hand at or under which a product is low on stock, unless asked otherwise."""

RESTOCK_SUGGESTIONS = "/api/v1/products/restock-suggestions"
"""The customer service's restock suggestions (cover days, quantities to order), which low stock links to."""


def unit_margin(unit_price: Decimal, unit_cost: Decimal) -> Decimal:
    return unit_price - unit_cost
