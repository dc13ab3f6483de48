"""Alembic per service: each service migrates its own schema and keeps its own version table.

A service's ``migrations/env.py`` calls ``run_migrations(metadata)``; ``upgrade`` applies one
service's migrations programmatically (``patron migrate`` applies every service's).
"""

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from services.kit.db import async_url

VERSION_TABLE = "alembic_version"


def alembic_config(package: str, database_url: str) -> Config:
    """The Alembic configuration of ``package`` (e.g. ``services.customer``), without an ini file."""
    config = Config()
    config.set_main_option("script_location", f"{package}:migrations")
    config.attributes["database_url"] = database_url
    return config


def upgrade(package: str, database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(package, database_url), revision)


def _run(connection: Connection, metadata: MetaData) -> None:
    schema = metadata.schema
    assert schema, "a service's metadata names its schema"
    connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))

    def in_own_schema(name: str | None, type_: str, parent_names: object) -> bool:
        return type_ != "schema" or name == schema

    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=VERSION_TABLE,
        version_table_schema=schema,
        include_schemas=True,
        include_name=in_own_schema,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_async(database_url: str, metadata: MetaData) -> None:
    engine = create_async_engine(async_url(database_url), poolclass=NullPool)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_run, metadata)
    finally:
        await engine.dispose()


def run_migrations(metadata: MetaData) -> None:
    """Body of a service's ``env.py`` (online mode only: Patron always migrates a live database)."""
    database_url = context.config.attributes["database_url"]
    asyncio.run(_run_async(database_url, metadata))
