"""The edge of sign-in throttling: a request's throttle subjects, and the throttle its settings make."""

from fastapi import Request

from gateway.abuse.rules import BackOff, account_subject, address_subject, client_address
from gateway.abuse.store import Throttle
from gateway.settings import GatewaySettings


def throttle_of(settings: GatewaySettings) -> Throttle:
    def back_off(free_attempts: int) -> BackOff:
        return BackOff(free_attempts, settings.sign_in_back_off_seconds, settings.sign_in_max_wait_seconds)

    return Throttle(
        account=back_off(settings.sign_in_free_attempts),
        address=back_off(settings.sign_in_address_free_attempts),
        window_seconds=settings.sign_in_window_seconds,
    )


def sign_in_subjects(request: Request, kind: str, name: str) -> tuple[str, str]:
    """(account, address) subjects of a sign-in attempt; the address trusts only configured proxies."""
    peer = request.client.host if request.client else None
    address = client_address(peer, request.headers.get("x-forwarded-for"), request.app.state.trusted_proxies)
    return account_subject(kind, name), address_subject(address)
