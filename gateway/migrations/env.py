"""Alembic environment of the gateway: its own schema, its own version table."""

from gateway.tables import metadata
from services.kit.migrations import run_migrations

run_migrations(metadata)
