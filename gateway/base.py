"""The table base of the gateway's own schema, ``gateway``."""

from datetime import datetime

from sqlalchemy import Column, DateTime, text
from sqlmodel import Field, SQLModel

from services.kit.db import schema_registry

SCHEMA = "gateway"


class Table(SQLModel, registry=schema_registry(SCHEMA)):
    """Base of every table of the ``gateway`` schema."""


def timestamp_field(*, nullable: bool = False) -> datetime:
    """A UTC timestamp column, ``now()`` by default unless it may be empty."""
    server_default = None if nullable else text("now()")
    column = Column(DateTime(timezone=True), nullable=nullable, server_default=server_default)
    return Field(default=None, sa_column=column)  # type: ignore[no-any-return]
