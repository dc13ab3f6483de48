"""The SQL of targets: a run's targets set in one statement from last month's levels, the open targets of
the customers a ledger batch touched (locked), and their achievements recorded from live purchases."""

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from services.loyalty.ledger.models import product
from services.loyalty.targets.models import target, target_achievement, target_run

CustomerMonth = tuple[int, date]

_LATEST_LEVEL_RUN = text("SELECT id FROM loyalty.level_run WHERE month = :month ORDER BY id DESC LIMIT 1")

# Last month's volume and level come from the level run; the target is rounded half-up to the cent
# (``round`` on numeric rounds halves away from zero, and volumes are never negative). A zero volume
# sets no target; a zero percent or value is never sent here (``rules.target_for``).
_SET_TARGETS = text("""
    WITH chosen AS (
        SELECT l.customer_id, l.level, l.volume,
               CASE WHEN CAST(:mode AS text) = 'percent'
                    THEN round(l.volume * (100 + CAST(:amount AS numeric)) / 100, 2)
                    ELSE l.volume + CAST(:amount AS numeric) END AS target
        FROM loyalty.customer_level AS l
        WHERE l.run_id = :level_run_id
          AND l.volume > 0
          AND l.volume >= CAST(:lower AS numeric)
          AND (CAST(:upper AS numeric) IS NULL OR l.volume < CAST(:upper AS numeric))
          AND (CAST(:levels AS smallint[]) IS NULL OR l.level = ANY(CAST(:levels AS smallint[])))
    ), inserted AS (
        INSERT INTO loyalty.target (run_id, customer_id, month, level, base_volume, target)
        SELECT :run_id, customer_id, :month, level, volume, target FROM chosen ORDER BY customer_id
        RETURNING id
    )
    UPDATE loyalty.target_run SET targets = (SELECT count(*) FROM inserted) WHERE id = :run_id
    RETURNING targets
""")

# The open targets of these (customer, month) pairs, locked in id order (so two writers never deadlock):
# whoever checks a target next waits here until the one before has committed, then sees its bills.
_LOCK_OPEN_TARGETS = text("""
    SELECT t.id
    FROM loyalty.target AS t
    JOIN unnest(CAST(:customers AS bigint[]), CAST(:months AS date[])) AS v (customer_id, month)
      ON t.customer_id = v.customer_id AND t.month = v.month
    WHERE NOT EXISTS (SELECT 1 FROM loyalty.target_achievement AS a WHERE a.target_id = t.id)
    ORDER BY t.id
    FOR UPDATE OF t
""")

# A new statement, hence a fresh snapshot after the locks: it sees the bills of every transaction that
# held them before. The volume is the monthly figures' volume over live bills only: recorded, net of
# returns, a wholly returned bill left out. A target reached is recorded once (the key is the target).
_ACHIEVE = text("""
    WITH open AS (
        SELECT t.id, t.run_id, t.customer_id, t.month, t.target, r.points
        FROM loyalty.target AS t JOIN loyalty.target_run AS r ON r.id = t.run_id
        WHERE t.id = ANY(CAST(:ids AS bigint[]))
    ), volume AS (
        SELECT o.id, coalesce(sum(b.base_total - b.base_returned), 0) AS volume
        FROM open AS o
        LEFT JOIN loyalty.purchase AS b
          ON b.customer_id = o.customer_id AND b.month = o.month AND b.source = 'live' AND b.status = 'recorded'
         AND EXISTS (SELECT 1 FROM loyalty.purchase_line AS l
                     WHERE l.purchase_id = b.id AND l.returned_quantity < l.quantity)
        GROUP BY o.id
    )
    INSERT INTO loyalty.target_achievement AS a (target_id, run_id, customer_id, month, target, volume, achieved_at,
                                                 points)
    SELECT o.id, o.run_id, o.customer_id, o.month, o.target, v.volume, :at, o.points
    FROM open AS o JOIN volume AS v USING (id)
    WHERE v.volume >= o.target
    ORDER BY o.id
    ON CONFLICT (target_id) DO NOTHING
    RETURNING a.*
""")


async def latest_level_run(session: AsyncSession, month: date) -> int | None:
    """The latest level run of ``month`` (a month's levels are those of its latest run), or None."""
    return (await session.execute(_LATEST_LEVEL_RUN, {"month": month})).scalar()


