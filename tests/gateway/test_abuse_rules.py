"""The pure rules of sign-in throttling: the back-off and the client address behind proxies."""

import pytest

from gateway.abuse.rules import BackOff, account_subject, client_address, parse_networks


def test_the_first_attempts_are_free_then_each_waits_twice_as_long_up_to_the_cap():
    back_off = BackOff(free_attempts=3, base_seconds=1.0, max_seconds=10.0)
    assert [back_off.wait_after(n) for n in range(1, 9)] == [0, 0, 1, 2, 4, 8, 10, 10]
    assert back_off.wait_after(10**6) == 10.0  # no overflow however long the attack


def test_an_account_is_one_subject_whatever_its_case_and_spaces():
    assert account_subject("staff", " Ada@Example.org ") == account_subject("staff", "ada@example.org")
    assert account_subject("staff", "ada") != account_subject("customer", "ada")


TRUSTED = parse_networks(["10.0.0.0/8", "::1"])


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.9", None, "203.0.113.9"),
        ("203.0.113.9", "198.51.100.7", "203.0.113.9"),  # not a trusted proxy: its header proves nothing
        ("10.0.0.2", "198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.5", "198.51.100.7"),  # the right-most untrusted hop
        ("10.0.0.2", "10.0.0.7, 10.0.0.5", "10.0.0.7"),  # every hop trusted: the farthest
        ("10.0.0.2", "garbage, 198.51.100.7", "198.51.100.7"),
        ("10.0.0.2", "198.51.100.7, garbage", "10.0.0.2"),  # a malformed hop next to us: trust nothing past it
        ("::1", "2001:db8::5", "2001:db8::5"),
        (None, "198.51.100.7", "unknown"),
    ],
)
def test_the_client_address_comes_from_forwarding_headers_only_behind_a_trusted_proxy(peer, forwarded, client):
    assert client_address(peer, forwarded, TRUSTED) == client


def test_a_bad_trusted_proxy_setting_is_refused():
    with pytest.raises(ValueError, match="not-a-network"):
        parse_networks(["10.0.0.0/8", "not-a-network"])
