"""The processes a Patron deployment runs, in start order."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    factory: str
    default_port: int
    migrates: bool = True


SERVICES = (
    ServiceSpec("customer", "services.customer", "services.customer.app:create_app", 8001),
    ServiceSpec("loyalty", "services.loyalty", "services.loyalty.app:create_app", 8002),
    ServiceSpec("analytics", "services.analytics", "services.analytics.app:create_app", 8003),
)

GATEWAY = ServiceSpec("gateway", "gateway", "gateway.app:create_app", 8000)

SCHEMA_OWNERS = (*SERVICES, GATEWAY)
"""Every part that owns a schema and migrates it: the services and the gateway."""
