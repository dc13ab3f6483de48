"""Alembic environment of the analytics service: its own schema, its own version table."""

from services.analytics.tables import metadata
from services.kit.migrations import run_migrations

run_migrations(metadata)
