"""Settings of the customer service (``PATRON_CUSTOMER_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_CUSTOMER_", extra="ignore")
    schema_name: ClassVar[str] = "customer"

    port: int = 8001
    restock_cover_days: int = 14
    restock_target_days: int = 30
