"""Every table of the analytics schema, imported in one place for Alembic and the tests."""

from services.analytics.base import Table
from services.analytics.clv import models as clv
from services.analytics.feed import models as feed
from services.analytics.idempotency import keys
from services.analytics.inbox import inbox
from services.analytics.jobs import jobs
from services.analytics.rfm import models as rfm

metadata = Table.metadata

__all__ = ["clv", "feed", "inbox", "jobs", "keys", "metadata", "rfm"]
