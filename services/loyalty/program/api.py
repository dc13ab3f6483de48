"""HTTP routes for the loyalty program: read by anyone signed in, changed by an admin or a manager."""

from fastapi import APIRouter

from services.kit.db import SessionDep
from services.kit.principal import CurrentPrincipal
from services.loyalty.program import service
from services.loyalty.program.rules import ProgramSettings
from services.loyalty.program.schemas import ProgramPublic, ProgramVersionsPublic

router = APIRouter(prefix="/loyalty/program", tags=["program"])


@router.get("", response_model=ProgramPublic)
async def read_program(session: SessionDep) -> ProgramPublic:
    """The program in force: reward thresholds and percents, token expiry, points, level thresholds."""
    return await service.current_program(session)


@router.put("", response_model=ProgramPublic)
async def change_program(session: SessionDep, principal: CurrentPrincipal, body: ProgramSettings) -> ProgramPublic:
    """Replace the program's settings with a new version, applied to purchases recorded from now on.

    Sending the settings in force again changes nothing and returns the current version.
    """
    return await service.change_program(session, settings=body, changed_by=principal.subject)


@router.get("/versions", response_model=ProgramVersionsPublic)
async def list_program_versions(session: SessionDep) -> ProgramVersionsPublic:
    """Every version of the program, newest first; each reward names the version it was made under."""
    return ProgramVersionsPublic(items=await service.list_versions(session))
