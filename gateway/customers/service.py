"""Customers' accounts at the gateway: registration (a saga across the customer service), staff
invitations, sign-in, and the customer's own password and username.

The gateway keeps the credentials (``gateway.customer_account``); the customer service keeps the
customer, whose username is the one they sign in with. Every change that touches both sides is
ordered so that a failure at any step leaves neither side with anything of it:

- registration: (a) reserve the username here (a ``pending`` row, committed), (b) create the
  customer there (a signed call whose ``Idempotency-Key`` is the registration's id), (c) activate the
  row with the customer's id. If (b) fails the row is removed; if (c) fails the customer is deleted
  there again and the row removed. A pending row older than ``pending_ttl`` was left by a gateway
  that died mid-registration: the next registration of the username replaces it (and deletes the
  customer it may have created, which has a sign-in and no account).
- a username change: the customer service first (it refuses a taken one), then this side; if this
  side fails, the old username is put back there.
"""

import asyncio
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from gateway.auth.passwords import check_new_password, verify_password
from gateway.auth.service import (
    AuthPolicy,
    SignedIn,
    SignInRefused,
    decoy_hash,
    end_customer_sign_ins,
    start_customer_sign_in,
)
from gateway.customers.directory import CustomerDirectory
from gateway.staff.service import IssuedLink, link_token_hash
from services.kit.client import ServiceConflict, ServiceError, ServiceInvalidInput, ServiceUnavailable
from services.kit.errors import BadGateway, Conflict, FieldError, InvalidInput, NotFound, Problem

log = logging.getLogger("patron.gateway.customers")

_USERNAME_TAKEN = "username is taken"


class RegistrationLost(Exception):
    """The pending row of a registration is gone (replaced as stale) before it could be activated."""


@dataclass(frozen=True)
class CustomerInvitationIssued:
    customer_id: int
    username: str
    link: IssuedLink


def username_taken() -> Conflict:
    return Conflict(_USERNAME_TAKEN, errors=[FieldError("body.username", _USERNAME_TAKEN, "taken")])


def problem_of(exc: ServiceError) -> Problem:
    """What the caller is told when the customer service refused or did not answer a step."""
    errors = [
        FieldError(str(e["field"]), str(e.get("message", "")), str(e.get("code", "invalid")))
        for e in exc.errors
        if "field" in e
    ]
    if isinstance(exc, ServiceConflict):
        return Conflict(exc.detail, errors=errors)
    if isinstance(exc, ServiceInvalidInput):
        return InvalidInput(exc.detail, errors=errors)
    if isinstance(exc, ServiceUnavailable):
        return BadGateway("the customer service did not answer; nothing was kept, so try again shortly")
    return BadGateway(f"the customer service refused the step ({exc.status}); nothing was kept")


# --- registration ---------------------------------------------------------------------------------


async def register(
    engine: AsyncEngine,
    directory: CustomerDirectory,
    *,
    policy: AuthPolicy,
    pending_ttl: timedelta,
    name: str,
    email: str,
    username: str,
    password: str,
) -> SignedIn:
    """A new customer with credentials, signed in; on any failure neither side keeps anything."""
    check_new_password(password, min_length=policy.password_min_length, email=email)
    password_hash = await asyncio.to_thread(policy.hasher.hash, password)
    account_id = await reserve_username(
        engine, directory, username=username, password_hash=password_hash, pending_ttl=pending_ttl
    )
    try:
        if await directory.email_in_use(email):
            raise Conflict(
                "a customer with this email exists; ask the shop for an invitation instead",
                errors=[FieldError("body.email", "a customer with this email exists", "taken")],
            )
        customer = await directory.create(key=f"registration-{account_id}", name=name, email=email, username=username)
    except BaseException as exc:
        await release_username(engine, account_id=account_id)
        if isinstance(exc, ServiceError):
            log.info("registration refused by the customer service", extra={"status": exc.status})
            raise problem_of(exc) from None
        raise
    customer_id = int(customer["id"])
    try:
        async with engine.begin() as connection:
            await activate_account(connection, account_id=account_id, customer_id=customer_id)
            return await start_customer_sign_in(
                connection, policy=policy, account_id=account_id, customer_id=customer_id
            )
    except BaseException:
        log.warning("registration not activated: undoing it", extra={"customer_id": customer_id})
        await _undo_registration(engine, directory, account_id=account_id, customer_id=customer_id)
        raise


