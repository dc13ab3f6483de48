"""Customers' accounts: registering and signing in at ``/api/v1/auth/customers`` (public), their own
password and username at ``/api/v1/auth/customers/me`` (the signed-in customer), and staff inviting
an existing customer at ``/api/v1/customer-accounts/invitations``.

Refreshing and signing out are the same routes as for staff (``/api/v1/auth/refresh`` and
``/sign-out``): a refresh token knows whose sign-in it is.
"""

import logging
from datetime import timedelta

from fastapi import APIRouter, Request, Response

from gateway.abuse import store as throttle
from gateway.abuse.api import sign_in_subjects
from gateway.auth.api import ConnectionDep, count, policy_of
from gateway.auth.guard import caller_customer, caller_id
from gateway.auth.passwords import PasswordRejected
from gateway.auth.schemas import PasswordChange
from gateway.auth.service import SignedIn, SignInRefused
from gateway.customers import service
from gateway.customers.directory import CustomerDirectory
from gateway.customers.schemas import (
    CustomerInvitationAcceptance,
    CustomerInvitationPublic,
    CustomerInvite,
    CustomerRegistration,
    CustomerSignIn,
    CustomerTokensPublic,
    UsernameChange,
    UsernamePublic,
)
from gateway.settings import GatewaySettings
from services.kit.client import ServiceError
from services.kit.errors import InvalidInput, TooManyRequests, Unauthorized

log = logging.getLogger("patron.gateway.customers")

router = APIRouter(prefix="/api/v1/auth/customers", tags=["auth"])
accounts_router = APIRouter(prefix="/api/v1/customer-accounts", tags=["customer-accounts"])


def _settings(request: Request) -> GatewaySettings:
    settings: GatewaySettings = request.app.state.settings
    return settings


def _directory(request: Request) -> CustomerDirectory:
    directory: CustomerDirectory = request.app.state.customer_directory
    return directory


def _pending_ttl(request: Request) -> timedelta:
    return timedelta(minutes=_settings(request).registration_pending_minutes)


def _public(signed_in: SignedIn) -> CustomerTokensPublic:
    return CustomerTokensPublic(
        access_token=signed_in.access_token,
        expires_in=signed_in.expires_in,
        refresh_token=signed_in.refresh_token,
        customer_id=signed_in.user_id,
    )


def _refused(reason: str) -> Unauthorized:
    return Unauthorized(reason, headers={"WWW-Authenticate": "Bearer"})


@router.post("/register", status_code=201, operation_id="auth-register-customer")
async def register_customer(body: CustomerRegistration, request: Request) -> CustomerTokensPublic:
    """A shopper registers (name, email, username, password) and is signed in: the gateway keeps the
    credentials and the customer service creates the customer. If either step fails neither keeps
    anything (409 naming `body.username` or `body.email` when one is taken, 422 for a weak password,
    502 when the customer service does not answer)."""
    try:
        signed_in = await service.register(
            request.app.state.engine,
            _directory(request),
            policy=policy_of(request),
            pending_ttl=_pending_ttl(request),
            name=body.name,
            email=body.email,
            username=body.username,
            password=body.password,
        )
    except PasswordRejected as exc:
        raise InvalidInput.field("body.password", str(exc)) from None
    log.info("customer registered", extra={"customer_id": signed_in.user_id})
    count(request, "customer_registration", "ok")
    return _public(signed_in)


@router.post("/sign-in", operation_id="auth-customer-sign-in")
async def customer_sign_in(body: CustomerSignIn, request: Request, connection: ConnectionDep) -> CustomerTokensPublic:
    """Username and password for a customer's access token and refresh token. An unknown username, a
    wrong password and a deactivated or deleted customer get the same reply; attempts are throttled
    like staff sign-ins (429 with `Retry-After`)."""
    account, address = sign_in_subjects(request, "customer", body.username)
    engine = request.app.state.engine
    wait = await throttle.attempt(engine, request.app.state.sign_in_throttle, account=account, address=address)
    if wait is not None:
        count(request, "customer_sign_in", "throttled")
        raise TooManyRequests(f"too many sign-in attempts; try again in {wait} s", retry_after=wait)
    try:
        signed_in = await service.sign_in(
            connection, _directory(request), policy=policy_of(request), username=body.username, password=body.password
        )
    except SignInRefused as exc:
        log.info("customer sign-in refused", extra={"reason": str(exc)})
        count(request, "customer_sign_in", "refused")
        await connection.commit()  # a deactivated customer's sign-ins end although the request fails
        raise _refused("wrong username or password") from None
    except ServiceError as exc:
        raise service.problem_of(exc) from None
    await throttle.succeeded(engine, account=account, address=address)
    log.info("customer signed in", extra={"customer_id": signed_in.user_id})
    count(request, "customer_sign_in", "ok")
    return _public(signed_in)


