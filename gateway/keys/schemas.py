"""What crosses the API for partner keys."""

from datetime import datetime

from pydantic import AwareDatetime, BaseModel, Field, field_validator

from gateway.keys.rules import known_scopes, unknown_scopes


class ApiKeyCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200, description="Whose key it is, for people reading the list.")
    scopes: list[str] = Field(
        min_length=1, max_length=64, description="Route families it reaches, each `family:read` or `family:write`."
    )
    expires_at: AwareDatetime | None = Field(None, description="When it stops working (UTC); never by default.")

    @field_validator("scopes")
    @classmethod
    def _known(cls, scopes: list[str]) -> list[str]:
        unknown = unknown_scopes(scopes)
        if unknown:
            raise ValueError(f"unknown scope(s) {', '.join(unknown)}; known: {', '.join(known_scopes())}")
        return scopes


class ApiKeyPublic(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The first part of the key, shown to tell keys apart.")
    scopes: list[str]
    created_by: int | None
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None = Field(description="Within a few seconds.")


class ApiKeyCreated(ApiKeyPublic):
    key: str = Field(description="The key itself: shown this once, never stored nor shown again.")


class ApiKeysPublic(BaseModel):
    items: list[ApiKeyPublic]
    next_cursor: str | None = None
