"""What crosses the API about the program: its settings in, a version of them out."""

from datetime import datetime

from pydantic import BaseModel

from services.loyalty.program.rules import ProgramSettings


class ProgramPublic(ProgramSettings):
    """A version of the program: its settings, since when it applies and who made it."""

    version: int
    effective_from: datetime
    changed_by: str


class ProgramVersionsPublic(BaseModel):
    items: list[ProgramPublic]
