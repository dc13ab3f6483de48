"""The star schema fed by the customer service's events: dimensions, the purchase-line facts, stock, and
the aggregates kept with every batch."""
