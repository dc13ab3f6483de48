"""Every table of the loyalty schema, imported in one place for Alembic and the tests."""

from services.loyalty.base import Table
from services.loyalty.inbox import inbox
from services.loyalty.ledger import models as ledger

metadata = Table.metadata

__all__ = ["inbox", "ledger", "metadata"]