@router.post("/invitations/accept", status_code=204, operation_id="auth-accept-customer-invitation")
async def accept_customer_invitation(
    body: CustomerInvitationAcceptance, request: Request, connection: ConnectionDep
) -> Response:
    """Accept a shop's invitation with a password of your own; then sign in with your username (the
    one the shop holds). An unknown, used or expired link is refused and changes nothing."""
    try:
        customer_id = await service.accept_invitation(
            connection,
            _directory(request),
            policy=policy_of(request),
            token=body.token,
            password=body.password,
            pending_ttl=_pending_ttl(request),
        )
    except PasswordRejected as exc:
        raise InvalidInput.field("body.password", str(exc)) from None
    log.info("customer invitation accepted", extra={"customer_id": customer_id})
    count(request, "customer_invitation", "accepted")
    return Response(status_code=204)


@router.post("/me/password", operation_id="auth-change-customer-password")
async def change_customer_password(
    body: PasswordChange, request: Request, connection: ConnectionDep
) -> CustomerTokensPublic:
    """A signed-in customer's new password, given the current one: every other sign-in (and every
    older access token) ends within seconds, and this reply's tokens carry on."""
    customer_id = caller_customer(request)
    try:
        customer = await _directory(request).read(customer_id)
        signed_in = await service.change_password(
            connection,
            policy=policy_of(request),
            customer_id=customer_id,
            email=customer.get("email") if customer else None,
            current_password=body.current_password,
            new_password=body.new_password,
        )
    except SignInRefused:
        count(request, "customer_password", "refused")
        raise _refused("the current password is wrong") from None
    except PasswordRejected as exc:
        raise InvalidInput.field("body.new_password", str(exc)) from None
    except ServiceError as exc:
        raise service.problem_of(exc) from None
    count(request, "customer_password", "changed")
    return _public(signed_in)


@router.put("/me/username", operation_id="auth-change-customer-username")
async def change_customer_username(body: UsernameChange, request: Request) -> UsernamePublic:
    """A signed-in customer's new username, changed in the customer service and here together (or not
    at all: 409 naming `body.username` when it is taken)."""
    customer_id = caller_customer(request)
    try:
        username = await service.change_username(
            request.app.state.engine,
            _directory(request),
            customer_id=customer_id,
            username=body.username,
            pending_ttl=_pending_ttl(request),
        )
    except SignInRefused:
        raise _refused("no customer account") from None
    count(request, "customer_username", "changed")
    return UsernamePublic(customer_id=customer_id, username=username)


@accounts_router.post("/invitations", status_code=201, operation_id="customer-accounts-invite-customer")
async def invite_customer(
    body: CustomerInvite, request: Request, connection: ConnectionDep
) -> CustomerInvitationPublic:
    """A one-use link for an existing customer to set a password and sign in with their username,
    shown only in this reply (Patron sends no mail). A customer without a username gets a 422: set one
    first. Not for a customer who already signs in, or an inactive one (409)."""
    invited_by = caller_id(request)
    try:
        invitation = await service.invite(
            connection,
            _directory(request),
            customer_id=body.customer_id,
            invited_by=invited_by,
            ttl=timedelta(hours=_settings(request).account_link_ttl_hours),
        )
    except ServiceError as exc:
        raise service.problem_of(exc) from None
    log.info("customer invited", extra={"customer_id": body.customer_id, "by": invited_by})
    count(request, "customer_invitation", "issued")
    base = _settings(request).public_url or str(request.base_url)
    return CustomerInvitationPublic(
        customer_id=invitation.customer_id,
        username=invitation.username,
        invitation_url=f"{base.rstrip('/')}/app/invitation#token={invitation.link.token}",
        expires_at=invitation.link.expires_at,
    )
