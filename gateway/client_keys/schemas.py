"""What crosses the API for client keys: never the key material, except once when a key is made."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, Field


class Scheme(StrEnum):
    GCM = "gcm"  # AES-256-GCM envelopes: authenticated, bound to their request, replays refused
    LEGACY = "legacy"  # the CryptoJS / openssl passphrase format: no integrity, no replay protection


class ClientKeyCreate(BaseModel):
    client: str = Field(
        min_length=1, max_length=200, description="Whose key it is: a mobile app build, a partner (at most two active)."
    )
    scheme: Scheme = Field(Scheme.GCM, description="`gcm`, or `legacy` for a client that cannot move to GCM yet.")


class ClientKeyPublic(BaseModel):
    id: int
    kid: str = Field(description="The key id the client names in every envelope (public).")
    client: str
    scheme: Scheme
    status: str = Field(description="`active`, or `retired` (refused at once).")
    created_by: int | None
    created_at: datetime
    retired_at: datetime | None


class ClientKeyCreated(ClientKeyPublic):
    secret: str = Field(
        description="Shown this once: the AES-256 key in base64url (gcm) or the passphrase (legacy); stored wrapped."
    )


class ClientKeysPublic(BaseModel):
    items: list[ClientKeyPublic]
    next_cursor: str | None = None
