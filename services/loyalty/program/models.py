"""The loyalty program's versions: every change of its settings is a new row, never an update."""

from sqlalchemy import CheckConstraint, Column, DateTime, Integer, Table, Text, text
from sqlalchemy.dialects.postgresql import JSONB

from services.loyalty.base import Table as Base

program_version = Table(
    "program_version",
    Base.metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    # The settings as ``ProgramSettings`` dumps them (money as strings, so exact).
    Column("settings", JSONB, nullable=False),
    # A version applies to purchases recorded from this time on, until the next version's.
    Column("effective_from", DateTime(timezone=True), nullable=False, server_default=text("now()")),
    Column("changed_by", Text, nullable=False),
    CheckConstraint("version >= 1", name="version_positive"),
)
