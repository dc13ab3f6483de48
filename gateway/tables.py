"""Every table of the gateway schema, imported in one place for Alembic and the tests."""

from gateway.auth.models import RefreshFamily, RefreshToken, StaffUser
from gateway.base import Table

metadata = Table.metadata

__all__ = ["RefreshFamily", "RefreshToken", "StaffUser", "metadata"]
