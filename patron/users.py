"""Staff accounts from the command line: the first admin, a forgotten password, and `patron up`'s admin.

Each runs once against the configured database with the gateway's own account functions; nothing
here is reachable over HTTP, so no unauthenticated request can ever create an admin.
"""

import asyncio
import secrets

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.auth.models import StaffRole
from gateway.auth.service import AuthPolicy, create_staff_user, set_password
from gateway.settings import GatewaySettings
from services.kit.db import async_url

FIRST_ADMIN_EMAIL = "admin@localhost"


def create_admin(settings: GatewaySettings, email: str, password: str) -> int:
    """A new admin; ``EmailTaken`` or ``PasswordRejected`` when it cannot be."""

    async def create() -> int:
        engine = create_async_engine(async_url(settings.database_url), poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                return await create_staff_user(
                    connection, policy=AuthPolicy.of(settings), email=email, password=password, roles=[StaffRole.ADMIN]
                )
        finally:
            await engine.dispose()

    return asyncio.run(create())


def reset_password(settings: GatewaySettings, email: str, password: str) -> int:
    """A new password for ``email``, ending its sign-ins; ``UnknownUser`` or ``PasswordRejected`` otherwise."""

    async def reset() -> int:
        engine = create_async_engine(async_url(settings.database_url), poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                return await set_password(connection, policy=AuthPolicy.of(settings), email=email, password=password)
        finally:
            await engine.dispose()

    return asyncio.run(reset())


def first_admin(settings: GatewaySettings) -> str | None:
    """On a database with no staff user yet, create ``admin@localhost`` and return its random password."""

    async def create() -> str | None:
        engine = create_async_engine(async_url(settings.database_url), poolclass=NullPool)
        try:
            async with engine.begin() as connection:
                # One `patron up` at a time runs this, but a lock costs nothing and makes it certain.
                await connection.execute(text("LOCK TABLE gateway.staff_user IN EXCLUSIVE MODE"))
                if await connection.scalar(text("SELECT EXISTS (SELECT FROM gateway.staff_user)")):
                    return None
                password = secrets.token_urlsafe(18)
                await create_staff_user(
                    connection,
                    policy=AuthPolicy.of(settings),
                    email=FIRST_ADMIN_EMAIL,
                    password=password,
                    roles=[StaffRole.ADMIN],
                    display_name="Administrator",
                )
                return password
        finally:
            await engine.dispose()

    return asyncio.run(create())
