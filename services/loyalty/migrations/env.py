"""Alembic environment of the loyalty service: its own schema, its own version table."""

from services.kit.migrations import run_migrations
from services.loyalty.tables import metadata

run_migrations(metadata)
