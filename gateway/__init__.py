"""The gateway: Patron's only public entry. Authenticates, routes to the services, merges their contract."""
