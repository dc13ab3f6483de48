"""Sales: revenue, cost, margin, units, orders and average order value, in total, over time, by season and by
any sales dimension."""
