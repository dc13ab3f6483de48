"""Settings of the customer service (``PATRON_CUSTOMER_*``, falling back to ``PATRON_*``)."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_CUSTOMER_", extra="ignore")
    schema_name: ClassVar[str] = "customer"

    port: int = Field(8001, ge=1, le=65535, description="Port `patron serve customer` listens on.")
    restock_cover_days: int = Field(14, ge=1, description="Restock suggestions list products under this cover.")
    restock_target_days: int = Field(30, ge=1, description="Restock suggestions bring cover up to this.")
    import_dir: Path = Field(Path(".patron/imports"), description="Where uploaded import files are stored.")
    import_max_bytes: int = Field(1 << 30, ge=1, description="Largest import upload accepted (bytes); 413 past it.")
    import_batch_rows: int = Field(50_000, ge=1, description="Rows an import loads per COPY and transaction.")
    import_loaders: int = Field(
        2, ge=1, le=16, description="Batches an import loads at once, each in its own transaction and connection."
    )
