"""The SQL of levels and groups: a month's levels in one INSERT … SELECT, groups by ``percentile_cont`` per level.

The groups SQL (``grouped_sql``) is the one writer of the rule "promotion at or above the upper
quantile, retention at or below the lower one (winning a tie), consistent strictly between"; the
budget allocation reads its groups from it too.
"""

from collections.abc import AsyncIterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.loyalty.levels.models import customer_level, level_run
from services.loyalty.levels.rules import level_case
from services.loyalty.program.rules import LevelThresholds

CL, LR = customer_level, level_run

_LEVELS_SQL = """
    INSERT INTO loyalty.customer_level (run_id, customer_id, level, volume, orders, brands, own_brand_volume,
                                        self_orders, assisted_orders, city, home_store_id)
    SELECT CAST(:run_id AS bigint), c.id, {level},
           coalesce(f.volume, 0), coalesce(f.orders, 0), coalesce(f.brands, 0), coalesce(f.own_brand_volume, 0),
           coalesce(f.self_orders, 0), coalesce(f.assisted_orders, 0), c.city, c.home_store_id
    FROM loyalty.customer AS c
    LEFT JOIN loyalty.monthly_figures AS f ON f.customer_id = c.id AND f.month = CAST(:month AS date)
    -- Active now, and existing before the month ended: created before its end, known from before the
    -- creation time was kept (none), or buying in that month or before it (an imported customer, created
    -- by the import, whose historic bills show them a customer since).
    WHERE c.status = 'active'
      AND (c.created_at IS NULL OR c.created_at < CAST(:month_end AS timestamptz) OR f.customer_id IS NOT NULL
           OR EXISTS (SELECT FROM loyalty.monthly_figures AS e
                      WHERE e.customer_id = c.id AND e.month < CAST(:month AS date)))
    -- In key order, each row lands at the right end of the run's index entries: a third faster on a big month.
    ORDER BY c.id
"""


async def insert_run(
    session: AsyncSession, *, month: date, computed_at: datetime, program_version: int, thresholds: list[Any]
) -> int:
    statement = (
        insert(LR)
        .values(
            month=month, computed_at=computed_at, program_version=program_version, thresholds=thresholds, customers=0
        )
        .returning(LR.c.id)
    )
    return int((await session.execute(statement)).scalar_one())


async def compute_levels(
    session: AsyncSession, *, run_id: int, month: date, month_end: datetime, levels: Sequence[LevelThresholds]
) -> int:
    """Write the level of every active customer of ``month`` under run ``run_id``; how many rows."""
    case, parameters = level_case(levels)
    result = await session.execute(
        text(_LEVELS_SQL.format(level=case)),
        {"run_id": run_id, "month": month, "month_end": month_end, **parameters},
    )
    count = int(result.rowcount)  # type: ignore[attr-defined]
    await session.execute(update(LR).where(LR.c.id == run_id).values(customers=count))
    return count


async def run_by_id(session: AsyncSession, run_id: int) -> Any:
    return (await session.execute(select(LR).where(LR.c.id == run_id))).first()


async def latest_run(session: AsyncSession, month: date) -> Any:
    statement = select(LR).where(LR.c.month == month).order_by(LR.c.id.desc()).limit(1)
    return (await session.execute(statement)).first()


async def runs_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    statement = select(LR).where(LR.c.id.in_(ids)).order_by(LR.c.id.desc())
    return list(await session.execute(statement))


async def level_counts(session: AsyncSession, run_id: int) -> list[Any]:
    """Customers and volume per level of a run (a NULL level: no level)."""
    statement = (
        select(CL.c.level, func.count().label("customers"), func.sum(CL.c.volume).label("volume"))
        .where(CL.c.run_id == run_id)
        .group_by(CL.c.level)
        .order_by(CL.c.level.nulls_first())
    )
    return list(await session.execute(statement))


def levels_filter(
    run_id: int, *, level: int | None = None, city: str | None = None, store_id: int | None = None
) -> list[Any]:
    conditions: list[Any] = [CL.c.run_id == run_id]
    if level is not None:
        conditions.append(CL.c.level == level)
    if city is not None:
        conditions.append(CL.c.city == city)
    if store_id is not None:
        conditions.append(CL.c.home_store_id == store_id)
    return conditions


async def customer_levels(session: AsyncSession, run_id: int, customer_ids: Sequence[int]) -> list[Any]:
    statement = select(CL).where(CL.c.run_id == run_id, CL.c.customer_id.in_(customer_ids)).order_by(CL.c.customer_id)
    return list(await session.execute(statement))


LEVEL_COLUMNS = (
    "customer_id",
    "level",
    "volume",
    "orders",
    "brands",
    "own_brand_volume",
    "self_orders",
    "assisted_orders",
    "city",
    "home_store_id",
)


