"""What crosses the API for staff accounts: users as admins see them, invitations, roles, links."""

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.auth.models import StaffRole
from gateway.auth.passwords import MAX_LENGTH

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+$"
StaffStatus = Literal["invited", "active", "inactive"]


class StaffUserPublic(BaseModel):
    """A staff user; never their password or its hash."""

    id: int
    email: str
    display_name: str
    roles: list[StaffRole]
    status: StaffStatus = Field(
        description="`invited` until the invitation is accepted, `inactive` once deactivated, else `active`."
    )
    created_at: datetime
    updated_at: datetime


class StaffUsersPublic(BaseModel):
    items: list[StaffUserPublic]
    next_cursor: str | None = Field(None, description="Pass as `cursor` for the next page; null on the last.")


class StaffInvite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(min_length=3, max_length=320, pattern=EMAIL_PATTERN)
    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole))
    display_name: str | None = Field(None, min_length=1, max_length=200)


class StaffInvitationPublic(StaffUserPublic):
    invitation_url: str = Field(description="One use; shown only in this reply, so pass it on now.")
    expires_at: datetime


class RolesChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    roles: list[StaffRole] = Field(min_length=1, max_length=len(StaffRole))


class PasswordResetLinkPublic(BaseModel):
    reset_url: str = Field(description="One use; shown only in this reply, so pass it on now.")
    expires_at: datetime


class InvitationAcceptance(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="The token of the invitation link.")
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class PasswordResetCompletion(BaseModel):
    token: str = Field(min_length=1, max_length=200, description="The token of the reset link.")
    new_password: str = Field(min_length=1, max_length=MAX_LENGTH)
