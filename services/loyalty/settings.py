"""Settings of the loyalty service (``PATRON_LOYALTY_*``, falling back to ``PATRON_*``)."""

from typing import ClassVar

from pydantic import Field, field_validator
from pydantic_settings import SettingsConfigDict

from services.kit.settings import ServiceSettings


class LoyaltySettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PATRON_LOYALTY_", extra="ignore")
    schema_name: ClassVar[str] = "loyalty"

    port: int = Field(8002, ge=1, le=65535, description="Port `patron serve loyalty` listens on.")
    customer_url: str = Field(
        "http://127.0.0.1:8001", description="Where the customer service answers (the catalogue of the reward views)."
    )
    reward_expiry_every_minutes: float = Field(
        60, gt=0, description="How often a background job marks rewards past their expiry as expired."
    )
    reservation_timeout_seconds: float = Field(
        60,
        gt=0,
        description="How long a reward or points reserved for a bill wait for the bill's event; past it, the bill is "
        "fenced off at the customer service and, if it was never recorded, what it held is released.",
    )
    reservation_sweep_seconds: float = Field(
        10, gt=0, description="How often a background job looks for reservations past their deadline."
    )
    points_expiry_every_minutes: float = Field(
        60, gt=0, description="How often a background job expires wallet points past their expiry."
    )
    target_schedule: str = Field(
        "",
        description="The target run made on the first day of every month (business time zone), as the JSON body of "
        '`POST /api/v1/loyalty/targets/runs` without `month`, e.g. `{"mode": "percent", "percent": 10, "points": '
        "500}`; empty: no scheduled runs.",
    )
    target_schedule_every_minutes: float = Field(
        60, gt=0, description="How often a background job looks whether a month's scheduled target run is due."
    )

    @field_validator("target_schedule")
    @classmethod
    def _schedule_is_a_run(cls, configured: str) -> str:
        # Refused at startup rather than on the first day of the month.
        from services.loyalty.targets.schemas import TargetRunTerms

        if configured.strip():
            TargetRunTerms.model_validate_json(configured)
        return configured
