"""What admins do to staff accounts, and the one-use links that let staff set their password.

Each function runs on a connection inside the caller's transaction, and raises a problem (404, 409,
422) before it writes anything, so a refused request changes nothing. A link's token is random,
returned once, and stored as its SHA-256 (``gateway.staff.models.AccountLink``). Changes that end a
user's tokens go through the revocation store: ``tokens_valid_after`` and revoked refresh families,
read by every gateway process within seconds.

Writes that could leave no active admin (removing the role, deactivating) take one transaction-level
advisory lock first, so two admins demoting each other at the same moment cannot both succeed.
"""

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from gateway.auth import service as accounts
from gateway.auth.models import StaffRole
from gateway.auth.passwords import check_new_password
from gateway.auth.service import AuthPolicy
from gateway.staff.models import LinkPurpose
from services.kit.errors import BadCursor, Conflict, FieldError, InvalidInput, NotFound
from services.kit.pagination import decode_cursor, encode_cursor

# A user invited but not yet accepted has no password: no hash verifies against it.
NO_PASSWORD = ""
_SORT = "staff-id"
_ADMINS_LOCK = "gateway.staff_user.admins"

_USER_COLUMNS = """
    u.id, u.email, u.display_name, u.roles, u.active, u.created_at, u.updated_at,
    CASE WHEN u.active THEN 'active'
         WHEN EXISTS (
             SELECT 1 FROM gateway.account_link l
             WHERE l.user_id = u.id AND l.purpose = 'invite' AND l.used_at IS NULL AND l.expires_at > now()
         ) THEN 'invited'
         ELSE 'inactive' END AS status
"""


@dataclass(frozen=True)
class StaffUserRow:
    id: int
    email: str
    display_name: str
    roles: list[str]
    status: str
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class IssuedLink:
    """A link's secret, returned once and never stored, and when it stops working."""

    token: str
    expires_at: datetime


@dataclass(frozen=True)
class Invitation:
    user: StaffUserRow
    link: IssuedLink


def link_token_hash(token: str) -> bytes:
    """What the database keeps of a link: 256 random bits need no slow hash."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def ordered_roles(roles: list[StaffRole]) -> list[str]:
    """Each role once, in the SPEC's order (admin, manager, clerk, analyst)."""
    wanted = set(roles)
    return [role.value for role in StaffRole if role in wanted]


