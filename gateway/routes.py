"""Which service answers which public path (SPEC §6)."""

API_PREFIX = "/api/v1"

# Longest prefix first is not needed: no prefix here is a prefix of another.
ROUTES: dict[str, str] = {
    "/customers": "customer",
    "/products": "customer",
    "/stores": "customer",
    "/exchange-rates": "customer",
    "/purchases": "customer",
    "/imports": "customer",
    "/privacy": "customer",
    "/loyalty": "loyalty",
    "/analytics": "analytics",
}


def service_for(path: str) -> str | None:
    """The service owning ``path`` (``/api/v1/products/7`` → ``customer``), or None."""
    if not path.startswith(API_PREFIX + "/"):
        return None
    rest = path[len(API_PREFIX) :]
    for prefix, service in ROUTES.items():
        if rest == prefix or rest.startswith(prefix + "/"):
            return service
    return None
