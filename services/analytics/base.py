"""The table base of the analytics schema."""

from sqlmodel import SQLModel

from services.kit.db import schema_registry

SCHEMA = "analytics"


class Table(SQLModel, registry=schema_registry(SCHEMA)):
    """Base of every table of the ``analytics`` schema."""
