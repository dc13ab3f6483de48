"""The table base of the loyalty schema."""

from sqlmodel import SQLModel

from services.kit.db import schema_registry

SCHEMA = "loyalty"


class Table(SQLModel, registry=schema_registry(SCHEMA)):
    """Base of every table of the ``loyalty`` schema."""
