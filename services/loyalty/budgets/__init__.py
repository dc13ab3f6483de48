"""A month's marketing budget, allocated to the cent over the levels' promotion and retention groups."""
