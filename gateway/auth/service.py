"""Staff accounts: creating them, setting passwords, signing in, refreshing and signing out; the
sign-ins (refresh families) of customers' accounts share the refresh and sign-out.

Each function runs on a connection inside the caller's transaction; argon2 runs on a thread, so a
sign-in's tens of milliseconds of hashing never stall the gateway's event loop. Setting a password or
signing out writes to the revocation store (``gateway.auth.revocation``): the user's older tokens,
or the sign-in's, stop working in every gateway process within seconds.
"""

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.auth.models import StaffRole
from gateway.auth.passwords import check_new_password, password_hasher, verify_password
from gateway.auth.tokens import CUSTOMER, STAFF, issue_access_token, new_refresh_token, refresh_token_hash
from gateway.settings import GatewaySettings


class EmailTaken(Exception):
    """Another staff user has this email (compared without case)."""


class UnknownUser(Exception):
    """No staff user has this email."""


class SignInRefused(Exception):
    """Wrong email or password, an inactive user, or a refresh token that is unknown, used or revoked."""


@dataclass(frozen=True)
class AuthPolicy:
    """What the account functions need from the gateway's settings."""

    hasher: PasswordHasher
    password_min_length: int
    token_secret: str
    token_issuer: str
    access_ttl_seconds: int
    refresh_ttl: timedelta

    @classmethod
    def of(cls, settings: GatewaySettings) -> "AuthPolicy":
        return cls(
            hasher=password_hasher(
                time_cost=settings.password_time_cost,
                memory_cost_kib=settings.password_memory_cost_kib,
                parallelism=settings.password_parallelism,
            ),
            password_min_length=settings.password_min_length,
            token_secret=settings.token_secret.get_secret_value(),
            token_issuer=settings.token_issuer,
            access_ttl_seconds=settings.access_token_ttl_seconds,
            refresh_ttl=timedelta(days=settings.refresh_token_ttl_days),
        )


@dataclass(frozen=True)
class SignedIn:
    access_token: str
    refresh_token: str
    expires_in: int
    user_id: int
    roles: list[str]
    kind: str = STAFF
    """``staff`` (``user_id`` is the staff user's id) or ``customer`` (``user_id`` is the customer's id)."""


CustomerCheck = Callable[[int], Awaitable[bool]]
"""Whether the customer with this id may still sign in (exists and is active in the customer service)."""


async def create_staff_user(
    connection: AsyncConnection,
    *,
    policy: AuthPolicy,
    email: str,
    password: str,
    roles: list[StaffRole],
    display_name: str | None = None,
) -> int:
    """A new active staff user; its password must pass the rules (``PasswordRejected`` otherwise)."""
    check_new_password(password, min_length=policy.password_min_length, email=email)
    try:
        async with connection.begin_nested():
            user_id: int = (
                await connection.execute(
                    text(
                        "INSERT INTO gateway.staff_user (email, display_name, roles, password_hash)"
                        " VALUES (:email, :name, :roles, :hash) RETURNING id"
                    ),
                    {
                        "email": email,
                        "name": display_name or email.split("@", 1)[0],
                        "roles": [role.value for role in roles],
                        "hash": await asyncio.to_thread(policy.hasher.hash, password),
                    },
                )
            ).scalar_one()
    except IntegrityError as exc:
        raise EmailTaken(email) from exc
    return user_id


async def set_password(connection: AsyncConnection, *, policy: AuthPolicy, email: str, password: str) -> int:
    """Give the user with ``email`` a new password and end every token issued before it."""
    check_new_password(password, min_length=policy.password_min_length, email=email)
    user_id = (
        await connection.execute(
            text(
                "UPDATE gateway.staff_user SET password_hash = :hash, tokens_valid_after = now(), updated_at = now()"
                " WHERE lower(email) = lower(:email) RETURNING id"
            ),
            {"email": email, "hash": await asyncio.to_thread(policy.hasher.hash, password)},
        )
    ).scalar_one_or_none()
    if user_id is None:
        raise UnknownUser(email)
    await _revoke_families(connection, "user_id = :user_id", {"user_id": user_id})
    return int(user_id)


