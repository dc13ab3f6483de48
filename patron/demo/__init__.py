"""Patron's demo retailer: generated from a seed, in the native import layout."""
