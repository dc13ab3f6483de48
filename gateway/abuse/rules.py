"""The rules of sign-in throttling, as pure functions: the back-off, and who the client is.

Every sign-in attempt counts against two subjects, its account (the email or username tried, known
or not, so the reply never tells whether an account exists) and its client address. A subject's
first ``free_attempts`` attempts within the window go through; each later one waits twice as long
as the one before, up to ``max_seconds``. A successful sign-in clears its account and takes its own
attempt back from its address, so a shop behind one address is not held back by its own staff.
"""

import ipaddress
from collections.abc import Sequence
from dataclasses import dataclass

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class BackOff:
    free_attempts: int
    base_seconds: float
    max_seconds: float

    def wait_after(self, attempts: int) -> float:
        """Seconds the subject waits after its ``attempts``-th attempt within the window."""
        if attempts < self.free_attempts:
            return 0.0
        exponent = min(attempts - self.free_attempts, 62)  # 2**62 seconds is past any cap
        return float(min(self.max_seconds, self.base_seconds * 2**exponent))


def account_subject(kind: str, name: str) -> str:
    """The throttle subject of an account name (case does not make a new account)."""
    return f"{kind}:{name.strip().lower()}"


def address_subject(address: str) -> str:
    return f"address:{address}"


def parse_networks(values: Sequence[str]) -> tuple[Network, ...]:
    """Trusted proxies as addresses or networks (``10.0.0.0/8``, ``::1``); ``ValueError`` names a bad one."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, trusted: Sequence[Network]) -> bool:
    return any(address.version == network.version and address in network for network in trusted)


def client_address(peer: str | None, forwarded_for: str | None, trusted: Sequence[Network]) -> str:
    """The address a request comes from.

    ``X-Forwarded-For`` counts only when the connection itself comes from a trusted proxy: then the
    client is the right-most address in it that is not a trusted proxy (the addresses left of it
    were written by the client and prove nothing). Without a peer address: ``unknown``.
    """
    peer_address = _address(peer) if peer else None
    if peer_address is None:
        return "unknown"
    if not forwarded_for or not _trusted(peer_address, trusted):
        return str(peer_address)
    client = peer_address
    for hop in reversed(forwarded_for.split(",")):
        address = _address(hop)
        if address is None:  # a malformed hop: trust nothing further left
            break
        client = address
        if not _trusted(address, trusted):
            break
    return str(client)
