"""Every table of the loyalty schema, imported in one place for Alembic and the tests."""

from services.loyalty.base import Table

metadata = Table.metadata
