"""What crosses the API for customers' accounts: registration, sign-in, invitations, their own account."""

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from gateway.auth.passwords import MAX_LENGTH
from gateway.auth.schemas import TokensPublic
from gateway.staff.schemas import EMAIL_PATTERN

# The customer service's rule for usernames (SPEC §2: unique, trimmed and lower-cased).
_USERNAME = re.compile(r"^[a-z0-9._@+-]+$")


def normalise_username(value: str) -> str:
    value = value.strip().lower()
    if not _USERNAME.match(value):
        raise ValueError("may hold only letters, digits and . _ @ + -")
    return value


Username = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=64), AfterValidator(normalise_username)
]


class CustomerRegistration(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320, pattern=EMAIL_PATTERN)
    username: Username = Field(description="What the customer signs in with; lower-cased.")
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class CustomerSignIn(BaseModel):
    username: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, min_length=1, max_length=64)]
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class CustomerTokensPublic(TokensPublic):
    customer_id: int = Field(description="The customer these tokens act for.")


class UsernameChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    username: Username


class UsernamePublic(BaseModel):
    customer_id: int
    username: str


class CustomerInvite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: int = Field(ge=1, le=2**62, description="An existing customer, who has a username.")


class CustomerInvitationPublic(BaseModel):
    customer_id: int
    username: str = Field(description="What the customer will sign in with (their username).")
    invitation_url: str = Field(description="One use; shown only in this reply, so pass it on now.")
    expires_at: datetime


class CustomerInvitationAcceptance(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="The token of the invitation link.")
    password: str = Field(min_length=1, max_length=MAX_LENGTH)