async def change_own_password(
    connection: AsyncConnection, *, policy: AuthPolicy, user_id: int, current_password: str, new_password: str
) -> None:
    """A user's own new password, given the current one; every sign-in of the user ends, this one too."""
    user = (
        await connection.execute(
            text("SELECT email, password_hash, active FROM gateway.staff_user WHERE id = :user_id FOR UPDATE"),
            {"user_id": user_id},
        )
    ).one_or_none()
    if user is None or not user.active:
        raise SignInRefused("unknown or inactive user")
    if not await asyncio.to_thread(verify_password, policy.hasher, user.password_hash, current_password):
        raise SignInRefused("wrong current password")
    await set_password(connection, policy=policy, email=user.email, password=new_password)


async def deactivate(connection: AsyncConnection, *, user_id: int) -> None:
    """Refuse the user from now on: no sign-in, no refresh, and its access tokens within seconds.

    ``tokens_valid_after`` moves too, so reactivating the user revives none of its older tokens.
    """
    await connection.execute(
        text(
            "UPDATE gateway.staff_user SET active = false, tokens_valid_after = now(), updated_at = now()"
            " WHERE id = :user_id"
        ),
        {"user_id": user_id},
    )
    await revoke_sign_ins(connection, user_id=user_id)


async def revoke_sign_ins(connection: AsyncConnection, *, user_id: int) -> None:
    """End every sign-in (refresh family) of the user."""
    await _revoke_families(connection, "user_id = :user_id", {"user_id": user_id})


async def sign_in(connection: AsyncConnection, *, policy: AuthPolicy, email: str, password: str) -> SignedIn:
    """A new sign-in (refresh family) for the user whose email and password match."""
    user = (
        await connection.execute(
            text("SELECT id, roles, active, password_hash FROM gateway.staff_user WHERE lower(email) = lower(:email)"),
            {"email": email},
        )
    ).one_or_none()
    if user is None:
        # Spend what a real check spends, so a wrong email takes as long as a wrong password.
        await asyncio.to_thread(verify_password, policy.hasher, decoy_hash(policy.hasher), password)
        raise SignInRefused("unknown email")
    matches = await asyncio.to_thread(verify_password, policy.hasher, user.password_hash, password)
    if not matches or not user.active:
        raise SignInRefused("wrong password or inactive user")
    if policy.hasher.check_needs_rehash(user.password_hash):
        await connection.execute(
            text("UPDATE gateway.staff_user SET password_hash = :hash WHERE id = :user_id"),
            {"hash": await asyncio.to_thread(policy.hasher.hash, password), "user_id": user.id},
        )
    family_id = uuid.uuid4()
    await connection.execute(
        text(
            "INSERT INTO gateway.refresh_family (id, user_id, expires_at) VALUES (:family_id, :user_id, now() + :ttl)"
        ),
        {"family_id": family_id, "user_id": user.id, "ttl": policy.refresh_ttl},
    )
    return await _tokens(connection, policy=policy, user_id=user.id, roles=list(user.roles), family_id=family_id)


async def refresh(
    connection: AsyncConnection,
    *,
    policy: AuthPolicy,
    refresh_token: str,
    customer_may_sign_in: CustomerCheck | None = None,
) -> SignedIn:
    """New tokens for a refresh token, which is used up; a token used twice ends its whole family.

    A customer's sign-in is refreshed only while ``customer_may_sign_in`` says the customer exists and
    is active; otherwise every sign-in of theirs ends here (``end_customer_sign_ins``).
    """
    row = (
        await connection.execute(
            text(
                "SELECT t.used_at, f.id AS family_id, f.revoked_at, f.expires_at <= now() AS expired,"
                " u.id AS user_id, u.roles, u.active, c.id AS account_id, c.customer_id, c.state"
                " FROM gateway.refresh_token t"
                " JOIN gateway.refresh_family f ON f.id = t.family_id"
                " LEFT JOIN gateway.staff_user u ON u.id = f.user_id"
                " LEFT JOIN gateway.customer_account c ON c.id = f.customer_account_id"
                " WHERE t.token_hash = :hash FOR UPDATE OF t, f"
            ),
            {"hash": refresh_token_hash(refresh_token)},
        )
    ).one_or_none()
    if row is None:
        raise SignInRefused("unknown refresh token")
    if row.used_at is not None:
        await _revoke_families(connection, "id = :family_id", {"family_id": row.family_id})
        raise SignInRefused("refresh token reused; its sign-in is revoked")
    if row.revoked_at is not None or row.expired:
        raise SignInRefused("sign-in revoked or expired")
    if row.account_id is not None:
        if row.state != "active" or customer_may_sign_in is None:
            raise SignInRefused("customer account not active")
        if not await customer_may_sign_in(row.customer_id):
            await end_customer_sign_ins(connection, account_id=row.account_id)
            raise SignInRefused("customer deactivated or deleted")
        user_id, roles, kind = row.customer_id, [], CUSTOMER
    elif not row.active:
        raise SignInRefused("user inactive")
    else:
        user_id, roles, kind = row.user_id, list(row.roles), STAFF
    await connection.execute(
        text("UPDATE gateway.refresh_token SET used_at = now() WHERE token_hash = :hash"),
        {"hash": refresh_token_hash(refresh_token)},
    )
    return await _tokens(connection, policy=policy, user_id=user_id, roles=roles, family_id=row.family_id, kind=kind)


