"""What crosses the API for sign-in, refresh and sign-out."""

from typing import Literal

from pydantic import BaseModel, Field

from gateway.auth.passwords import MAX_LENGTH


class SignInRequest(BaseModel):
    email: str = Field(min_length=3, max_length=320)
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=MAX_LENGTH)
    new_password: str = Field(min_length=1, max_length=MAX_LENGTH)


class TokensPublic(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth 2 token type, no secret
    expires_in: int = Field(description="Seconds the access token is valid.")
    refresh_token: str = Field(description="Opaque; exchange it once at /auth/refresh for new tokens.")
