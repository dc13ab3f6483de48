"""Staff accounts at ``/api/v1/staff`` (admins only), and redeeming their one-use links at
``/api/v1/auth/invitations/accept`` and ``/api/v1/auth/password-reset/complete`` (no credentials:
the link is the credential).

A link's token travels in the URL's fragment (``#token=…``), which browsers never send to a server,
so it stays out of access logs. These routes take an ``Idempotency-Key`` like every write, but never
replay a reply: an invitation's or a reset's reply holds a one-use secret that must not be kept, and
roles, deactivation and reactivation set a state, so repeating them changes nothing more.
"""

import logging
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from gateway.auth.api import ConnectionDep, count, policy_of
from gateway.auth.guard import caller_id
from gateway.auth.passwords import PasswordRejected
from gateway.settings import GatewaySettings
from gateway.staff import service
from gateway.staff.schemas import (
    InvitationAcceptance,
    PasswordResetCompletion,
    PasswordResetLinkPublic,
    RolesChange,
    StaffInvitationPublic,
    StaffInvite,
    StaffUserPublic,
    StaffUsersPublic,
)
from gateway.staff.service import StaffUserRow
from services.kit.api import IdPath, segment_except
from services.kit.errors import InvalidInput
from services.kit.pagination import CURSOR_DESCRIPTION, DEFAULT_LIMIT, MAX_CURSOR_LENGTH, MAX_LIMIT

log = logging.getLogger("patron.gateway.staff")

router = APIRouter(prefix="/api/v1/staff", tags=["staff"])
# /staff/invitations is not a staff user.
_USER_ID = segment_except("invitations")
links_router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def _link(request: Request, page: str, token: str) -> str:
    base = _settings(request).public_url or str(request.base_url)
    return f"{base.rstrip('/')}/console/{page}#token={token}"


def _ttl(request: Request) -> timedelta:
    return timedelta(hours=_settings(request).account_link_ttl_hours)


def _public(user: StaffUserRow) -> StaffUserPublic:
    return StaffUserPublic.model_validate(user, from_attributes=True)


@router.get("", operation_id="staff-list-staff-users")
async def list_staff_users(
    connection: ConnectionDep,
    active: Annotated[bool | None, Query(description="Only active (true) or only inactive (false) users.")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")] = DEFAULT_LIMIT,
    cursor: Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH, description=CURSOR_DESCRIPTION)] = None,
) -> StaffUsersPublic:
    """Staff users by id, a page at a time."""
    users, next_cursor = await service.list_staff(connection, active=active, limit=limit, cursor=cursor)
    return StaffUsersPublic(items=[_public(user) for user in users], next_cursor=next_cursor)


@router.get(f"/{{user_id:{_USER_ID}}}", operation_id="staff-read-staff-user")
async def read_staff_user(user_id: IdPath, connection: ConnectionDep) -> StaffUserPublic:
    return _public(await service.read_staff_user(connection, user_id=user_id))


@router.post("/invitations", status_code=201, operation_id="staff-invite-staff-user")
async def invite_staff_user(
    body: StaffInvite, request: Request, response: Response, connection: ConnectionDep
) -> StaffInvitationPublic:
    """A new staff user and their one-use invitation link, shown only in this reply (Patron sends no
    mail); the user signs in once they have accepted it with a password of their own."""
    invited_by = caller_id(request)
    invitation = await service.invite(
        connection,
        email=body.email,
        roles=body.roles,
        display_name=body.display_name,
        invited_by=invited_by,
        ttl=_ttl(request),
    )
    log.info("staff user invited", extra={"user_id": invitation.user.id, "by": invited_by})
    count(request, "invitation", "issued")
    response.headers["Location"] = f"/api/v1/staff/{invitation.user.id}"
    return StaffInvitationPublic(
        **_public(invitation.user).model_dump(),
        invitation_url=_link(request, "invitation", invitation.link.token),
        expires_at=invitation.link.expires_at,
    )


