"""Partner keys as values: their form, their scopes, their check."""

from gateway.keys.rules import known_scopes, new_key, secret_matches, split_key, unknown_scopes
from services.contracts.permissions import PERMISSIONS


def test_a_new_key_is_found_by_its_prefix_and_matches_only_its_own_secret():
    key, other = new_key(), new_key()
    assert key.prefix != other.prefix and key.plaintext.startswith(f"pk_{key.prefix}_")
    prefix, secret = split_key(key.plaintext)
    assert prefix == key.prefix and secret_matches(key.secret_hash, secret)
    assert not secret_matches(key.secret_hash, split_key(other.plaintext)[1])
    assert key.secret_hash != secret.encode() and len(key.secret_hash) == 32  # a hash, not the secret


def test_malformed_keys_are_no_keys():
    for presented in ("", "pk_", "pk_short_secret", "xx_0123abcd_secret", "pk_0123abcd_", "pk_0123abcd_" + "s" * 201):
        assert split_key(presented) is None, presented


def test_the_scopes_are_the_matrix_families_read_or_write():
    families_in_matrix = {row.scope.split(":")[0] for row in PERMISSIONS.values() if row.scope}
    assert set(known_scopes()) == {f"{f}:{level}" for f in families_in_matrix for level in ("read", "write")}
    assert unknown_scopes(["products:read", "products:admin", "nothing:read"]) == ["products:admin", "nothing:read"]
