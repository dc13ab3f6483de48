"""Products: best and least selling, profitability per product, and low stock (linked to the customer service's
restock suggestions)."""
