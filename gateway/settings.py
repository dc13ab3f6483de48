"""Settings of the gateway (``PATRON_GATEWAY_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic import model_validator
from pydantic_settings import SettingsConfigDict

from services.kit.settings import PatronSettings


class GatewaySettings(PatronSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_GATEWAY_", extra="ignore")
    schema_name: ClassVar[str] = "gateway"

    port: int = 8000
    customer_url: str = "http://127.0.0.1:8001"
    loyalty_url: str = "http://127.0.0.1:8002"
    analytics_url: str = "http://127.0.0.1:8003"
    upstream_connect_timeout_seconds: float = 2.0
    upstream_timeout_seconds: float = 15.0
    upstream_max_connections: int = 200
    contract_cache_seconds: float = 30.0
    # Until staff sign-in exists every request acts as this principal. Refused in production.
    development_principal: bool = True

    @model_validator(mode="after")
    def _no_development_principal_in_production(self) -> "GatewaySettings":
        if self.environment == "production" and self.development_principal:
            raise ValueError(
                "production refuses the development principal: set PATRON_GATEWAY_DEVELOPMENT_PRINCIPAL=false"
            )
        return self

    def upstreams(self) -> dict[str, str]:
        return {"customer": self.customer_url, "loyalty": self.loyalty_url, "analytics": self.analytics_url}