def _row(row: Any) -> StaffUserRow:
    return StaffUserRow(
        id=row.id,
        email=row.email,
        display_name=row.display_name,
        roles=list(row.roles),
        status=row.status,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


async def list_staff(
    connection: AsyncConnection, *, active: bool | None, limit: int, cursor: str | None
) -> tuple[list[StaffUserRow], str | None]:
    """One page of staff users by id, optionally only the active or the inactive ones."""
    after = 0
    if cursor:
        (after,) = decode_cursor(cursor, _SORT, 1)
        if not isinstance(after, int) or isinstance(after, bool):
            raise BadCursor()
    rows = (
        await connection.execute(
            text(
                f"SELECT {_USER_COLUMNS} FROM gateway.staff_user u"
                " WHERE u.id > :after AND (CAST(:active AS boolean) IS NULL OR u.active = :active)"
                " ORDER BY u.id LIMIT :limit"
            ),
            {"after": after, "active": active, "limit": limit + 1},
        )
    ).all()
    users = [_row(row) for row in rows[:limit]]
    next_cursor = encode_cursor(_SORT, [users[-1].id]) if len(rows) > limit else None
    return users, next_cursor


async def read_staff_user(connection: AsyncConnection, *, user_id: int) -> StaffUserRow:
    row = (
        await connection.execute(
            text(f"SELECT {_USER_COLUMNS} FROM gateway.staff_user u WHERE u.id = :id"), {"id": user_id}
        )
    ).one_or_none()
    if row is None:
        raise NotFound(f"staff user {user_id} does not exist")
    return _row(row)


async def invite(
    connection: AsyncConnection,
    *,
    email: str,
    roles: list[StaffRole],
    display_name: str | None,
    invited_by: int | None,
    ttl: timedelta,
) -> Invitation:
    """A new staff user who cannot sign in until they accept the invitation with a password of their own."""
    try:
        async with connection.begin_nested():
            user_id = (
                await connection.execute(
                    text(
                        "INSERT INTO gateway.staff_user (email, display_name, roles, password_hash, active)"
                        " VALUES (:email, :name, :roles, :no_password, false) RETURNING id"
                    ),
                    {
                        "email": email,
                        "name": display_name or email.split("@", 1)[0],
                        "roles": ordered_roles(roles),
                        "no_password": NO_PASSWORD,
                    },
                )
            ).scalar_one()
    except IntegrityError:
        raise Conflict(
            "a staff user with this email exists",
            errors=[FieldError("body.email", "a staff user with this email exists", "taken")],
        ) from None
    link = await _issue_link(connection, user_id=user_id, purpose=LinkPurpose.INVITE, created_by=invited_by, ttl=ttl)
    return Invitation(await read_staff_user(connection, user_id=user_id), link)


async def issue_password_reset(
    connection: AsyncConnection, *, user_id: int, issued_by: int | None, ttl: timedelta
) -> IssuedLink:
    """A one-use link to set a new password; the user's current one works until the link is used."""
    user = await read_staff_user(connection, user_id=user_id)
    if user.status != "active":
        raise Conflict(f"staff user {user_id} is {user.status}: reactivate them before resetting their password")
    return await _issue_link(connection, user_id=user_id, purpose=LinkPurpose.RESET, created_by=issued_by, ttl=ttl)


async def accept_invitation(connection: AsyncConnection, *, policy: AuthPolicy, token: str, password: str) -> int:
    """Redeem an invitation: the user's first password (by the rules), and the user active; its id."""
    link = await _redeem(connection, token=token, purpose=LinkPurpose.INVITE)
    check_new_password(password, min_length=policy.password_min_length, email=link.email)
    await connection.execute(
        text(
            "UPDATE gateway.staff_user SET password_hash = :hash, active = true, updated_at = now() WHERE id = :user_id"
        ),
        {"hash": await asyncio.to_thread(policy.hasher.hash, password), "user_id": link.user_id},
    )
    await _use_links(connection, user_id=link.user_id, purpose=LinkPurpose.INVITE)
    return int(link.user_id)


async def complete_password_reset(
    connection: AsyncConnection, *, policy: AuthPolicy, token: str, new_password: str
) -> int:
    """Redeem a reset link: a new password (by the rules), and every sign-in of the user ends; its id."""
    link = await _redeem(connection, token=token, purpose=LinkPurpose.RESET)
    user_id = await accounts.set_password(connection, policy=policy, email=link.email, password=new_password)
    await _use_links(connection, user_id=user_id, purpose=LinkPurpose.RESET)
    return user_id


async def change_roles(
    connection: AsyncConnection, *, user_id: int, roles: list[StaffRole]
) -> tuple[StaffUserRow, bool]:
    """Give the user ``roles``; their tokens (carrying the old roles) and sign-ins end. Whether they changed."""
    await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:lock))"), {"lock": _ADMINS_LOCK})
    user = await read_staff_user(connection, user_id=user_id)
    wanted = ordered_roles(roles)
    if wanted == user.roles:
        return user, False
    if StaffRole.ADMIN.value in user.roles and StaffRole.ADMIN.value not in wanted:
        await _keep_an_admin(connection, leaving=user_id)
    await connection.execute(
        text(
            "UPDATE gateway.staff_user SET roles = :roles, tokens_valid_after = now(), updated_at = now()"
            " WHERE id = :user_id"
        ),
        {"roles": wanted, "user_id": user_id},
    )
    await accounts.revoke_sign_ins(connection, user_id=user_id)
    return await read_staff_user(connection, user_id=user_id), True


