"""Products: the catalogue, its prices in the base currency, and whether stock is tracked."""
