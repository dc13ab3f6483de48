"""Settings of the customer service (``PATRON_CUSTOMER_*``, falling back to ``PATRON_*``)."""

from pathlib import Path
from typing import ClassVar

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings

# Connections of the pool an import never takes, so requests are served while it runs.
REQUEST_CONNECTIONS = 2


class CustomerSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_CUSTOMER_", extra="ignore")
    schema_name: ClassVar[str] = "customer"

    port: int = Field(8001, ge=1, le=65535, description="Port `patron serve customer` listens on.")
    restock_cover_days: int = Field(14, ge=1, description="Restock suggestions list products under this cover.")
    restock_target_days: int = Field(30, ge=1, description="Restock suggestions bring cover up to this.")
    data_dir: Path = Field(
        Path(".patron"), description="The data folder (`PATRON_DATA_DIR`, as `patron up` sets it); uploads go under it."
    )
    import_dir: Path | None = Field(
        None, description="Where uploaded import files are stored; unset: `imports` in the data folder."
    )
    import_keep_failed_hours: float = Field(
        24,
        ge=0,
        description="Hours the files of a failed import are kept (to look into) before a background job deletes "
        "them; a finished import's files are deleted when it ends.",
    )
    import_max_bytes: int = Field(1 << 30, ge=1, description="Largest import upload accepted (bytes); 413 past it.")
    import_batch_rows: int = Field(50_000, ge=1, description="Rows an import loads per COPY and transaction.")
    loyalty_url: str = Field(
        "http://127.0.0.1:8002", description="Where the loyalty service answers (the reward a new bill earns)."
    )
    analytics_url: str = Field(
        "http://127.0.0.1:8003", description="Where the analytics service answers (its part of a privacy export)."
    )
    gateway_url: str = Field(
        "http://127.0.0.1:8000",
        description="Where the gateway answers the services (the credentials part of a privacy export and erasure).",
    )
    privacy_retention_hours: float = Field(
        720,
        gt=0,
        description="Hours an export's document and an ended import's report (which may quote personal data) are "
        "kept before a background job deletes them; the audit record of each request stays.",
    )
    loyalty_timeout_ms: int = Field(
        300,
        ge=1,
        le=10_000,
        description="How long recording a bill waits for the loyalty service to allocate its reward; past it, the "
        "response shows none and the reward is allocated from the purchase event.",
    )
    redemption_timeout_ms: int = Field(
        3000,
        ge=1,
        le=60_000,
        description="How long recording a bill that redeems a reward or spends points waits for the loyalty service "
        "to reserve them; past it, the bill is refused (502) and the reservation, if made, released.",
    )
    import_loaders: int = Field(
        2, ge=1, le=16, description="Batches an import loads at once, each in its own transaction and connection."
    )

    @property
    def import_folder(self) -> Path:
        """Where uploads are stored: ``import_dir``, else ``imports`` in the data folder."""
        return self.import_dir if self.import_dir is not None else self.data_dir / "imports"

    @model_validator(mode="after")
    def _pool_serves_imports_and_requests(self) -> "CustomerSettings":
        # A running import holds one connection for its job and one per loader; requests need the rest.
        needed = self.import_loaders + 1 + REQUEST_CONNECTIONS
        if self.database_pool_size < needed:
            raise ValueError(
                f"PATRON_CUSTOMER_IMPORT_LOADERS={self.import_loaders} needs PATRON_DATABASE_POOL_SIZE of at least "
                f"{needed} (one connection per loader, one for the job, {REQUEST_CONNECTIONS} for requests)"
            )
        return self
