"""Every table of the gateway schema, imported in one place for Alembic and the tests."""

from gateway.auth.models import RefreshFamily, RefreshToken, StaffUser
from gateway.base import Table
from gateway.staff.models import AccountLink

metadata = Table.metadata

__all__ = ["AccountLink", "RefreshFamily", "RefreshToken", "StaffUser", "metadata"]
