"""Every table of the analytics schema, imported in one place for Alembic and the tests."""

from services.analytics.base import Table
from services.analytics.feed import models as feed
from services.analytics.inbox import inbox

metadata = Table.metadata

__all__ = ["feed", "inbox", "metadata"]
