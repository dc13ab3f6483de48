"""Stores: where sales happen; store 0 is the online shop."""
