"""Alembic environment of the customer service: its own schema, its own version table."""

from services.customer.tables import metadata
from services.kit.migrations import run_migrations

run_migrations(metadata)
