"""Patron's services and their shared kernel."""