@router.put(f"/{{user_id:{_USER_ID}}}/roles", operation_id="staff-change-staff-roles")
async def change_staff_roles(
    user_id: IdPath, body: RolesChange, request: Request, connection: ConnectionDep
) -> StaffUserPublic:
    """The user's roles from now on: their older access tokens (carrying the old roles) are refused
    within seconds and their sign-ins end, so they sign in again; the last active admin keeps admin."""
    user, changed = await service.change_roles(connection, user_id=user_id, roles=body.roles)
    if changed:
        log.info("staff roles changed", extra={"user_id": user_id, "by": caller_id(request), "roles": user.roles})
        count(request, "roles", "changed")
    return _public(user)


@router.post(f"/{{user_id:{_USER_ID}}}/password-reset", status_code=201, operation_id="staff-issue-password-reset")
async def issue_password_reset(user_id: IdPath, request: Request, connection: ConnectionDep) -> PasswordResetLinkPublic:
    """A one-use link to set a new password, shown only in this reply; the current password works
    until the link is used, and using it ends every sign-in of the user."""
    link = await service.issue_password_reset(
        connection, user_id=user_id, issued_by=caller_id(request), ttl=_ttl(request)
    )
    log.info("password reset issued", extra={"user_id": user_id, "by": caller_id(request)})
    count(request, "password_reset", "issued")
    return PasswordResetLinkPublic(reset_url=_link(request, "password-reset", link.token), expires_at=link.expires_at)


@router.post(f"/{{user_id:{_USER_ID}}}/deactivate", operation_id="staff-deactivate-staff-user")
async def deactivate_staff_user(user_id: IdPath, request: Request, connection: ConnectionDep) -> StaffUserPublic:
    """The user can no longer sign in or refresh, and their access tokens are refused within seconds.
    Not yourself, nor the last active admin."""
    user = await service.deactivate(connection, user_id=user_id, actor_id=caller_id(request))
    log.info("staff user deactivated", extra={"user_id": user_id, "by": caller_id(request)})
    count(request, "deactivate", "ok")
    return _public(user)


@router.post(f"/{{user_id:{_USER_ID}}}/reactivate", operation_id="staff-reactivate-staff-user")
async def reactivate_staff_user(user_id: IdPath, request: Request, connection: ConnectionDep) -> StaffUserPublic:
    """The user may sign in again with their password; none of their older tokens comes back."""
    user = await service.reactivate(connection, user_id=user_id)
    log.info("staff user reactivated", extra={"user_id": user_id, "by": caller_id(request)})
    count(request, "reactivate", "ok")
    return _public(user)


@links_router.post("/invitations/accept", status_code=204, operation_id="auth-accept-invitation")
async def accept_invitation(body: InvitationAcceptance, request: Request, connection: ConnectionDep) -> Response:
    """Accept an invitation with a password of your own (by the password rules); then sign in with it.
    An unknown, used or expired link is refused and changes nothing."""
    try:
        user_id = await service.accept_invitation(
            connection, policy=policy_of(request), token=body.token, password=body.password
        )
    except InvalidInput:
        count(request, "invitation", "refused")
        raise
    except PasswordRejected as exc:
        raise InvalidInput.field("body.password", str(exc)) from None
    log.info("invitation accepted", extra={"user_id": user_id})
    count(request, "invitation", "accepted")
    return Response(status_code=204)


@links_router.post("/password-reset/complete", status_code=204, operation_id="auth-complete-password-reset")
async def complete_password_reset(
    body: PasswordResetCompletion, request: Request, connection: ConnectionDep
) -> Response:
    """Set a new password with a reset link (by the password rules); every sign-in of the user ends.
    An unknown, used or expired link is refused and changes nothing."""
    try:
        user_id = await service.complete_password_reset(
            connection, policy=policy_of(request), token=body.token, new_password=body.new_password
        )
    except InvalidInput:
        count(request, "password_reset", "refused")
        raise
    except PasswordRejected as exc:
        raise InvalidInput.field("body.new_password", str(exc)) from None
    log.info("password reset completed", extra={"user_id": user_id})
    count(request, "password_reset", "completed")
    return Response(status_code=204)