async def reserve_username(
    engine: AsyncEngine, directory: CustomerDirectory, *, username: str, password_hash: str, pending_ttl: timedelta
) -> int:
    """Step (a): a committed pending row holding the username; a stale pending row of it is replaced."""
    async with engine.begin() as connection:
        stale = (
            await connection.execute(
                text(
                    "DELETE FROM gateway.customer_account"
                    " WHERE lower(username) = lower(:username) AND state = 'pending'"
                    " AND created_at < now() - CAST(:ttl AS interval)"
                    " RETURNING id"
                ),
                {"username": username, "ttl": pending_ttl},
            )
        ).scalar_one_or_none()
        try:
            async with connection.begin_nested():
                account_id: int = (
                    await connection.execute(
                        text(
                            "INSERT INTO gateway.customer_account (username, password_hash, state)"
                            " VALUES (:username, :hash, 'pending') RETURNING id"
                        ),
                        {"username": username, "hash": password_hash},
                    )
                ).scalar_one()
        except IntegrityError:
            raise username_taken() from None
    if stale is not None:
        await _forget_orphan(engine, directory, username=username)
    return account_id


async def _forget_orphan(engine: AsyncEngine, directory: CustomerDirectory, *, username: str) -> None:
    """Delete the customer a dead registration may have created: marked as signing in, with no account."""
    try:
        response = await directory.client.get("/api/v1/customers", params={"username": username, "limit": 1})
        for customer in response.json()["items"]:
            if not customer.get("has_sign_in"):
                continue
            async with engine.connect() as connection:
                linked = await connection.scalar(
                    text("SELECT 1 FROM gateway.customer_account WHERE customer_id = :customer_id"),
                    {"customer_id": customer["id"]},
                )
            if linked is None:
                log.warning(
                    "deleting the customer of an unfinished registration", extra={"customer_id": customer["id"]}
                )
                await directory.delete(int(customer["id"]))
    except ServiceError as exc:  # the registration that follows reports what matters
        log.warning("could not look for an unfinished registration's customer", extra={"error": str(exc)})


async def activate_account(connection: AsyncConnection, *, account_id: int, customer_id: int) -> None:
    """Step (c): the pending row becomes the customer's account."""
    activated = (
        await connection.execute(
            text(
                "UPDATE gateway.customer_account SET customer_id = :customer_id, state = 'active', updated_at = now()"
                " WHERE id = :account_id AND state = 'pending' RETURNING id"
            ),
            {"account_id": account_id, "customer_id": customer_id},
        )
    ).scalar_one_or_none()
    if activated is None:
        raise RegistrationLost(f"pending account {account_id} is gone")


async def release_username(engine: AsyncEngine, *, account_id: int) -> None:
    """Remove a registration's pending row (only while it is still pending)."""
    async with engine.begin() as connection:
        await connection.execute(
            text("DELETE FROM gateway.customer_account WHERE id = :account_id AND state = 'pending'"),
            {"account_id": account_id},
        )


async def _undo_registration(
    engine: AsyncEngine, directory: CustomerDirectory, *, account_id: int, customer_id: int
) -> None:
    try:
        await directory.delete(customer_id)
    except ServiceError as exc:
        # The customer keeps has_sign_in with no account: the next registration of the username, or
        # staff deleting the customer, clears it (see ``_forget_orphan``).
        log.error(
            "compensation failed: customer left without credentials",
            extra={"customer_id": customer_id, "error": str(exc)},
        )
    await release_username(engine, account_id=account_id)


# --- sign-in --------------------------------------------------------------------------------------


