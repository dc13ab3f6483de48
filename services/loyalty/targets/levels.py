"""Last month's levels for a target run: computed through the levels service when none are stored yet."""

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession


async def compute_levels(session: AsyncSession, month: date) -> int | None:
    """Compute ``month``'s levels in the caller's transaction; the new level run's id, or None if it cannot."""
    return None
