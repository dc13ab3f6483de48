"""Purchases: the ledger of bills and their lines, with cancellations and returns."""
