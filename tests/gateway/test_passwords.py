"""Staff password rules (pure functions) and argon2id hashing."""

import pytest
from argon2 import PasswordHasher, Type

from gateway.auth.passwords import (
    MAX_LENGTH,
    PasswordRejected,
    check_new_password,
    common_passwords,
    is_common,
    password_hasher,
    password_problem,
    verify_password,
)
from gateway.settings import GatewaySettings

INTERNAL = "Vb3nQ8xK1mZr5TcW0yLh7PdG2sJf9Ea4Nu6Io-Rk_"
TOKEN = "Hq2Zt7Wm0Lc5Xs9Rv4Kd1Bj8Fn3Gy6Pa-Ue_Oi"
COMMON = frozenset({"password", "qwertyuiop", "iloveyou"})


def test_a_long_uncommon_password_passes():
    assert password_problem("violet-otter-harbour", min_length=12, common=COMMON) is None


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-one", "at least 12"),
        ("x" * (MAX_LENGTH + 1), "at most 1024"),
        ("qwertyuiop", "at least 12"),
        ("QwertyUiop12", "too common"),
        ("password2026!", "too common"),
        ("ILoveYou!!!!1234", "too common"),
        ("aaaaaaaaaaaaaa", "too common"),
        ("abababababababab", "too common"),
    ],
)
def test_a_password_breaking_a_rule_is_refused_with_the_rule(password, reason):
    problem = password_problem(password, min_length=12, common=COMMON)
    assert problem is not None and reason in problem
    assert password not in problem


def test_a_password_may_not_contain_the_email():
    problem = password_problem("grace.hopper-1906", min_length=12, email="grace.hopper@example.org", common=COMMON)
    assert problem is not None and "email" in problem
    assert password_problem("grace.hopper-1906", min_length=12, email="ada@example.org", common=COMMON) is None


def test_the_minimum_length_is_the_callers():
    assert password_problem("violet-otter", min_length=16, common=COMMON) is not None
    assert password_problem("violet-otter", min_length=12, common=COMMON) is None


def test_the_shipped_list_is_read_and_refuses_its_entries():
    listed = common_passwords()
    assert len(listed) >= 400
    assert {"password", "123456789012", "qwertyuiop", "iloveyou"} <= listed
    assert is_common("Password12345!", listed)
    with pytest.raises(PasswordRejected, match="too common"):
        check_new_password("qwertyuiop123", min_length=12)
    check_new_password("violet-otter-harbour", min_length=12)


def test_hashes_are_argon2id_with_the_configured_costs_and_verify():
    hasher = password_hasher(time_cost=2, memory_cost_kib=1024, parallelism=1)
    stored = hasher.hash("violet-otter-harbour")
    assert stored.startswith("$argon2id$v=19$m=1024,t=2,p=1$")
    assert verify_password(hasher, stored, "violet-otter-harbour")
    assert not verify_password(hasher, stored, "violet-otter-harbouR")
    assert not verify_password(hasher, "not a hash", "violet-otter-harbour")
    assert not verify_password(hasher, stored, "x" * (MAX_LENGTH + 1))  # refused before argon2 runs


def test_a_hash_made_with_other_costs_needs_a_rehash():
    old = password_hasher(time_cost=1, memory_cost_kib=1024, parallelism=1).hash("violet-otter-harbour")
    current = password_hasher(time_cost=2, memory_cost_kib=1024, parallelism=1)
    assert current.check_needs_rehash(old)
    assert not current.check_needs_rehash(current.hash("violet-otter-harbour"))
    assert verify_password(current, old, "violet-otter-harbour")  # the old hash still signs in


def test_the_default_costs_come_from_settings():
    settings = GatewaySettings()
    hasher = password_hasher(
        time_cost=settings.password_time_cost,
        memory_cost_kib=settings.password_memory_cost_kib,
        parallelism=settings.password_parallelism,
    )
    assert hasher.type is Type.ID
    assert (hasher.time_cost, hasher.memory_cost, hasher.parallelism) == (3, 65536, 4)
    assert isinstance(hasher, PasswordHasher)


def test_production_needs_its_own_token_secret():
    production = {
        "environment": "production",
        "internal_secret": INTERNAL,
        "database_url": "postgresql://db/patron",
    }
    with pytest.raises(ValueError, match="TOKEN_SECRET"):
        GatewaySettings(**production)
    with pytest.raises(ValueError, match="differ"):
        GatewaySettings(**production, token_secret=INTERNAL)
    with pytest.raises(ValueError, match="PAYLOAD_KEK"):
        GatewaySettings(**production, token_secret=TOKEN)
    kek = "Qm9vX3JhbmRvbS1rZWstZm9yLXRlc3RzLW9ubHktMzI"  # 32 bytes in base64url
    with pytest.raises(ValueError, match="random PATRON_GATEWAY_TOKEN_SECRET"):
        GatewaySettings(**production, token_secret="x" * 40, payload_kek=kek)
    settings = GatewaySettings(**production, token_secret=TOKEN, payload_kek=kek)
    assert settings.token_secret.get_secret_value() == TOKEN and len(settings.payload_kek_bytes()) == 32
