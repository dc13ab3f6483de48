"""Settings of the gateway (``PATRON_GATEWAY_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from services.kit.settings import PatronSettings


class GatewaySettings(PatronSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_GATEWAY_", extra="ignore")
    schema_name: ClassVar[str] = "gateway"

    port: int = Field(8000, ge=1, le=65535, description="Port `patron serve gateway` listens on.")
    customer_url: str = Field("http://127.0.0.1:8001", description="Where the customer service answers.")
    loyalty_url: str = Field("http://127.0.0.1:8002", description="Where the loyalty service answers.")
    analytics_url: str = Field("http://127.0.0.1:8003", description="Where the analytics service answers.")
    upstream_connect_timeout_seconds: float = Field(2.0, gt=0, description="Connect timeout to a service (then 502).")
    upstream_timeout_seconds: float = Field(15.0, gt=0, description="Time a service has to answer (then 504).")
    upstream_max_connections: int = Field(200, ge=1, description="Pooled connections to the services.")
    contract_cache_seconds: float = Field(30.0, ge=0, description="How long the merged OpenAPI document is reused.")
    development_principal: bool = Field(
        True, description="Act as one admin until sign-in exists; refused in production."
    )

    @model_validator(mode="after")
    def _no_development_principal_in_production(self) -> "GatewaySettings":
        if self.environment == "production" and self.development_principal:
            raise ValueError(
                "production refuses the development principal: set PATRON_GATEWAY_DEVELOPMENT_PRINCIPAL=false"
            )
        return self

    def upstreams(self) -> dict[str, str]:
        return {"customer": self.customer_url, "loyalty": self.loyalty_url, "analytics": self.analytics_url}