async def deactivate(connection: AsyncConnection, *, user_id: int, actor_id: int | None) -> StaffUserRow:
    """The user can no longer sign in or refresh, and their access tokens are refused within seconds;
    their unused links stop working."""
    if user_id == actor_id:
        raise Conflict("you cannot deactivate yourself; another admin can")
    await connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:lock))"), {"lock": _ADMINS_LOCK})
    user = await read_staff_user(connection, user_id=user_id)
    if user.status == "active" and StaffRole.ADMIN.value in user.roles:
        await _keep_an_admin(connection, leaving=user_id)
    await accounts.deactivate(connection, user_id=user_id)
    await connection.execute(
        text("DELETE FROM gateway.account_link WHERE user_id = :user_id AND used_at IS NULL"), {"user_id": user_id}
    )
    return await read_staff_user(connection, user_id=user_id)


async def reactivate(connection: AsyncConnection, *, user_id: int) -> StaffUserRow:
    """The user may sign in again (with their password; none of their older tokens comes back)."""
    await read_staff_user(connection, user_id=user_id)
    await connection.execute(
        text("UPDATE gateway.staff_user SET active = true, updated_at = now() WHERE id = :user_id AND NOT active"),
        {"user_id": user_id},
    )
    return await read_staff_user(connection, user_id=user_id)


async def _keep_an_admin(connection: AsyncConnection, *, leaving: int) -> None:
    others = await connection.scalar(
        text(
            "SELECT count(*) FROM gateway.staff_user"
            " WHERE active AND 'admin' = ANY(roles) AND password_hash <> :no_password AND id <> :leaving"
        ),
        {"leaving": leaving, "no_password": NO_PASSWORD},
    )
    if not others:
        raise Conflict("this is the last active admin; make another user an admin first")


async def _issue_link(
    connection: AsyncConnection, *, user_id: int, purpose: LinkPurpose, created_by: int | None, ttl: timedelta
) -> IssuedLink:
    token = secrets.token_urlsafe(32)
    expires_at = (
        await connection.execute(
            text(
                "INSERT INTO gateway.account_link (token_hash, user_id, purpose, created_by, expires_at)"
                " VALUES (:hash, :user_id, :purpose, :created_by, now() + :ttl) RETURNING expires_at"
            ),
            {
                "hash": link_token_hash(token),
                "user_id": user_id,
                "purpose": purpose.value,
                "created_by": created_by,
                "ttl": ttl,
            },
        )
    ).scalar_one()
    return IssuedLink(token, expires_at)


async def _redeem(connection: AsyncConnection, *, token: str, purpose: LinkPurpose) -> Any:
    """The link's user (id, email), locked; unknown, used, expired or for another purpose: a 422 on the token."""
    link = (
        await connection.execute(
            text(
                "SELECT l.user_id, u.email FROM gateway.account_link l"
                " JOIN gateway.staff_user u ON u.id = l.user_id"
                " WHERE l.token_hash = :hash AND l.purpose = :purpose AND l.used_at IS NULL AND l.expires_at > now()"
                " FOR UPDATE OF l"
            ),
            {"hash": link_token_hash(token), "purpose": purpose.value},
        )
    ).one_or_none()
    if link is None:
        raise InvalidInput.field(
            "body.token", "the link is unknown, used or expired; ask an admin for a new one", "link"
        )
    return link


async def _use_links(connection: AsyncConnection, *, user_id: int, purpose: LinkPurpose) -> None:
    """Use up every open link of this purpose for the user: the one redeemed, and any older ones."""
    await connection.execute(
        text(
            "UPDATE gateway.account_link SET used_at = now()"
            " WHERE user_id = :user_id AND purpose = :purpose AND used_at IS NULL"
        ),
        {"user_id": user_id, "purpose": purpose.value},
    )
