"""Settings of the analytics service (``PATRON_ANALYTICS_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings


class AnalyticsSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_ANALYTICS_", extra="ignore")
    schema_name: ClassVar[str] = "analytics"

    port: int = 8003
