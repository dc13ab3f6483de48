"""Staff accounts, tokens and the revocation store, against the gateway's schema in PostgreSQL."""

import time
import uuid

import jwt
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from gateway.auth import service
from gateway.auth.models import StaffRole
from gateway.auth.passwords import PasswordRejected
from gateway.auth.revocation import RevocationCache, RevocationsUnknown, read_revocations
from gateway.auth.service import AuthPolicy, EmailTaken, SignInRefused, UnknownUser
from gateway.auth.tokens import AUDIENCE, InvalidAccessToken, issue_access_token, read_access_token
from gateway.settings import GatewaySettings
from services.kit.db import async_url
from services.kit.migrations import alembic_config

PASSWORD = "violet-otter-harbour"
FAST_HASHES = {"password_time_cost": 1, "password_memory_cost_kib": 1024, "password_parallelism": 1}


def gateway_settings(database_url: str, **overrides: object) -> GatewaySettings:
    return GatewaySettings(database_url=database_url, environment="test", **(FAST_HASHES | overrides))


@pytest.fixture
async def engine(database_url):
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    yield engine
    await engine.dispose()


@pytest.fixture
def policy(database_url) -> AuthPolicy:
    return AuthPolicy.of(gateway_settings(database_url))


async def _admin(engine, policy, email="ada@example.org") -> int:
    async with engine.begin() as connection:
        return await service.create_staff_user(
            connection, policy=policy, email=email, password=PASSWORD, roles=[StaffRole.ADMIN]
        )


async def test_the_gateway_schema_is_migrated(db):
    head = ScriptDirectory.from_config(alembic_config("gateway", "postgresql://unused")).get_current_head()
    assert head is not None and head >= "0002"
    assert await db.fetchval("SELECT version_num FROM gateway.alembic_version") == head
    tables = {
        row["table_name"]
        for row in await db.fetch("SELECT table_name FROM information_schema.tables WHERE table_schema = 'gateway'")
    }
    assert {"staff_user", "refresh_family", "refresh_token", "account_link", "alembic_version"} <= tables


async def test_a_staff_user_is_stored_with_an_argon2id_hash_and_a_unique_email(engine, policy, db):
    user_id = await _admin(engine, policy)
    row = await db.fetchrow("SELECT * FROM gateway.staff_user WHERE id = $1", user_id)
    assert row["email"] == "ada@example.org" and row["display_name"] == "ada" and row["roles"] == ["admin"]
    assert row["active"] and row["password_hash"].startswith("$argon2id$")
    assert PASSWORD not in row["password_hash"]
    assert row["created_at"].utcoffset().total_seconds() == 0
    with pytest.raises(EmailTaken):
        await _admin(engine, policy, email="ADA@Example.org")
    with pytest.raises(PasswordRejected):
        async with engine.begin() as connection:
            await service.create_staff_user(
                connection, policy=policy, email="bob@example.org", password="password1234", roles=[StaffRole.CLERK]
            )
    assert await db.fetchval("SELECT count(*) FROM gateway.staff_user") == 1


async def test_unknown_roles_are_refused_by_the_table(db):
    with pytest.raises(Exception, match="roles_known"):
        await db.execute(
            "INSERT INTO gateway.staff_user (email, display_name, roles, password_hash) VALUES ($1, $2, $3, $4)",
            "eve@example.org",
            "eve",
            ["superuser"],
            "x",
        )


async def test_sign_in_gives_an_access_token_and_a_refresh_token_stored_hashed(engine, policy, db):
    user_id = await _admin(engine, policy)
    async with engine.begin() as connection:
        signed_in = await service.sign_in(connection, policy=policy, email="Ada@Example.org", password=PASSWORD)
    claims = read_access_token(signed_in.access_token, secret=policy.token_secret, issuer=policy.token_issuer)
    assert claims.user_id == user_id and claims.roles == ("admin",)
    assert claims.expires_at - claims.issued_at == pytest.approx(900, abs=1)
    payload = jwt.decode(signed_in.access_token, policy.token_secret, algorithms=["HS256"], audience=AUDIENCE)
    assert {"iss", "aud", "exp", "iat", "jti", "sub", "sid"} <= set(payload)
    stored = await db.fetch("SELECT token_hash FROM gateway.refresh_token")
    assert len(stored) == 1 and signed_in.refresh_token.encode() not in stored[0]["token_hash"]
    for email, password in [("ada@example.org", "wrong-password-123"), ("nobody@example.org", PASSWORD)]:
        with pytest.raises(SignInRefused):
            async with engine.begin() as connection:
                await service.sign_in(connection, policy=policy, email=email, password=password)


async def test_sign_in_rehashes_a_password_hashed_with_other_costs(engine, database_url, db):
    old = AuthPolicy.of(gateway_settings(database_url))
    await _admin(engine, old)
    before = await db.fetchval("SELECT password_hash FROM gateway.staff_user")
    stronger = AuthPolicy.of(gateway_settings(database_url, password_time_cost=2))
    async with engine.begin() as connection:
        await service.sign_in(connection, policy=stronger, email="ada@example.org", password=PASSWORD)
    after = await db.fetchval("SELECT password_hash FROM gateway.staff_user")
    assert before != after and "t=2" in after and "t=1" in before
    async with engine.begin() as connection:  # the new hash signs in, and needs no further rehash
        await service.sign_in(connection, policy=stronger, email="ada@example.org", password=PASSWORD)
    assert await db.fetchval("SELECT password_hash FROM gateway.staff_user") == after


