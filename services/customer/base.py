"""What the customer service's domains share: the table base of its schema and small value types."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import StringConstraints
from sqlalchemy import Column, DateTime, func
from sqlmodel import Field, SQLModel

from services.kit.db import schema_registry

SCHEMA = "customer"


class Table(SQLModel, registry=schema_registry(SCHEMA)):
    """Base of every table of the ``customer`` schema."""


class RecordStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


def created_at_field() -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )


def updated_at_field() -> Any:
    return Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now(), onupdate=func.now()),
    )


# PostgreSQL text cannot hold NUL: refuse it here, where the error can still name the field.
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=r"^[^\x00]*$")]
RequiredText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\x00]*$")
]
Timestamp = datetime
