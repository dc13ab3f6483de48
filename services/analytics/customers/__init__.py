"""Customers: who they are (distributions), how they buy (patterns), the best of them, new and returning,
and cohorts by month of first purchase. Names come from the customer service when a list is read."""
