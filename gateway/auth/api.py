"""The gateway's own routes under ``/api/v1/auth``: sign-in (JSON, or the OAuth 2 password grant at
``/token``), refresh and sign-out (of staff and customers alike), and a user's own password. Who may
call each is its row in the permission table, checked before the route runs (``gateway.auth.guard``)."""

import logging
from collections.abc import AsyncIterator
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.abuse import store as throttle
from gateway.abuse.api import sign_in_subjects
from gateway.auth import service
from gateway.auth.guard import caller_id
from gateway.auth.passwords import MAX_LENGTH, PasswordRejected
from gateway.auth.schemas import PasswordChange, RefreshRequest, SignInRequest, TokensPublic
from gateway.auth.service import AuthPolicy, SignedIn, SignInRefused
from services.kit.client import ServiceError
from services.kit.errors import BadGateway, InvalidInput, TooManyRequests, Unauthorized

log = logging.getLogger("patron.gateway.auth")

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


async def _connection(request: Request) -> AsyncIterator[AsyncConnection]:
    """One transaction per request, committed before the response is sent."""
    async with request.app.state.engine.begin() as connection:
        yield connection


ConnectionDep = Annotated[AsyncConnection, Depends(_connection, scope="function")]


def policy_of(request: Request) -> AuthPolicy:
    policy: AuthPolicy = request.app.state.auth_policy
    return policy


def count(request: Request, event: str, outcome: str) -> None:
    """One auth event in the gateway's metrics (never a password or a token)."""
    request.app.state.auth_events.labels(event=event, outcome=outcome).inc()


def _refused(reason: str) -> Unauthorized:
    return Unauthorized(reason, headers={"WWW-Authenticate": "Bearer"})


def _public(signed_in: SignedIn) -> TokensPublic:
    return TokensPublic(
        access_token=signed_in.access_token, expires_in=signed_in.expires_in, refresh_token=signed_in.refresh_token
    )


async def _sign_in(request: Request, connection: AsyncConnection, *, email: str, password: str) -> TokensPublic:
    # Counted before the password is checked, whether the account exists or not (the reply is the same).
    account, address = sign_in_subjects(request, "staff", email)
    engine = request.app.state.engine
    wait = await throttle.attempt(engine, request.app.state.sign_in_throttle, account=account, address=address)
    if wait is not None:
        log.info("sign-in throttled", extra={"retry_after": wait})
        count(request, "sign_in", "throttled")
        raise TooManyRequests(f"too many sign-in attempts; try again in {wait} s", retry_after=wait)
    try:
        signed_in = await service.sign_in(connection, policy=policy_of(request), email=email, password=password)
    except SignInRefused as exc:
        log.info("sign-in refused", extra={"reason": str(exc)})
        count(request, "sign_in", "refused")
        raise _refused("wrong email or password") from None
    await throttle.succeeded(engine, account=account, address=address)
    log.info("signed in", extra={"user_id": signed_in.user_id})
    count(request, "sign_in", "ok")
    return _public(signed_in)


@router.post("/sign-in", operation_id="auth-sign-in")
async def sign_in(body: SignInRequest, request: Request, connection: ConnectionDep) -> TokensPublic:
    """Email and password for an access token (a JWT) and a refresh token."""
    return await _sign_in(request, connection, email=body.email, password=body.password)


class PasswordGrant(BaseModel):
    """The OAuth 2 resource owner password grant (RFC 6749 §4.3), as /docs' Authorize button sends it."""

    model_config = ConfigDict(extra="ignore")

    grant_type: Literal["password"]
    username: str = Field(min_length=3, max_length=320, description="The staff user's email.")
    password: str = Field(min_length=1, max_length=MAX_LENGTH)
    scope: str = Field("", max_length=1000, description="Ignored: a token carries the user's roles.")


@router.post("/token", operation_id="auth-token")
async def token(form: Annotated[PasswordGrant, Form()], request: Request, connection: ConnectionDep) -> TokensPublic:
    """The OAuth 2 password grant (a form: `grant_type=password`, `username` = email, `password`): the
    same tokens as sign-in; the token URL of the contract's OAuth 2 scheme."""
    return await _sign_in(request, connection, email=form.username, password=form.password)


@router.post("/refresh", operation_id="auth-refresh")
async def refresh(body: RefreshRequest, request: Request, connection: ConnectionDep) -> TokensPublic:
    """A refresh token, used once, for new tokens; a reused one ends its sign-in. A customer's sign-in
    is refreshed only while the customer exists and is active in the customer service."""
    try:
        signed_in = await service.refresh(
            connection,
            policy=policy_of(request),
            refresh_token=body.refresh_token,
            customer_may_sign_in=request.app.state.customer_directory.may_sign_in,
        )
    except ServiceError:
        raise BadGateway("the customer service did not answer; try again shortly") from None
    except SignInRefused as exc:
        log.info("refresh refused", extra={"reason": str(exc)})
        count(request, "refresh", "refused")
        # The revocation of a reused token's family must stand although the request fails.
        await connection.commit()
        raise _refused("the refresh token is not valid") from None
    count(request, "refresh", "ok")
    return _public(signed_in)


@router.post("/sign-out", status_code=204, operation_id="auth-sign-out")
async def sign_out(body: RefreshRequest, request: Request, connection: ConnectionDep) -> Response:
    """End the sign-in of this refresh token: its refresh tokens and its access tokens."""
    family_id = await service.family_of(connection, refresh_token=body.refresh_token)
    if family_id is not None:
        await service.sign_out(connection, family_id=family_id)
    count(request, "sign_out", "ok" if family_id is not None else "unknown")
    return Response(status_code=204)


@router.post("/password", status_code=204, operation_id="auth-change-password")
async def change_password(body: PasswordChange, request: Request, connection: ConnectionDep) -> Response:
    """A signed-in user's own new password; every sign-in of the user ends, so sign in again with it."""
    try:
        await service.change_own_password(
            connection,
            policy=policy_of(request),
            user_id=caller_id(request),
            current_password=body.current_password,
            new_password=body.new_password,
        )
    except SignInRefused:
        count(request, "password", "refused")
        raise _refused("the current password is wrong") from None
    except PasswordRejected as exc:
        raise InvalidInput.field("body.new_password", str(exc)) from None
    count(request, "password", "changed")
    return Response(status_code=204)
