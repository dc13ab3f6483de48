"""Partner API keys: created by an admin with scopes, shown once, stored hashed, revocable."""