async def stream_levels(connection: AsyncConnection, conditions: list[Any]) -> AsyncIterator[Sequence[Any]]:
    """Every row of a run matching ``conditions``, by customer id, read as they come (for an export)."""
    statement = select(*(CL.c[name] for name in LEVEL_COLUMNS)).where(*conditions).order_by(CL.c.customer_id)
    result = await connection.stream(statement.execution_options(yield_per=2000))
    async for row in result:
        yield tuple(row)


def grouped_sql(*, levels: str = "BETWEEN 1 AND 5") -> str:
    """The customers of run ``:run_id`` in levels ``levels`` with their group under the fractions ``:retention``
    and ``:promotion`` (exact decimals): CTEs ``quantile`` (per level) and ``grouped`` (per customer).

    ``percentile_cont`` interpolates linearly between order statistics in double precision; the volumes
    are compared with the quantiles in double precision too, so a volume equal to a quantile is in.
    """
    return f"""
    quantile AS (
        SELECT level,
               count(*) AS customers,
               percentile_cont(CAST(CAST(:retention AS numeric) AS double precision))
                   WITHIN GROUP (ORDER BY CAST(volume AS double precision)) AS retention_to,
               percentile_cont(CAST(CAST(:promotion AS numeric) AS double precision))
                   WITHIN GROUP (ORDER BY CAST(volume AS double precision)) AS promotion_from
        FROM loyalty.customer_level
        WHERE run_id = CAST(:run_id AS bigint) AND level {levels}
        GROUP BY level
    ), grouped AS (
        SELECT cl.customer_id, cl.level, cl.volume, cl.city, cl.home_store_id,
               CASE WHEN CAST(cl.volume AS double precision) <= q.retention_to THEN 'retention'
                    WHEN CAST(cl.volume AS double precision) >= q.promotion_from THEN 'promotion'
                    ELSE 'consistent' END AS "group"
        FROM loyalty.customer_level AS cl
        JOIN quantile AS q ON q.level = cl.level
        WHERE cl.run_id = CAST(:run_id AS bigint)
    )"""


_GROUP_SUMMARY = f"""
    WITH {grouped_sql()}
    SELECT q.level, q.customers, q.retention_to, q.promotion_from,
           count(*) FILTER (WHERE g."group" = 'promotion') AS promotion,
           count(*) FILTER (WHERE g."group" = 'consistent') AS consistent,
           count(*) FILTER (WHERE g."group" = 'retention') AS retention,
           coalesce(sum(g.volume), 0) AS volume,
           coalesce(sum(g.volume) FILTER (WHERE g."group" = 'promotion'), 0) AS promotion_volume,
           coalesce(sum(g.volume) FILTER (WHERE g."group" = 'retention'), 0) AS retention_volume
    FROM quantile AS q JOIN grouped AS g ON g.level = q.level
    GROUP BY q.level, q.customers, q.retention_to, q.promotion_from
    ORDER BY q.level
"""


async def group_summary(session: AsyncSession, *, run_id: int, retention: Decimal, promotion: Decimal) -> list[Any]:
    """Per level 1 to 5 of a run: customers, the two quantiles, and the customers and volume of each group."""
    parameters = {"run_id": run_id, "retention": retention, "promotion": promotion}
    return list(await session.execute(text(_GROUP_SUMMARY), parameters))


_GROUP_MEMBERS = f"""
    WITH {grouped_sql()}
    SELECT customer_id, level, volume, "group", city, home_store_id FROM grouped
    WHERE (CAST(:level AS smallint) IS NULL OR level = CAST(:level AS smallint))
      AND (CAST(:group AS text) IS NULL OR "group" = CAST(:group AS text))
      AND (CAST(:city AS text) IS NULL OR city = CAST(:city AS text))
      AND (CAST(:store_id AS bigint) IS NULL OR home_store_id = CAST(:store_id AS bigint))
      AND customer_id > CAST(:after AS bigint)
    ORDER BY customer_id
    LIMIT CAST(:limit AS integer)
"""


async def group_members(
    session: AsyncSession,
    *,
    run_id: int,
    retention: Decimal,
    promotion: Decimal,
    level: int | None,
    group: str | None,
    city: str | None,
    store_id: int | None,
    after: int,
    limit: int,
) -> list[Any]:
    """A page of the customers of levels 1 to 5 of a run with their group, by customer id after ``after``."""
    parameters = {
        "run_id": run_id,
        "retention": retention,
        "promotion": promotion,
        "level": level,
        "group": group,
        "city": city,
        "store_id": store_id,
        "after": after,
        "limit": limit,
    }
    return list(await session.execute(text(_GROUP_MEMBERS), parameters))
