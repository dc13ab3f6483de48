"""Loyalty effectiveness: what the program's rewards, redemptions and points bring (SPEC §4)."""
