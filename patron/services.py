"""The processes a Patron deployment runs, in start order."""

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.kit.settings import PatronSettings


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    package: str
    factory: str
    default_port: int
    settings: str
    migrates: bool = True

    def settings_class(self) -> "type[PatronSettings]":
        """The settings class the process reads its environment with."""
        module_name, _, attr = self.settings.partition(":")
        found: type[PatronSettings] = getattr(importlib.import_module(module_name), attr)
        return found


SERVICES = (
    ServiceSpec(
        "customer",
        "services.customer",
        "services.customer.app:create_app",
        8001,
        "services.customer.settings:CustomerSettings",
    ),
    ServiceSpec(
        "loyalty",
        "services.loyalty",
        "services.loyalty.app:create_app",
        8002,
        "services.loyalty.settings:LoyaltySettings",
    ),
    ServiceSpec(
        "analytics",
        "services.analytics",
        "services.analytics.app:create_app",
        8003,
        "services.analytics.settings:AnalyticsSettings",
    ),
)

GATEWAY = ServiceSpec("gateway", "gateway", "gateway.app:create_app", 8000, "gateway.settings:GatewaySettings")

SCHEMA_OWNERS = (*SERVICES, GATEWAY)
"""Every part that owns a schema and migrates it: the services and the gateway."""
