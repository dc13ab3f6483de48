"""`patron users create-admin` and `reset-password` as real processes, and the first admin of `patron up`."""

import asyncio
import os
import subprocess
import sys

from argon2 import PasswordHasher

from gateway.settings import GatewaySettings
from patron.users import FIRST_ADMIN_EMAIL, first_admin

FAST_HASHES = {
    "PATRON_GATEWAY_PASSWORD_TIME_COST": "1",
    "PATRON_GATEWAY_PASSWORD_MEMORY_COST_KIB": "1024",
    "PATRON_GATEWAY_PASSWORD_PARALLELISM": "1",
}


async def patron(database_url: str, *arguments: str, stdin: str) -> subprocess.CompletedProcess[str]:
    environment = (
        {key: value for key, value in os.environ.items() if not key.startswith("PATRON_")}
        | FAST_HASHES
        | {"PATRON_DATABASE_URL": database_url, "PATRON_ENVIRONMENT": "test"}
    )
    return await asyncio.to_thread(
        subprocess.run,
        [sys.executable, "-m", "patron.cli", *arguments],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


async def test_create_admin_reads_the_password_from_stdin_and_refuses_weak_ones_and_twins(database_url, db):
    created = await patron(database_url, "users", "create-admin", "Grace@Example.org", stdin="violet-otter-harbour\n")
    assert created.returncode == 0, created.stderr
    assert "admin Grace@Example.org created" in created.stdout
    row = await db.fetchrow("SELECT email, roles, active, password_hash FROM gateway.staff_user")
    assert (row["email"], row["roles"], row["active"]) == ("Grace@Example.org", ["admin"], True)
    assert PasswordHasher().verify(row["password_hash"], "violet-otter-harbour")
    assert "violet-otter-harbour" not in created.stdout + created.stderr

    twin = await patron(database_url, "users", "create-admin", "grace@example.org", stdin="another-long-password\n")
    assert twin.returncode == 1 and "exists already" in twin.stderr
    weak = await patron(database_url, "users", "create-admin", "bob@example.org", stdin="password1234\n")
    assert weak.returncode == 1 and "too common" in weak.stderr
    short = await patron(database_url, "users", "create-admin", "bob@example.org", stdin="short\n")
    assert short.returncode == 1 and "at least 12" in short.stderr
    assert await db.fetchval("SELECT count(*) FROM gateway.staff_user") == 1


async def test_reset_password_changes_the_hash_and_ends_the_users_sign_ins(database_url, db):
    assert (
        await patron(database_url, "users", "create-admin", "ada@example.org", stdin="violet-otter-harbour\n")
    ).returncode == 0
    user_id = await db.fetchval("SELECT id FROM gateway.staff_user")
    await db.execute(
        "INSERT INTO gateway.refresh_family (id, user_id, expires_at)"
        " VALUES (gen_random_uuid(), $1, now() + interval '1 day')",
        user_id,
    )
    reset = await patron(database_url, "users", "reset-password", "ADA@example.org", stdin="amber-heron-lighthouse\n")
    assert reset.returncode == 0, reset.stderr
    row = await db.fetchrow("SELECT password_hash, tokens_valid_after FROM gateway.staff_user")
    assert PasswordHasher().verify(row["password_hash"], "amber-heron-lighthouse")
    assert row["tokens_valid_after"] is not None
    assert await db.fetchval("SELECT count(*) FROM gateway.refresh_family WHERE revoked_at IS NULL") == 0
    unknown = await patron(
        database_url, "users", "reset-password", "nobody@example.org", stdin="amber-heron-lighthouse\n"
    )
    assert unknown.returncode == 1 and "no staff user" in unknown.stderr


async def test_the_first_admin_is_created_once_with_a_random_password(database_url, db):
    settings = GatewaySettings(
        database_url=database_url, password_time_cost=1, password_memory_cost_kib=1024, password_parallelism=1
    )
    password = await asyncio.to_thread(first_admin, settings)
    assert password is not None and len(password) >= 20
    row = await db.fetchrow("SELECT email, roles, password_hash FROM gateway.staff_user")
    assert (row["email"], row["roles"]) == (FIRST_ADMIN_EMAIL, ["admin"])
    assert PasswordHasher().verify(row["password_hash"], password)
    assert await asyncio.to_thread(first_admin, settings) is None  # never twice, never a second password
    assert await db.fetchval("SELECT count(*) FROM gateway.staff_user") == 1


async def test_migrate_applies_the_gateway_schema(database_url, db):
    await db.execute("DROP SCHEMA gateway CASCADE")
    migrated = await patron(database_url, "migrate", "--service", "gateway", stdin="")
    assert migrated.returncode == 0, migrated.stderr
    assert "gateway: migrated" in migrated.stdout
    assert await db.fetchval("SELECT version_num FROM gateway.alembic_version") == gateway_head()


def gateway_head() -> str:
    """The newest revision of the gateway's migrations."""
    from alembic.script import ScriptDirectory

    from services.kit.migrations import alembic_config

    head = ScriptDirectory.from_config(alembic_config("gateway", "postgresql://unused/x")).get_current_head()
    assert head is not None
    return head