async def test_refresh_rotates_and_a_reused_refresh_token_revokes_its_family(engine, policy, db):
    await _admin(engine, policy)
    async with engine.begin() as connection:
        first = await service.sign_in(connection, policy=policy, email="ada@example.org", password=PASSWORD)
    async with engine.begin() as connection:
        second = await service.refresh(connection, policy=policy, refresh_token=first.refresh_token)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(SignInRefused, match="reused"):
        async with engine.begin() as connection:
            try:
                await service.refresh(connection, policy=policy, refresh_token=first.refresh_token)
            finally:
                await connection.commit()
    assert await db.fetchval("SELECT count(*) FROM gateway.refresh_family WHERE revoked_at IS NOT NULL") == 1
    with pytest.raises(SignInRefused):  # the family's newest token is revoked with it
        async with engine.begin() as connection:
            await service.refresh(connection, policy=policy, refresh_token=second.refresh_token)


async def test_tokens_are_refused_when_forged_expired_or_for_another_audience(policy):
    family = uuid.uuid4()
    good, _ = issue_access_token(
        user_id=1, roles=["clerk"], family_id=family, secret=policy.token_secret, issuer="patron", ttl_seconds=900
    )
    assert read_access_token(good, secret=policy.token_secret, issuer="patron").roles == ("clerk",)
    expired, _ = issue_access_token(
        user_id=1,
        roles=[],
        family_id=family,
        secret=policy.token_secret,
        issuer="patron",
        ttl_seconds=60,
        now=time.time() - 3600,
    )
    unsigned = jwt.encode(jwt.decode(good, options={"verify_signature": False}), key=None, algorithm="none")
    other_key, _ = issue_access_token(
        user_id=1, roles=[], family_id=family, secret="x" * 40, issuer="patron", ttl_seconds=900
    )
    other_audience = jwt.encode(
        jwt.decode(good, options={"verify_signature": False}) | {"aud": "elsewhere"}, policy.token_secret, "HS256"
    )
    for token in (expired, unsigned, other_key, other_audience, "not.a.token", ""):
        with pytest.raises(InvalidAccessToken):
            read_access_token(token, secret=policy.token_secret, issuer="patron")
    with pytest.raises(InvalidAccessToken):
        read_access_token(good, secret=policy.token_secret, issuer="someone-else")


async def test_the_revocation_store_ends_signed_out_reset_and_deactivated_users_tokens(engine, policy):
    ada = await _admin(engine, policy)
    bob = await _admin(engine, policy, email="bob@example.org")
    sessions = {}
    for name, email in (("ada", "ada@example.org"), ("bob", "bob@example.org"), ("ada2", "ada@example.org")):
        async with engine.begin() as connection:
            signed_in = await service.sign_in(connection, policy=policy, email=email, password=PASSWORD)
        sessions[name] = read_access_token(signed_in.access_token, secret=policy.token_secret, issuer="patron")
    cache = RevocationCache(refresh_seconds=1, lookback_seconds=960, stale_after_seconds=10)
    with pytest.raises(RevocationsUnknown):  # never read: refuse rather than trust nothing
        cache.refuses(sessions["ada"])
    await cache.refresh(engine)
    assert not any(cache.refuses(claims) for claims in sessions.values())

    async with engine.begin() as connection:
        await service.sign_out(connection, family_id=sessions["ada"].family_id)
    await cache.refresh(engine)
    assert cache.refuses(sessions["ada"]) and not cache.refuses(sessions["ada2"])

    async with engine.begin() as connection:
        await service.set_password(connection, policy=policy, email="ADA@example.org", password="new-violet-otter")
    await cache.refresh(engine)
    assert cache.refuses(sessions["ada2"])
    async with engine.begin() as connection:  # a token issued after the reset is fine
        fresh = await service.sign_in(connection, policy=policy, email="ada@example.org", password="new-violet-otter")
    await cache.refresh(engine)
    assert not cache.refuses(read_access_token(fresh.access_token, secret=policy.token_secret, issuer="patron"))

    assert not cache.refuses(sessions["bob"])
    async with engine.begin() as connection:
        await service.deactivate(connection, user_id=bob)
    await cache.refresh(engine)
    assert cache.refuses(sessions["bob"])
    with pytest.raises(SignInRefused):
        async with engine.begin() as connection:
            await service.sign_in(connection, policy=policy, email="bob@example.org", password=PASSWORD)
    async with engine.connect() as connection:
        revocations = await read_revocations(connection, lookback_seconds=960)
    assert revocations.inactive_users == {bob} and ada in revocations.valid_after
    with pytest.raises(UnknownUser):
        async with engine.begin() as connection:
            await service.set_password(connection, policy=policy, email="nobody@example.org", password=PASSWORD)