async def end_customer_sign_ins(connection: AsyncConnection, *, account_id: int) -> None:
    """End every sign-in of a customer's account and every access token issued before now."""
    await connection.execute(
        text(
            "UPDATE gateway.customer_account SET tokens_valid_after = now(), updated_at = now() WHERE id = :account_id"
        ),
        {"account_id": account_id},
    )
    await _revoke_families(connection, "customer_account_id = :account_id", {"account_id": account_id})


async def start_customer_sign_in(
    connection: AsyncConnection, *, policy: AuthPolicy, account_id: int, customer_id: int
) -> SignedIn:
    """A new sign-in (refresh family) of a customer's account, and its first tokens."""
    family_id = uuid.uuid4()
    await connection.execute(
        text(
            "INSERT INTO gateway.refresh_family (id, customer_account_id, expires_at)"
            " VALUES (:family_id, :account_id, now() + :ttl)"
        ),
        {"family_id": family_id, "account_id": account_id, "ttl": policy.refresh_ttl},
    )
    return await _tokens(connection, policy=policy, user_id=customer_id, roles=[], family_id=family_id, kind=CUSTOMER)


async def family_of(connection: AsyncConnection, *, refresh_token: str) -> uuid.UUID | None:
    """The sign-in a refresh token (used or not) belongs to."""
    family_id: uuid.UUID | None = await connection.scalar(
        text("SELECT family_id FROM gateway.refresh_token WHERE token_hash = :hash"),
        {"hash": refresh_token_hash(refresh_token)},
    )
    return family_id


async def sign_out(connection: AsyncConnection, *, family_id: uuid.UUID) -> None:
    """End one sign-in: its refresh tokens and the access tokens it issued."""
    await _revoke_families(connection, "id = :family_id", {"family_id": family_id})


async def _tokens(
    connection: AsyncConnection,
    *,
    policy: AuthPolicy,
    user_id: int,
    roles: list[str],
    family_id: uuid.UUID,
    kind: str = STAFF,
) -> SignedIn:
    refresh_token = new_refresh_token()
    await connection.execute(
        text("INSERT INTO gateway.refresh_token (token_hash, family_id) VALUES (:hash, :family_id)"),
        {"hash": refresh_token_hash(refresh_token), "family_id": family_id},
    )
    access_token, _ = issue_access_token(
        user_id=user_id,
        roles=roles,
        family_id=family_id,
        secret=policy.token_secret,
        issuer=policy.token_issuer,
        ttl_seconds=policy.access_ttl_seconds,
        kind=kind,
    )
    return SignedIn(access_token, refresh_token, policy.access_ttl_seconds, user_id, roles, kind)


async def _revoke_families(connection: AsyncConnection, where: str, values: dict[str, object]) -> None:
    await connection.execute(
        text(f"UPDATE gateway.refresh_family SET revoked_at = now() WHERE revoked_at IS NULL AND {where}"), values
    )


_decoys: dict[tuple[int, int, int], str] = {}


def decoy_hash(hasher: PasswordHasher) -> str:
    """A hash with the configured costs, of no one's password."""
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism)
    if key not in _decoys:
        _decoys[key] = hasher.hash(uuid.uuid4().hex)
    return _decoys[key]
