"""Rate limits per API key, signed-in user and client address, counted across gateway processes."""
