"""Customers' credentials at the gateway: registration, invitations, sign-in and their own account."""