async def sign_in(
    connection: AsyncConnection, directory: CustomerDirectory, *, policy: AuthPolicy, username: str, password: str
) -> SignedIn:
    """A new sign-in for the customer whose username and password match, while they are active."""
    account = (
        await connection.execute(
            text(
                "SELECT id, customer_id, password_hash FROM gateway.customer_account"
                " WHERE lower(username) = lower(:username) AND state = 'active'"
            ),
            {"username": username},
        )
    ).one_or_none()
    if account is None:
        # Spend what a real check spends, so an unknown username takes as long as a wrong password.
        await asyncio.to_thread(verify_password, policy.hasher, decoy_hash(policy.hasher), password)
        raise SignInRefused("unknown username")
    if not await asyncio.to_thread(verify_password, policy.hasher, account.password_hash, password):
        raise SignInRefused("wrong password")
    if not await directory.may_sign_in(account.customer_id):
        await end_customer_sign_ins(connection, account_id=account.id)
        raise SignInRefused("customer deactivated or deleted")
    if policy.hasher.check_needs_rehash(account.password_hash):
        await connection.execute(
            text("UPDATE gateway.customer_account SET password_hash = :hash WHERE id = :id"),
            {"hash": await asyncio.to_thread(policy.hasher.hash, password), "id": account.id},
        )
    return await start_customer_sign_in(
        connection, policy=policy, account_id=account.id, customer_id=account.customer_id
    )


# --- the customer's own account -------------------------------------------------------------------


async def _own_account(connection: AsyncConnection, *, customer_id: int) -> Any:
    account = (
        await connection.execute(
            text(
                "SELECT id, username, password_hash FROM gateway.customer_account"
                " WHERE customer_id = :customer_id AND state = 'active' FOR UPDATE"
            ),
            {"customer_id": customer_id},
        )
    ).one_or_none()
    if account is None:
        raise SignInRefused("no account")
    return account


async def change_password(
    connection: AsyncConnection,
    *,
    policy: AuthPolicy,
    customer_id: int,
    email: str | None,
    current_password: str,
    new_password: str,
) -> SignedIn:
    """A customer's new password, given the current one: every sign-in of theirs ends, and this
    reply's tokens start a new one."""
    account = await _own_account(connection, customer_id=customer_id)
    if not await asyncio.to_thread(verify_password, policy.hasher, account.password_hash, current_password):
        raise SignInRefused("wrong current password")
    check_new_password(new_password, min_length=policy.password_min_length, email=email)
    await connection.execute(
        text("UPDATE gateway.customer_account SET password_hash = :hash WHERE id = :id"),
        {"hash": await asyncio.to_thread(policy.hasher.hash, new_password), "id": account.id},
    )
    await end_customer_sign_ins(connection, account_id=account.id)
    return await start_customer_sign_in(connection, policy=policy, account_id=account.id, customer_id=customer_id)


async def change_username(
    engine: AsyncEngine, directory: CustomerDirectory, *, customer_id: int, username: str, pending_ttl: timedelta
) -> str:
    """The customer's new username, on both sides or neither: the customer service first, then here."""
    changed_there: str | None = None
    try:
        async with engine.begin() as connection:
            account = await _own_account(connection, customer_id=customer_id)
            if account.username == username:
                return username
            await connection.execute(
                text(
                    "DELETE FROM gateway.customer_account"
                    " WHERE lower(username) = lower(:username) AND state = 'pending'"
                    " AND created_at < now() - CAST(:ttl AS interval)"
                ),
                {"username": username, "ttl": pending_ttl},
            )
            taken = await connection.scalar(
                text("SELECT 1 FROM gateway.customer_account WHERE lower(username) = lower(:username) AND id <> :id"),
                {"username": username, "id": account.id},
            )
            if taken:
                raise username_taken()
            try:
                await directory.update(customer_id, key=f"username-{secrets.token_hex(16)}", username=username)
            except ServiceError as exc:
                raise problem_of(exc) from None
            changed_there = account.username
            try:
                async with connection.begin_nested():
                    await connection.execute(
                        text(
                            "UPDATE gateway.customer_account SET username = :username, updated_at = now()"
                            " WHERE id = :id"
                        ),
                        {"username": username, "id": account.id},
                    )
            except IntegrityError:
                raise username_taken() from None
    except BaseException:
        if changed_there is not None:
            await _put_username_back(directory, customer_id=customer_id, username=changed_there)
        raise
    return username


async def _put_username_back(directory: CustomerDirectory, *, customer_id: int, username: str) -> None:
    try:
        await directory.update(customer_id, key=f"username-undo-{secrets.token_hex(16)}", username=username)
    except ServiceError as exc:
        log.error("could not put a customer's username back", extra={"customer_id": customer_id, "error": str(exc)})


