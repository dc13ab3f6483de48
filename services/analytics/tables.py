"""Every table of the analytics schema, imported in one place for Alembic and the tests."""

from services.analytics.base import Table

metadata = Table.metadata
