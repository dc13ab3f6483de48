"""What every kind of monthly run (levels, budgets, targets) shares: a page of its runs, newest first."""

from datetime import date

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.kit.pagination import PageParams, SortKey, paginate


async def page_of_runs(
    session: AsyncSession, runs: Table, *, month: date | None, page: PageParams
) -> tuple[list[int], str | None]:
    """Ids of a page of ``runs`` (a table with ``id`` and ``month``), newest first, of one month or all."""
    statement = select(runs.c.id)
    if month is not None:
        statement = statement.where(runs.c.month == month)
    return await paginate(session, statement, sort=SortKey("-id", runs.c.id, descending=True), params=page)
