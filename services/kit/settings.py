"""Service settings read from the environment, one prefix per service with a shared fallback."""

import math
from collections import Counter
from typing import ClassVar, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEVELOPMENT_SECRET = "patron-development-secret-change-me"  # noqa: S105 - refused in production
DEVELOPMENT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/patron"

Environment = Literal["development", "test", "production"]

# A production secret must carry at least this much Shannon entropy (bits per character, as its own
# characters are spread, times its length) and use this many distinct characters: 32 random bytes in
# base64url measure about 210 bits, 16 random bytes in hex (32 characters) at least 94, 40 times the
# same character none.
MIN_SECRET_BITS = 90.0
MIN_SECRET_DISTINCT = 10
PLACEHOLDER = "change-me"


def secret_bits(secret: str) -> float:
    """The Shannon entropy of ``secret``'s characters times its length: an upper bound of its randomness."""
    if not secret:
        return 0.0
    counts = Counter(secret)
    total = len(secret)
    per_character = -sum(n / total * math.log2(n / total) for n in counts.values())
    return per_character * total


def looks_random(secret: str) -> bool:
    """Whether ``secret`` could be a random secret: enough entropy and enough distinct characters."""
    return secret_bits(secret) >= MIN_SECRET_BITS and len(set(secret)) >= MIN_SECRET_DISTINCT


def random_secret_refusal(name: str, secret: str) -> str | None:
    """Why production refuses ``secret`` as ``name``, or None: 32+ characters that look random."""
    if len(secret) < 32:
        return f"production needs a {name} of at least 32 characters"
    if not looks_random(secret) or PLACEHOLDER in secret.lower():
        return (
            f"production needs a random {name} (its characters are too few or too repetitive):"
            " generate one with `python -c 'import secrets; print(secrets.token_urlsafe(32))'`"
        )
    return None


class PatronSettings(BaseSettings):
    """Settings shared by every process.

    A value is read from the process's own prefix first (``PATRON_CUSTOMER_DATABASE_URL``), then
    from the shared prefix (``PATRON_DATABASE_URL``), then the default. Development defaults are
    safe on a laptop and refused when ``environment`` is ``production``.
    """

    model_config = SettingsConfigDict(env_prefix="PATRON_", extra="ignore")
    shared_prefix: ClassVar[str] = "PATRON_"

    environment: Environment = Field("development", description="`development`, `test` or `production`.")
    database_url: str = Field(
        DEVELOPMENT_DATABASE_URL, description="PostgreSQL URL; unix sockets too (`postgresql://u@/db?host=/dir`)."
    )
    database_pool_size: int = Field(
        10, ge=1, description="Connections each process keeps open, and the most it opens (a fixed pool)."
    )
    internal_secret: SecretStr = Field(
        SecretStr(DEVELOPMENT_SECRET), description="Signs the internal principal header; 32+ characters in production."
    )
    internal_token_ttl_seconds: int = Field(60, ge=1, description="Lifetime of a signed internal principal.")
    nats_url: str = Field(
        "nats://127.0.0.1:4222", description="NATS server with JetStream; a cluster's servers comma-separated."
    )
    events_relay: bool = Field(True, description="Run the outbox relay and the event consumers in this process.")
    outbox_retention_days: int = Field(
        7, ge=1, description="Days sent events stay in a service's outbox before a background job deletes them."
    )
    idempotency_ttl_hours: float = Field(
        24, gt=0, description="How long an `Idempotency-Key` answers retries with the first response."
    )
    events_stream_replicas: int = Field(
        1, ge=1, le=5, description="Copies of the event stream JetStream keeps (3 on a three-server cluster)."
    )
    events_stream_max_age_days: float = Field(
        0, ge=0, description="Days the stream keeps an event; 0 keeps every event (replays rebuild from the start)."
    )
    events_stream_max_bytes: int = Field(
        -1, ge=-1, description="Largest stream size in bytes; -1 for no limit. When full, events wait in the outbox."
    )
    events_duplicate_window_seconds: float = Field(
        900, gt=0, description="How long JetStream remembers an event id to drop its republication."
    )
    events_batch_size: int = Field(1000, ge=1, le=10_000, description="Events a consumer applies in one transaction.")
    base_currency: str = Field("USD", description="ISO 4217 currency of prices, reports and loyalty rules.")
    business_timezone: str = Field("UTC", description="Time zone of calendar questions (months, naive times).")
    log_level: str = Field("INFO", description="Level of the JSON logs.")
    host: str = Field("127.0.0.1", description="Address `patron serve` listens on.")
    port: int = Field(8000, ge=1, le=65535, description="Port `patron serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="Processes `patron serve` runs, to use more than one core.")
    header_timeout_seconds: float = Field(
        10.0, gt=0, description="Time a client has to send a request's headers before `patron serve` drops it."
    )
    metrics_networks: str = Field(
        "",
        description="Addresses or networks (comma-separated) allowed to read `/metrics`; empty: anyone, except"
        " loopback only in production.",
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        shared = EnvSettingsSource(settings_cls, env_prefix=cls.shared_prefix)
        return init_settings, env_settings, shared, dotenv_settings, file_secret_settings

    @field_validator("base_currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        from services.kit.money import validate_currency

        return validate_currency(value)

    @field_validator("business_timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("metrics_networks")
    @classmethod
    def _metrics_networks(cls, value: str) -> str:
        import ipaddress

        for entry in value.split(","):
            if entry.strip():
                ipaddress.ip_network(entry.strip(), strict=False)  # a ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _refuse_development_defaults_in_production(self) -> "PatronSettings":
        if self.environment != "production":
            return self
        if self.internal_secret.get_secret_value() == DEVELOPMENT_SECRET:
            raise ValueError("production refuses the development internal_secret: set PATRON_INTERNAL_SECRET")
        refusal = random_secret_refusal("PATRON_INTERNAL_SECRET", self.internal_secret.get_secret_value())
        if refusal:
            raise ValueError(refusal)
        if self.database_url == DEVELOPMENT_DATABASE_URL:
            raise ValueError("production refuses the development database_url: set PATRON_DATABASE_URL")
        return self


class ServiceSettings(PatronSettings):
    """Settings of a service that owns a PostgreSQL schema."""

    schema_name: ClassVar[str]


def settings_refusal(exc: ValidationError, settings_cls: type[BaseSettings]) -> str:
    """One line saying which setting was refused and why, naming the environment variable to change.

    A rule over several settings (production refusing a development default) already names its
    variable; a single field's refusal is named by its service's variable and the shared fallback.
    """
    prefix = str(settings_cls.model_config.get("env_prefix", ""))
    shared = getattr(settings_cls, "shared_prefix", prefix)
    parts = []
    for error in exc.errors():
        message = str(error["msg"]).removeprefix("Value error, ")
        if not error["loc"]:
            parts.append(message)
            continue
        field = str(error["loc"][0]).upper()
        names = f"{prefix}{field}" if prefix == shared else f"{prefix}{field} or {shared}{field}"
        parts.append(f"{names}: {message}")
    return "; ".join(parts)
