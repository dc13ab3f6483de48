"""Customers: the people a retailer sells to."""
