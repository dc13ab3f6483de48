"""Settings of the analytics service (``PATRON_ANALYTICS_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings


class AnalyticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_ANALYTICS_", extra="ignore")
    schema_name: ClassVar[str] = "analytics"

    port: int = Field(8003, ge=1, le=65535, description="Port `patron serve analytics` listens on.")
    customer_url: str = Field(
        "http://127.0.0.1:8001",
        description="Where the customer service answers (the names of the customers a report lists, read per page).",
    )
