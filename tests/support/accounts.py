"""Staff accounts for tests: create a user in a test database, sign in at a gateway, bearer headers."""

import asyncio

import httpx2
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.auth.models import StaffRole
from gateway.auth.service import AuthPolicy, create_staff_user
from gateway.settings import GatewaySettings
from services.kit.db import async_url

STAFF_PASSWORD = "correct horse battery staple 42"

# Cheap argon2 costs for the gateways tests start: the hashing is tested, not its cost.
FAST_HASHING_ENV = {
    "PATRON_GATEWAY_PASSWORD_TIME_COST": "1",
    "PATRON_GATEWAY_PASSWORD_MEMORY_COST_KIB": "1024",
    "PATRON_GATEWAY_PASSWORD_PARALLELISM": "1",
}


def _policy(database_url: str) -> AuthPolicy:
    return AuthPolicy.of(
        GatewaySettings(
            database_url=database_url,
            environment="test",
            password_time_cost=1,
            password_memory_cost_kib=1024,
            password_parallelism=1,
        )
    )


async def add_staff_async(
    database_url: str, email: str, roles: list[StaffRole] | list[str], password: str = STAFF_PASSWORD
) -> int:
    """A new active staff user with ``roles`` in the test database; its id."""
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            return await create_staff_user(
                connection,
                policy=_policy(database_url),
                email=email,
                password=password,
                roles=[StaffRole(role) for role in roles],
            )
    finally:
        await engine.dispose()


def add_staff(database_url: str, email: str, roles: list[StaffRole] | list[str], password: str = STAFF_PASSWORD) -> int:
    return asyncio.run(add_staff_async(database_url, email, roles, password))


def sign_in(gateway_url: str, email: str, password: str = STAFF_PASSWORD) -> str:
    """An access token from the gateway's sign-in, as any client gets one."""
    response = httpx2.post(
        f"{gateway_url}/api/v1/auth/sign-in", json={"email": email, "password": password}, timeout=30
    )
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def staff_headers(
    database_url: str, gateway_url: str, email: str, roles: list[StaffRole] | list[str]
) -> dict[str, str]:
    """Create a staff user and sign it in: the headers its requests carry."""
    add_staff(database_url, email, roles)
    return bearer(sign_in(gateway_url, email))
