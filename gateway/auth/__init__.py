"""Staff accounts, their passwords and tokens, and the store of revoked tokens."""