# --- invitations ----------------------------------------------------------------------------------


async def invite(
    connection: AsyncConnection,
    directory: CustomerDirectory,
    *,
    customer_id: int,
    invited_by: int | None,
    ttl: timedelta,
) -> CustomerInvitationIssued:
    """A one-use link for an existing customer to set a password and sign in with their username."""
    customer = await directory.read(customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} does not exist")
    if not customer.get("username"):
        raise InvalidInput.field(
            "body.customer_id",
            "the customer has no username: set one first (PATCH /api/v1/customers/{id}), then invite them",
            "no_username",
        )
    if customer["status"] != "active":
        raise Conflict(f"customer {customer_id} is inactive: reactivate them before inviting them")
    has_account = await connection.scalar(
        text("SELECT 1 FROM gateway.customer_account WHERE customer_id = :customer_id"), {"customer_id": customer_id}
    )
    if has_account:
        raise Conflict(f"customer {customer_id} already has a sign-in")
    token = secrets.token_urlsafe(32)
    expires_at: datetime = (
        await connection.execute(
            text(
                "INSERT INTO gateway.customer_invitation (token_hash, customer_id, created_by, expires_at)"
                " VALUES (:hash, :customer_id, :created_by, now() + :ttl) RETURNING expires_at"
            ),
            {"hash": link_token_hash(token), "customer_id": customer_id, "created_by": invited_by, "ttl": ttl},
        )
    ).scalar_one()
    return CustomerInvitationIssued(customer_id, customer["username"], IssuedLink(token, expires_at))


async def accept_invitation(
    connection: AsyncConnection,
    directory: CustomerDirectory,
    *,
    policy: AuthPolicy,
    token: str,
    password: str,
    pending_ttl: timedelta,
) -> int:
    """Redeem an invitation: the customer's credentials (their username in the customer service and
    a password by the rules), and the customer marked as signing in there; the customer's id."""
    customer_id = (
        await connection.execute(
            text(
                "SELECT customer_id FROM gateway.customer_invitation"
                " WHERE token_hash = :hash AND used_at IS NULL AND expires_at > now() FOR UPDATE"
            ),
            {"hash": link_token_hash(token)},
        )
    ).scalar_one_or_none()
    if customer_id is None:
        raise InvalidInput.field(
            "body.token", "the link is unknown, used or expired; ask the shop for a new one", "link"
        )
    try:
        customer = await directory.read(customer_id)
    except ServiceError as exc:
        raise problem_of(exc) from None
    if customer is None or customer["status"] != "active":
        raise InvalidInput.field("body.token", "the customer of this link is inactive or gone", "link")
    username = customer.get("username")
    if not username:
        raise InvalidInput.field("body.token", "the customer has no username; ask the shop to set one", "no_username")
    check_new_password(password, min_length=policy.password_min_length, email=customer.get("email"))
    await connection.execute(
        text(
            "DELETE FROM gateway.customer_account"
            " WHERE lower(username) = lower(:username) AND state = 'pending'"
            " AND created_at < now() - CAST(:ttl AS interval)"
        ),
        {"username": username, "ttl": pending_ttl},
    )
    try:
        async with connection.begin_nested():
            await connection.execute(
                text(
                    "INSERT INTO gateway.customer_account (customer_id, username, password_hash, state)"
                    " VALUES (:customer_id, :username, :hash, 'active')"
                ),
                {
                    "customer_id": customer_id,
                    "username": username,
                    "hash": await asyncio.to_thread(policy.hasher.hash, password),
                },
            )
    except IntegrityError:
        raise Conflict("the customer already has a sign-in, or their username is being registered") from None
    try:
        await directory.update(customer_id, key=f"invitation-{link_token_hash(token).hex()}", has_sign_in=True)
    except ServiceError as exc:
        raise problem_of(exc) from None
    await connection.execute(
        text("UPDATE gateway.customer_invitation SET used_at = now() WHERE customer_id = :id AND used_at IS NULL"),
        {"id": customer_id},
    )
    return int(customer_id)
