"""Last month's levels for a target run: computed through the levels service when none are stored yet."""

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.clock import utcnow
from services.loyalty.levels import service as levels
from services.loyalty.levels.rules import month_end
from services.loyalty.targets.service import LevelsOf


def levels_computer(timezone: str) -> LevelsOf:
    """Computes a month's levels in the caller's transaction once the month is over (business time zone);
    the new level run's id, or None while the month is still going on (its levels would change)."""
    zone = ZoneInfo(timezone)

    async def compute(session: AsyncSession, month: date) -> int | None:
        now = utcnow()
        if month_end(month, zone) > now:
            return None
        return (await levels.compute_levels(session, month=month, zone=zone, at=now)).id

    return compute
