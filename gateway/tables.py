"""Every table of the gateway schema, imported in one place for Alembic and the tests."""

from gateway.abuse.models import SignInThrottle
from gateway.auth.models import RefreshFamily, RefreshToken, StaffUser
from gateway.base import Table
from gateway.client_keys.models import ClientKey, PayloadNonce
from gateway.customers.models import CustomerAccount, CustomerInvitation, ErasedCustomer
from gateway.keys.models import ApiKey
from gateway.limits.models import RateLimitCounter
from gateway.staff.models import AccountLink

metadata = Table.metadata

__all__ = [
    "AccountLink",
    "ApiKey",
    "ClientKey",
    "CustomerAccount",
    "CustomerInvitation",
    "ErasedCustomer",
    "PayloadNonce",
    "RateLimitCounter",
    "RefreshFamily",
    "RefreshToken",
    "SignInThrottle",
    "StaffUser",
    "metadata",
]
