"""RFM's SQL: a run scored and stored in one statement, and the reads of stored runs."""

from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from services.analytics.rfm.models import rfm_run, rfm_score
from services.analytics.rfm.rules import SCORES, Scheme, group_sql

# Per customer, the lines kept (not cancelled) on or before the reference date: the day of the last
# purchase, the orders (bills) and the spend in the base currency with returns taken off; so a past
# reference date sees only what had been bought by then. Guest lines (no customer) are counted apart.
_RUN = """
WITH bought AS (
    SELECT customer_id, max(day) AS last_day, count(DISTINCT purchase_id) AS orders,
           sum(base_amount - base_returned) AS spend
    FROM analytics.sale_line
    WHERE status = 'recorded' AND customer_id IS NOT NULL AND day <= :reference
    GROUP BY customer_id
), guests AS (
    SELECT count(*) AS lines, count(DISTINCT purchase_id) AS bills,
           coalesce(sum(base_amount - base_returned), 0) AS revenue
    FROM analytics.sale_line
    WHERE status = 'recorded' AND customer_id IS NULL AND day <= :reference
), run AS (
    INSERT INTO analytics.rfm_run (reference_date, scheme, customers, revenue, no_purchase, guest_bills,
                                   guest_lines, guest_revenue)
    SELECT :reference, :scheme, (SELECT count(*) FROM bought), (SELECT coalesce(sum(spend), 0) FROM bought),
           (SELECT count(*) FROM analytics.customer AS c
            WHERE c.status <> 'deleted' AND NOT EXISTS (SELECT FROM bought AS b WHERE b.customer_id = c.id)),
           g.bills, g.lines, g.revenue
    FROM guests AS g
    RETURNING id
), scored AS (
    -- cume_dist() is a double: through numeric (15 digits) 5 x 0.6 is 3, never 3.0000000000000004.
    SELECT customer_id, :reference - last_day AS recency, orders AS frequency, spend AS monetary,
           ceil(:n * (cume_dist() OVER (ORDER BY :reference - last_day DESC))::numeric)::smallint AS r,
           ceil(:n * (cume_dist() OVER (ORDER BY orders))::numeric)::smallint AS f,
           ceil(:n * (cume_dist() OVER (ORDER BY spend))::numeric)::smallint AS m
    FROM bought
), stored AS (
    INSERT INTO analytics.rfm_score (run_id, customer_id, recency, frequency, monetary, r, f, m, segment)
    SELECT run.id, s.customer_id, s.recency, s.frequency, s.monetary, s.r, s.f, s.m, {group}
    FROM scored AS s CROSS JOIN run
)
SELECT id FROM run
"""


async def create_run(session: AsyncSession, reference: date, scheme: Scheme) -> int:
    """Score every customer who bought on or before ``reference`` and store the run; its id."""
    statement = text(_RUN.format(group=group_sql(scheme)))
    run_id: int = (
        await session.execute(statement, {"reference": reference, "scheme": scheme.value, "n": SCORES[scheme]})
    ).scalar_one()
    return run_id


async def runs_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Row[Any]]:
    rows = await session.execute(select(rfm_run).where(rfm_run.c.id.in_(ids)).order_by(rfm_run.c.id.desc()))
    return list(rows.all())


async def run(session: AsyncSession, run_id: int) -> Row[Any] | None:
    return (await session.execute(select(rfm_run).where(rfm_run.c.id == run_id))).one_or_none()


async def segments(session: AsyncSession, run_id: int) -> dict[str, tuple[int, Any]]:
    """Customers and their spend per segment (or class) of a run."""
    rows = await session.execute(
        text("""SELECT segment, count(*), sum(monetary) FROM analytics.rfm_score WHERE run_id = :run
                GROUP BY segment"""),
        {"run": run_id},
    )
    return {segment: (int(n), spend) for segment, n, spend in rows}


MEMBER_COLUMNS = (
    rfm_score.c.customer_id,
    rfm_score.c.segment,
    rfm_score.c.recency,
    rfm_score.c.frequency,
    rfm_score.c.monetary,
    rfm_score.c.r,
    rfm_score.c.f,
    rfm_score.c.m,
)


def members_query(run_id: int, segment: str | None, after: int | None) -> Any:
    """A run's customers (of one segment), by customer id, after a page's last."""
    query = select(*MEMBER_COLUMNS).where(rfm_score.c.run_id == run_id)
    if segment is not None:
        query = query.where(rfm_score.c.segment == segment)
    if after is not None:
        query = query.where(rfm_score.c.customer_id > after)
    return query.order_by(rfm_score.c.customer_id)


async def members(session: AsyncSession, query: Any, limit: int) -> list[Sequence[Any]]:
    return [tuple(r) for r in await session.execute(query.limit(limit))]


async def stream(connection: AsyncConnection, query: Any) -> AsyncIterator[Sequence[Any]]:
    result = await connection.stream(query)
    async for row in result:
        yield tuple(row)


async def score(session: AsyncSession, run_id: int, customer_id: int) -> Row[Any] | None:
    query = select(rfm_score).where(rfm_score.c.run_id == run_id, rfm_score.c.customer_id == customer_id)
    return (await session.execute(query)).one_or_none()


async def movements(session: AsyncSession, from_run: int, to_run: int) -> list[tuple[str | None, str | None, int]]:
    """Customers per (segment in the first run, segment in the second); none where a customer is in one only."""
    rows = await session.execute(
        text("""SELECT a.segment, b.segment, count(*)
                FROM (SELECT customer_id, segment FROM analytics.rfm_score WHERE run_id = :a) AS a
                FULL JOIN (SELECT customer_id, segment FROM analytics.rfm_score WHERE run_id = :b) AS b
                  USING (customer_id)
                GROUP BY 1, 2"""),
        {"a": from_run, "b": to_run},
    )
    return [(a, b, int(n)) for a, b, n in rows]