async def product_exists(session: AsyncSession, product_id: int) -> bool:
    return (await session.execute(select(product.c.id).where(product.c.id == product_id))).first() is not None


TARGET_SCHEDULE_LOCK = 7_300_101  # the first key of the schedule's month locks: no other lock uses it


async def lock_schedule(session: AsyncSession, month: date) -> None:
    """Serialise the scheduled runs of one month (a second one finds the first committed)."""
    await session.execute(
        text("SELECT pg_advisory_xact_lock(:kind, CAST(:day AS integer))"),
        {"kind": TARGET_SCHEDULE_LOCK, "day": month.year * 100 + month.month},
    )


async def scheduled_run(session: AsyncSession, month: date) -> Any:
    statement = select(target_run).where(target_run.c.month == month, target_run.c.origin == "schedule")
    return (await session.execute(statement)).first()


async def insert_run(session: AsyncSession, values: dict[str, Any]) -> Any:
    return (await session.execute(insert(target_run).values(**values).returning(target_run))).one()


async def set_targets(
    session: AsyncSession,
    *,
    run_id: int,
    month: date,
    level_run_id: int,
    mode: str,
    amount: Decimal,
    lower: Decimal,
    upper: Decimal | None,
    levels: Sequence[int] | None,
) -> int:
    """Set the run's targets from the level run's rows in one statement; how many were set."""
    parameters = {
        "run_id": run_id,
        "month": month,
        "level_run_id": level_run_id,
        "mode": mode,
        "amount": amount,
        "lower": lower,
        "upper": upper,
        "levels": list(levels) if levels is not None else None,
    }
    return int((await session.execute(_SET_TARGETS, parameters)).scalar_one())


async def run_by_id(session: AsyncSession, run_id: int) -> Any:
    return (await session.execute(select(target_run).where(target_run.c.id == run_id))).first()


async def runs_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    rows = {row.id: row for row in await session.execute(select(target_run).where(target_run.c.id.in_(ids)))}
    return [rows[i] for i in ids if i in rows]


async def lock_open_targets(session: AsyncSession, pairs: Iterable[CustomerMonth]) -> list[int]:
    ordered = sorted(set(pairs))
    if not ordered:
        return []
    rows = await session.execute(
        _LOCK_OPEN_TARGETS, {"customers": [c for c, _ in ordered], "months": [m for _, m in ordered]}
    )
    return list(rows.scalars())


async def target_ids_of_run(session: AsyncSession, run_id: int) -> list[int]:
    """A new run's targets (no other transaction sees them yet, so none to lock)."""
    statement = select(target.c.id).where(target.c.run_id == run_id).order_by(target.c.id)
    return list((await session.execute(statement)).scalars())


async def record_achievements(session: AsyncSession, target_ids: Sequence[int], at: datetime) -> list[Any]:
    """Record the achievement of every one of these targets its live volume reaches; the new ones."""
    if not target_ids:
        return []
    return list((await session.execute(_ACHIEVE, {"ids": list(target_ids), "at": at})).all())


async def note_credits(session: AsyncSession, target_id: int, *, reward_id: int | None, entry_id: int | None) -> Any:
    statement = (
        update(target_achievement)
        .where(target_achievement.c.target_id == target_id)
        .values(reward_id=reward_id, wallet_entry_id=entry_id)
        .returning(target_achievement)
    )
    return (await session.execute(statement)).one()


def targets_with_achievements() -> Any:
    """Targets with what their run gives and their achievement's columns (none while not achieved)."""
    a, r = target_achievement, target_run
    return select(
        target,
        r.c.gift_percent,
        r.c.gift_product_id,
        r.c.points,
        a.c.achieved_at,
        a.c.volume.label("achieved_volume"),
        a.c.reward_id,
    ).select_from(target.join(r, r.c.id == target.c.run_id).outerjoin(a, a.c.target_id == target.c.id))


async def targets_by_id(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    statement = targets_with_achievements().where(target.c.id.in_(ids))
    rows = {row.id: row for row in await session.execute(statement)}
    return [rows[i] for i in ids if i in rows]


async def achievements_by_target(session: AsyncSession, ids: Sequence[int]) -> list[Any]:
    rows = {
        row.target_id: row
        for row in await session.execute(select(target_achievement).where(target_achievement.c.target_id.in_(ids)))
    }
    return [rows[i] for i in ids if i in rows]
