"""Settings of the gateway (``PATRON_GATEWAY_*``, falling back to ``PATRON_*``)."""

import base64
import binascii
from typing import ClassVar

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from gateway.abuse.rules import Network, parse_networks
from services.kit.settings import PatronSettings, looks_random, random_secret_refusal

DEVELOPMENT_TOKEN_SECRET = "patron-development-token-secret-change-me"  # noqa: S105 - refused in production
# 32 bytes, base64url: wraps the client keys of encrypted payloads; refused in production.
DEVELOPMENT_PAYLOAD_KEK = "cGF0cm9uLWRldmVsb3BtZW50LXBheWxvYWQta2VrLTE"


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
    upstream_pool_wait_seconds: float = Field(
        1.0, gt=0, description="How long a request waits for a free pooled connection before a 503 with Retry-After."
    )
    body_timeout_seconds: float = Field(
        20.0, gt=0, description="Longest pause in a client's request body before a 408 drops the request."
    )
    upload_memory_bytes: int = Field(
        1024 * 1024, ge=0, description="Bytes of one upload's body held in memory while it arrives; the rest on disk."
    )
    upload_max_bytes_in_flight: int = Field(
        1024 * 1024 * 1024,
        ge=1,
        description="Bytes of uploads one gateway process holds at once while their clients send them (then 503).",
    )
    rate_limits: str = Field(
        "*=3000/60",
        description="Requests per API key or signed-in user: `family=count/seconds`, comma-separated, by the path's"
        " first segment under /api/v1 (`imports`, `analytics`…), `*` for the others; `family=0/1` for none.",
    )
    address_rate_limits: str = Field(
        "*=6000/60", description="The same per client address (every request, signed in or not)."
    )
    rate_limit_sync_seconds: float = Field(
        0.5, gt=0, le=60, description="How often each gateway process adds its counts to the shared store."
    )
    cors_allowed_origins: str = Field(
        "", description="Origins (comma-separated, `*` for any) browsers may call the API from; empty: none."
    )
    cors_allowed_methods: str = Field(
        "GET,POST,PUT,PATCH,DELETE", description="Methods a cross-origin request may use (comma-separated)."
    )
    cors_allowed_headers: str = Field(
        "Authorization,Content-Type,Idempotency-Key,X-API-Key,X-Request-Id,"
        "X-Patron-Key-Id,X-Patron-Nonce,X-Patron-Timestamp,X-Patron-Tag,X-Patron-Content-Type",
        description="Request headers a cross-origin request may send (comma-separated).",
    )
    public_docs: bool = Field(True, description="Serve `/docs` and `/openapi.json` (off: both are 404).")
    contract_cache_seconds: float = Field(30.0, ge=0, description="How long the merged OpenAPI document is reused.")
    token_secret: SecretStr = Field(
        SecretStr(DEVELOPMENT_TOKEN_SECRET),
        description="Signs staff access tokens (HS256); 32+ characters in production, never the internal secret.",
    )
    token_issuer: str = Field("patron", description="`iss` of the access tokens the gateway signs and accepts.")
    access_token_ttl_seconds: int = Field(900, ge=30, le=86400, description="Lifetime of a staff access token.")
    refresh_token_ttl_days: float = Field(30, gt=0, description="Lifetime of a sign-in's refresh tokens.")
    revocation_refresh_seconds: float = Field(
        1.0, gt=0, le=60, description="How often each gateway process rereads revoked tokens and inactive users."
    )
    account_link_ttl_hours: float = Field(
        72, gt=0, le=24 * 30, description="Lifetime of a staff or customer invitation or a reset link (one use)."
    )
    registration_pending_minutes: float = Field(
        5, gt=0, le=24 * 60, description="After this long an unfinished customer registration frees its username."
    )
    public_url: str | None = Field(
        None, description="Base URL staff open links at (invitations, resets); defaults to the request's own."
    )
    password_min_length: int = Field(12, ge=8, le=128, description="Shortest password accepted (staff and customers).")
    password_time_cost: int = Field(
        3, ge=1, description="argon2id passes over memory (a hash made with other costs is redone at sign-in)."
    )
    password_memory_cost_kib: int = Field(65536, ge=8, description="argon2id memory per hash, in KiB.")
    password_parallelism: int = Field(4, ge=1, description="argon2id lanes per hash.")
    sign_in_free_attempts: int = Field(
        5, ge=1, description="Sign-in attempts an account gets within the window before each waits twice as long."
    )
    sign_in_address_free_attempts: int = Field(
        20, ge=1, description="The same for one client address (a shop's staff may share one)."
    )
    sign_in_back_off_seconds: float = Field(1.0, gt=0, description="The first wait after the free attempts.")
    sign_in_max_wait_seconds: float = Field(900.0, gt=0, description="The longest wait between sign-in attempts.")
    sign_in_window_seconds: float = Field(
        900.0, gt=0, description="Attempts older than this are forgotten (a subject starts afresh)."
    )
    trusted_proxies: str = Field(
        "",
        description="Addresses or networks (comma-separated) of proxies whose X-Forwarded-For names the client.",
    )

    payload_kek: SecretStr = Field(
        SecretStr(DEVELOPMENT_PAYLOAD_KEK),
        description="Key-encryption key (32 bytes, base64url) the client keys of encrypted payloads are stored under.",
    )
    payload_window_seconds: int = Field(
        300, ge=1, le=3600, description="How far an encrypted request's timestamp may be from the clock, either way."
    )

    @model_validator(mode="after")
    def _production_token_secret(self) -> "GatewaySettings":
        if self.environment == "production":
            token_secret = self.token_secret.get_secret_value()
            if token_secret == DEVELOPMENT_TOKEN_SECRET or len(token_secret) < 32:
                raise ValueError("production needs a PATRON_GATEWAY_TOKEN_SECRET of at least 32 characters")
            refusal = random_secret_refusal("PATRON_GATEWAY_TOKEN_SECRET", token_secret)
            if refusal:
                raise ValueError(refusal)
            if token_secret == self.internal_secret.get_secret_value():
                raise ValueError("the token secret must differ from the internal secret")
        return self

    @model_validator(mode="after")
    def _production_payload_kek(self) -> "GatewaySettings":
        self.payload_kek_bytes()  # a ValueError names the setting
        if self.environment == "production" and self.payload_kek.get_secret_value() == DEVELOPMENT_PAYLOAD_KEK:
            raise ValueError("production needs its own PATRON_GATEWAY_PAYLOAD_KEK (32 random bytes, base64url)")
        if self.environment == "production" and not looks_random(self.payload_kek.get_secret_value()):
            raise ValueError("production needs a random PATRON_GATEWAY_PAYLOAD_KEK (32 random bytes, base64url)")
        return self

    def payload_kek_bytes(self) -> bytes:
        text = self.payload_kek.get_secret_value().strip()
        try:
            kek = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
        except (binascii.Error, ValueError):
            kek = b""
        if len(kek) != 32:
            raise ValueError("PATRON_GATEWAY_PAYLOAD_KEK must be 32 bytes in base64url (43 characters)")
        return kek

    @field_validator("rate_limits", "address_rate_limits")
    @classmethod
    def _limits(cls, value: str) -> str:
        from gateway.limits.rules import parse_limits

        parse_limits(value)  # a ValueError names the bad entry
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        parse_networks(value.split(","))  # a ValueError names the bad entry
        return value

    def trusted_networks(self) -> tuple[Network, ...]:
        return parse_networks(self.trusted_proxies.split(","))

    def upstreams(self) -> dict[str, str]:
        return {"customer": self.customer_url, "loyalty": self.loyalty_url, "analytics": self.analytics_url}
