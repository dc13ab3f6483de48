"""The SQL of budget runs: the month's group sizes, every customer's share in one INSERT … SELECT, the runs' rows.

The groups come from the levels' own groups SQL (``levels.repository.grouped_sql``). Each group's
half is shared set-based: ``row_number()`` by customer id gives the first ``cents % n`` customers
the leftover cent, so a month of a million customers is one statement.
"""

from collections.abc import AsyncIterator, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.loyalty.budgets.models import budget_level, budget_run, budget_share
from services.loyalty.budgets.rules import LevelStats, to_cents
from services.loyalty.levels.models import customer_level
from services.loyalty.levels.repository import grouped_sql

BR, BL, BS, CL = budget_run, budget_level, budget_share, customer_level

_STATS = f"""
    WITH {grouped_sql()}
    SELECT level, sum(volume) AS volume, count(*) AS customers,
           count(*) FILTER (WHERE "group" = 'promotion') AS promotion,
           count(*) FILTER (WHERE "group" = 'consistent') AS consistent,
           count(*) FILTER (WHERE "group" = 'retention') AS retention
    FROM grouped GROUP BY level
    UNION ALL
    SELECT 0, coalesce(sum(volume), 0), count(*), 0, 0, 0
    FROM loyalty.customer_level WHERE run_id = CAST(:run_id AS bigint) AND level = 0
"""

_SHARES = f"""
    WITH {grouped_sql()}, members AS (
        SELECT customer_id, level, "group" FROM grouped
        UNION ALL
        SELECT customer_id, level, 'level0' FROM loyalty.customer_level
        WHERE run_id = CAST(:run_id AS bigint) AND level = 0
    ), pool AS (
        SELECT * FROM unnest(CAST(:pool_levels AS smallint[]), CAST(:pool_groups AS text[]),
                             CAST(:pool_cents AS bigint[]), CAST(:pool_customers AS bigint[]))
            AS p (level, "group", cents, n)
    ), ranked AS (
        SELECT m.customer_id, m.level, m."group", p.cents, p.n,
               row_number() OVER (PARTITION BY m.level, m."group" ORDER BY m.customer_id) AS place
        FROM members AS m JOIN pool AS p ON p.level = m.level AND p."group" = m."group"
    )
    INSERT INTO loyalty.budget_share (run_id, customer_id, level, "group", amount)
    SELECT CAST(:budget_run_id AS bigint), customer_id, level, "group",
           CAST(cents / n + CASE WHEN place <= cents % n THEN 1 ELSE 0 END AS numeric) / 100
    FROM ranked
    -- In key order, each row lands at the right end of the run's index entries.
    ORDER BY customer_id
"""

# A month's sorts (quantiles, ranks, key order) fit in memory instead of spilling to disk.
_ROOM_TO_SORT = text("SET LOCAL work_mem = '64MB'")


async def level_stats(
    session: AsyncSession, *, run_id: int, retention: Decimal, promotion: Decimal
) -> list[LevelStats]:
    """Volume, customers and group sizes of level 0 and of every level 1 to 5 of a level run."""
    await session.execute(_ROOM_TO_SORT)
    rows = await session.execute(text(_STATS), {"run_id": run_id, "retention": retention, "promotion": promotion})
    return [
        LevelStats(row.level, row.volume, row.customers, row.promotion, row.consistent, row.retention) for row in rows
    ]


async def insert_run(session: AsyncSession, values: dict[str, Any]) -> int:
    return int((await session.execute(insert(BR).values(**values).returning(BR.c.id))).scalar_one())


async def insert_levels(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    await session.execute(insert(BL), rows)


async def insert_shares(
    session: AsyncSession,
    *,
    budget_run_id: int,
    level_run_id: int,
    retention: Decimal,
    promotion: Decimal,
    pools: Sequence[tuple[int, str, Decimal, int]],
) -> int:
    """Every customer's share of the pools (level, group, amount, customers), in one statement; how many rows.

    The customers of each pool are those ``level_stats`` counted, in the same transaction.
    """
    if not pools:
        return 0
    await session.execute(_ROOM_TO_SORT)
    result = await session.execute(
        text(_SHARES),
        {
            "run_id": level_run_id,
            "budget_run_id": budget_run_id,
            "retention": retention,
            "promotion": promotion,
            "pool_levels": [level for level, _, _, _ in pools],
            "pool_groups": [group for _, group, _, _ in pools],
            "pool_cents": [to_cents(amount) for _, _, amount, _ in pools],
            "pool_customers": [customers for _, _, _, customers in pools],
        },
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def run_by_id(session: AsyncSession, run_id: int) -> Any:
    return (await session.execute(select(BR).where(BR.c.id == run_id))).first()


async def runs_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    return list(await session.execute(select(BR).where(BR.c.id.in_(ids)).order_by(BR.c.id.desc())))


async def levels_of(session: AsyncSession, run_ids: Sequence[int]) -> list[Any]:
    return list(await session.execute(select(BL).where(BL.c.run_id.in_(run_ids)).order_by(BL.c.run_id, BL.c.level)))


def shares_query(run: Any, *, level: int | None = None, group: str | None = None) -> Any:
    """The shares of a run as it returns them: narrowed by its city and store (as the level run saw the
    customers), and by ``level`` and ``group`` when given; customer id, level, group, amount, city, store."""
    statement = (
        select(BS.c.customer_id, BS.c.level, BS.c.group, BS.c.amount, CL.c.city, CL.c.home_store_id)
        .join(CL, (CL.c.run_id == run.level_run_id) & (CL.c.customer_id == BS.c.customer_id))
        .where(BS.c.run_id == run.id)
    )
    if run.city is not None:
        statement = statement.where(CL.c.city == run.city)
    if run.store_id is not None:
        statement = statement.where(CL.c.home_store_id == run.store_id)
    if level is not None:
        statement = statement.where(BS.c.level == level)
    if group is not None:
        statement = statement.where(BS.c.group == group)
    return statement


async def shares_page(session: AsyncSession, statement: Any, *, after: int, limit: int) -> list[Any]:
    page = statement.where(BS.c.customer_id > after).order_by(BS.c.customer_id).limit(limit)
    return list(await session.execute(page))


async def shown_totals(session: AsyncSession, statement: Any) -> Any:
    """How many customers and how much money the rows a run returns hold."""
    totals = statement.with_only_columns(BS.c.customer_id, BS.c.amount).subquery()
    query = select(text("count(*) AS customers"), text("coalesce(sum(amount), 0) AS amount")).select_from(totals)
    return (await session.execute(query)).one()


async def stream_shares(connection: AsyncConnection, statement: Any) -> AsyncIterator[Sequence[Any]]:
    result = await connection.stream(statement.order_by(BS.c.customer_id).execution_options(yield_per=2000))
    async for row in result:
        yield tuple(row)
