"""The program: one per deployment, versioned; a change applies to purchases recorded after it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, or_, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from services.loyalty.program.models import program_version
from services.loyalty.program.rules import ProgramSettings
from services.loyalty.program.schemas import ProgramPublic

PV = program_version


@dataclass(frozen=True)
class Program:
    """A version of the program as the reward rules read it."""

    version: int
    settings: ProgramSettings


def _public(row: Any) -> ProgramPublic:
    return ProgramPublic(
        version=row.version, effective_from=row.effective_from, changed_by=row.changed_by, **row.settings
    )


async def current_program(session: AsyncSession) -> ProgramPublic:
    """The version in force now: the latest (version 1, the defaults, comes with the schema)."""
    row = (await session.execute(select(PV).order_by(PV.c.version.desc()).limit(1))).one()
    return _public(row)


async def program_at(session: AsyncSession, at: datetime) -> Program:
    """The version in force when a purchase was recorded at ``at``; version 1 for anything earlier."""
    row = (
        await session.execute(
            select(PV).where(or_(PV.c.effective_from <= at, PV.c.version == 1)).order_by(PV.c.version.desc()).limit(1)
        )
    ).one()
    return Program(row.version, ProgramSettings.model_validate(row.settings))


async def list_versions(session: AsyncSession) -> list[ProgramPublic]:
    """Every version, newest first."""
    return [_public(row) for row in await session.execute(select(PV).order_by(PV.c.version.desc()))]


async def change_program(session: AsyncSession, *, settings: ProgramSettings, changed_by: str) -> ProgramPublic:
    """Make ``settings`` the program's next version, in force from now; the same settings again change nothing."""
    # One writer at a time: the next version number and its time are taken under this lock.
    await session.execute(text("LOCK TABLE loyalty.program_version IN SHARE ROW EXCLUSIVE MODE"))
    current = await current_program(session)
    if ProgramSettings.model_validate(current.model_dump(include=set(ProgramSettings.model_fields))) == settings:
        return current
    row = (
        await session.execute(
            insert(PV)
            .values(
                version=current.version + 1,
                settings=settings.model_dump(mode="json"),
                effective_from=text("clock_timestamp()"),
                changed_by=changed_by,
            )
            .returning(PV)
        )
    ).one()
    return _public(row)
