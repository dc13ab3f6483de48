"""The loyalty bench: one month's levels, groups and one budget allocation for a million customers, in Patron and in
plain pandas from the same monthly figures, checked customer by customer.

    python bench/loyalty/run.py [--sizes 100000,1000000] [--seed 7] [--band 2] [--amount 1000000.00]
                                [--level0-amount 10000.00] [--server postgresql://...] [--keep]

pandas is not a dependency of Patron: ``pip install pandas`` in the venv first.

For each size (customers), one run:

1. a scratch database on ``--server``, migrated with the loyalty schema; ``loyalty.customer`` (mostly active,
   some inactive, a few created after the month or before creation times were kept; cities and home
   stores) and the month's ``loyalty.monthly_figures`` generated with a skew (most customers at levels 0-1,
   a long tail reaching 5) and written with COPY, then vacuumed and analysed (not timed);
2. **Patron**: the loyalty service's own functions, called in-process with an ``AsyncSession`` on that
   database, each step in its own transaction as its route would be: the month's levels as a new run
   (``levels.service.compute_levels``), the groups of that run under ``--band``
   (``levels.service.groups``, what ``GET /loyalty/levels/groups`` answers) and one allocation
   (``budgets.service.allocate_budget``: all levels, no city or store filter);
3. **pandas**: the same rules in plain pandas and numpy (no Patron code), from reading the customers, the
   month's figures and who bought before it out of PostgreSQL (COPY to CSV, ``pd.read_csv``) to writing
   every customer's level, figures and group and every share back to tables of its own (``bench_pandas``,
   keyed as Patron's; ``to_csv`` then COPY);
4. the check: every customer's level, group (Patron's from ``levels.service.group_members``) and cents
   in both, the groups' quantiles and sizes per level, and each level's allocated and unspent; any
   difference is printed (the first 10) and the bench fails;
5. prints each step's seconds, the totals and **patron / pandas** (aim <= 1).

Then a table of all sizes and Patron's total at the largest size over its total at the smallest
(aim: at most 12 for 10 times the customers). The databases are dropped unless ``--keep``.
"""

import argparse
import asyncio
import io
import math
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import asyncpg
import numpy as np
import pandas as pd
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from services.kit.clock import utcnow  # noqa: E402
from services.kit.db import create_engine  # noqa: E402
from services.kit.migrations import upgrade  # noqa: E402
from services.loyalty.budgets import service as budgets  # noqa: E402
from services.loyalty.budgets.schemas import BudgetRunCreate  # noqa: E402
from services.loyalty.levels import service as levels  # noqa: E402

MONTH = date(2026, 10, 1)
EARLIER = date(2026, 9, 1)  # the month before, for the imported customers' historic bills
MONTH_END = datetime(2026, 11, 1, tzinfo=UTC)  # the business time zone is UTC here
ZONE = ZoneInfo("UTC")
CITIES = 40
STORES_PER_CITY = 6
T = TypeVar("T")

# SPEC §3.2's default thresholds, in cents where money: (level, volume, orders, brands, own-brand volume,
# self-order share strictly above, in percent, or None).
THRESHOLDS = (
    (1, 100, 0, 0, 0, None),
    (2, 1_000_000, 3, 5, 0, None),
    (3, 2_000_000, 5, 10, 200_000, None),
    (4, 3_000_000, 8, 20, 800_000, 30),
    (5, 7_500_000, 12, 40, 1_500_000, 60),
)
NONE, PROMOTION, CONSISTENT, RETENTION, LEVEL0 = 0, 1, 2, 3, 4
GROUP_NAMES = ["", "promotion", "consistent", "retention", "level0"]


# --- the month --------------------------------------------------------------------------------------------------


def generate(customers: int, seed: int) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """Customer rows and the month's figures: about 45 % of active customers buy nothing (level 0), most buyers
    reach level 1 only, a few percent level 2 and a long tail reaches 5; orders, brands and volume rise together."""
    rng = np.random.default_rng(seed)
    ids = np.arange(1, customers + 1, dtype=np.int64)
    active = rng.random(customers) < 0.92
    weights = 1.0 / np.arange(1, CITIES + 1) ** 0.9
    city = rng.choice(CITIES, size=customers, p=weights / weights.sum())
    store = city * STORES_PER_CITY + rng.integers(1, STORES_PER_CITY + 1, size=customers)
    # Created up to four years before the month's end; 1 % after it (too new for this month unless they
    # bought in it), 2 % before creation times were kept (none).
    created_seconds = rng.integers(3600, 4 * 365 * 86400, size=customers)
    late = rng.random(customers) < 0.01
    created_seconds[late] = -rng.integers(1, 20 * 86400, size=int(late.sum()))
    unknown = rng.random(customers) < 0.02

    buyer = rng.random(customers) < 0.55
    m = int(buyer.sum())
    z = rng.normal(0.0, 1.0, m)  # how engaged a buyer is this month
    orders = 1 + rng.poisson(np.exp(0.2 + 1.0 * z))
    ticket = np.exp(6.3 + 0.6 * z + 0.6 * rng.normal(0.0, 1.0, m))
    volume = np.rint(orders * ticket * 100).astype(np.int64)
    odd = rng.random(m)
    volume[odd < 0.003] = 0  # everything bought was returned: level 0
    small = (odd >= 0.003) & (odd < 0.005)
    volume[small] = rng.integers(1, 100, size=int(small.sum()))  # strictly between 0 and 1: no level
    brands = np.minimum(1 + rng.poisson(orders * 2.2 * np.exp(0.4 * rng.normal(0.0, 1.0, m))), 500)
    own = np.rint(volume * rng.beta(2.0, 5.0, m)).astype(np.int64)
    self_orders = rng.binomial(orders, rng.beta(2.5, 2.0, m))
    assisted = orders - self_orders

    cities = [f"City {i + 1:02d}" for i in range(CITIES)]
    customer_rows = [
        (
            i,
            "active" if a else "inactive",
            s,
            cities[c],
            "PT",
            None if u else MONTH_END - timedelta(seconds=sec),
        )
        for i, a, s, c, sec, u in zip(
            ids.tolist(),
            active.tolist(),
            store.tolist(),
            city.tolist(),
            created_seconds.tolist(),
            unknown.tolist(),
            strict=True,
        )
    ]
    figure_rows = [
        (i, MONTH, Decimal(v).scaleb(-2), o, b, Decimal(w).scaleb(-2), s, a)
        for i, v, o, b, w, s, a in zip(
            ids[buyer].tolist(),
            volume.tolist(),
            orders.tolist(),
            brands.tolist(),
            own.tolist(),
            self_orders.tolist(),
            assisted.tolist(),
            strict=True,
        )
    ]
    # Half the customers created after the month's end were imported with historic bills: figures in the
    # month before, so they count as customers of this month too (level 0 unless they also bought in it).
    imported = ids[late & (rng.random(customers) < 0.5)]
    figure_rows += [
        (i, EARLIER, Decimal(2_000 + i % 50_000).scaleb(-2), 1, 1, Decimal(0).scaleb(-2), 1, 0)
        for i in imported.tolist()
    ]
    return customer_rows, figure_rows


async def load(database_url: str, customers: int, seed: int) -> int:
    """Write the month with COPY, vacuum and analyse it; how many customers have figures for the month."""
    customer_rows, figure_rows = generate(customers, seed)
    connection = await asyncpg.connect(database_url)
    try:
        await connection.copy_records_to_table(
            "customer",
            schema_name="loyalty",
            columns=["id", "status", "home_store_id", "city", "country", "created_at"],
            records=customer_rows,
        )
        await connection.copy_records_to_table(
            "monthly_figures",
            schema_name="loyalty",
            columns=[
                "customer_id",
                "month",
                "volume",
                "orders",
                "brands",
                "own_brand_volume",
                "self_orders",
                "assisted_orders",
            ],
            records=figure_rows,
        )
        await connection.execute("VACUUM (ANALYZE) loyalty.customer, loyalty.monthly_figures")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()
    return sum(1 for row in figure_rows if row[1] == MONTH)


# --- Patron -----------------------------------------------------------------------------------------------------


@dataclass
class PatronResult:
    seconds: dict[str, float] = field(default_factory=dict)
    level_run_id: int = 0
    budget_run_id: int = 0
    groups: Any = None
    budget: Any = None
    members: Any = None  # every customer of levels 1 to 5 with their group, as Patron lists them
    statements: dict[str, list[tuple[float, str]]] = field(default_factory=dict)  # per step: (seconds, SQL)


def statement_timer(engine: Any, into: list[tuple[float, str]]) -> None:
    """Time every statement ``engine`` runs into ``into`` (the commit is not a statement: see the step's total)."""

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def before(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def after(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        into.append((time.perf_counter() - conn.info["bench_started"].pop(), " ".join(statement.split())))


async def patron(database_url: str, *, customers: int, band: int, amount: str, level0_amount: str) -> PatronResult:
    """The month's levels, groups and one allocation through the loyalty service's functions, timed per step."""
    engine = create_engine(database_url, pool_size=1, application_name="patron-bench-loyalty")
    result = PatronResult()
    timed: list[tuple[float, str]] = []
    statement_timer(engine, timed)

    async def step(name: str | None, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        timed.clear()
        started = time.perf_counter()
        async with AsyncSession(engine, expire_on_commit=False) as session, session.begin():
            value = await work(session)
        if name is not None:
            result.seconds[name] = time.perf_counter() - started
            result.statements[name] = sorted(timed, reverse=True)
        return value

    async def compute(session: AsyncSession) -> Any:
        return await levels.compute_levels(session, month=MONTH, zone=ZONE, at=utcnow())

    async def groups(session: AsyncSession) -> Any:
        run = await levels.run_of(session, month=MONTH, run_id=None)
        return await levels.groups(session, run=run, band=band)

    async def allocate(session: AsyncSession) -> Any:
        request = BudgetRunCreate.model_validate(
            {"month": f"{MONTH:%Y-%m}", "band": band, "amount": amount, "level0_amount": level0_amount}
        )
        return await budgets.allocate_budget(session, request=request, by="bench", zone=ZONE, at=utcnow())

    async def members(session: AsyncSession) -> Any:
        run = await levels.run_of(session, month=MONTH, run_id=result.level_run_id)
        items, _ = await levels.group_members(
            session,
            run=run,
            band=band,
            level=None,
            group=None,
            city=None,
            store_id=None,
            after=0,
            limit=customers + 1,
        )
        return items

    try:
        run = await step("levels", compute)
        result.level_run_id = run.id
        result.groups = await step("groups", groups)
        result.budget = await step("allocation", allocate)
        result.budget_run_id = result.budget.id
        result.members = await step(None, members)  # for the check only, not timed
    finally:
        await engine.dispose()
    return result


# --- pandas -----------------------------------------------------------------------------------------------------

# Keyed and indexed as Patron's ``customer_level`` and ``budget_share`` are, less the run id (and no foreign key).
PANDAS_TABLES = """
    CREATE SCHEMA bench_pandas;
    CREATE TABLE bench_pandas.customer_level (
        customer_id bigint PRIMARY KEY, level smallint, "group" text, volume_cents bigint, orders integer,
        brands integer, own_brand_cents bigint, self_orders integer, assisted_orders integer, city text,
        home_store_id bigint);
    CREATE INDEX ON bench_pandas.customer_level (level, customer_id);
    CREATE TABLE bench_pandas.budget_share (
        customer_id bigint PRIMARY KEY, level smallint NOT NULL, "group" text NOT NULL, cents bigint NOT NULL);
"""


@dataclass
class PandasResult:
    seconds: dict[str, float] = field(default_factory=dict)
    summary: pd.DataFrame | None = None  # per level 1 to 5: customers, quantiles, group sizes
    per_level: dict[int, tuple[int, int]] = field(default_factory=dict)  # level: (allocated, unspent) cents
    quantile_differences: list[str] = field(default_factory=list)  # where Series.quantile differs


async def copy_out(connection: asyncpg.Connection, query: str, **read_csv: Any) -> pd.DataFrame:
    buffer = io.BytesIO()
    await connection.copy_from_query(query, output=buffer, format="csv", header=True)
    buffer.seek(0)
    return pd.read_csv(buffer, **read_csv)


async def copy_in(connection: asyncpg.Connection, table: str, frame: pd.DataFrame) -> None:
    buffer = io.BytesIO()
    frame.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    await connection.copy_to_table(table, schema_name="bench_pandas", source=buffer, format="csv")


def pg_quantile(ordered: np.ndarray, fraction: float) -> float:
    """PostgreSQL's ``percentile_cont`` over sorted doubles: ``lo + (pos - floor(pos)) × (hi - lo)``."""
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return float(ordered[low] + (position - low) * (ordered[high] - ordered[low]))


def largest_remainder(cents: int, weights: list[int]) -> list[int]:
    """``cents`` in proportion to ``weights`` (whole numbers) by largest remainder, equal remainders to the earlier."""
    total = sum(weights)
    exact = [(cents * w) // total for w in weights]
    remainders = [(cents * w) % total for w in weights]
    for i in sorted(range(len(weights)), key=lambda i: (-remainders[i], i))[: cents - sum(exact)]:
        exact[i] += 1
    return exact


def compute(
    customers: pd.DataFrame,
    figures: pd.DataFrame,
    earlier: pd.DataFrame,
    *,
    band: int,
    amount: int,
    level0_amount: int,
    result: PandasResult,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Levels, groups and the allocation in integer cents: the customer rows and the share rows to write."""
    customers = customers.sort_values("id", kind="stable")
    figures = figures.set_index("customer_id")
    # A customer of the month: active, and created before its end, or of unknown creation, or buying in it or before.
    bought = customers["id"].isin(figures.index) | customers["id"].isin(earlier["customer_id"])
    created = pd.to_datetime(customers["created_at"], utc=True, format="ISO8601")
    eligible = (customers["status"] == "active") & (created.isna() | (created < MONTH_END) | bought)
    c = customers[eligible.to_numpy()]
    f = figures.reindex(c["id"].to_numpy())
    volume = np.rint(f["volume"].fillna(0).to_numpy() * 100).astype(np.int64)
    own = np.rint(f["own_brand_volume"].fillna(0).to_numpy() * 100).astype(np.int64)
    orders = f["orders"].fillna(0).to_numpy().astype(np.int64)
    brands = f["brands"].fillna(0).to_numpy().astype(np.int64)
    self_orders = f["self_orders"].fillna(0).to_numpy().astype(np.int64)
    assisted = f["assisted_orders"].fillna(0).to_numpy().astype(np.int64)

    level = np.full(len(c), -1, dtype=np.int8)  # -1: no level
    for n, v, o, b, w, share in THRESHOLDS:
        met = (volume >= v) & (orders >= o) & (brands >= b) & (own >= w)
        if share is not None:
            both = self_orders + assisted
            met &= (both > 0) & (self_orders * 100 > share * both)
        level[met] = n
    level[volume == 0] = 0

    # Groups per level 1 to 5 on the volume as a double (cents / 100 is the double nearest the decimal).
    retention_at, promotion_at = float(f"0.{band}"), float(f"0.{10 - band}")
    as_double = volume / 100
    group = np.where(level == 0, LEVEL0, NONE).astype(np.int8)
    rows = []
    for n in range(1, 6):
        at = np.flatnonzero(level == n)
        if len(at) == 0:
            continue
        v = as_double[at]
        ordered = np.sort(v)
        retention_to, promotion_from = pg_quantile(ordered, retention_at), pg_quantile(ordered, promotion_at)
        for fraction, mine in ((retention_at, retention_to), (promotion_at, promotion_from)):
            theirs = pd.Series(v).quantile(fraction, interpolation="linear")
            if theirs != mine:
                moved = int(
                    np.count_nonzero((v <= theirs) != (v <= mine)) + np.count_nonzero((v >= theirs) != (v >= mine))
                )
                result.quantile_differences.append(
                    f"level {n} q={fraction}: Series.quantile {theirs!r} vs percentile_cont {mine!r} "
                    f"({moved} customers on the other side)"
                )
        g = np.where(v <= retention_to, RETENTION, np.where(v >= promotion_from, PROMOTION, CONSISTENT))
        group[at] = g
        rows.append(
            {
                "level": n,
                "customers": len(at),
                "retention_to": retention_to,
                "promotion_from": promotion_from,
                "promotion": int(np.count_nonzero(g == PROMOTION)),
                "consistent": int(np.count_nonzero(g == CONSISTENT)),
                "retention": int(np.count_nonzero(g == RETENTION)),
            }
        )
    result.summary = pd.DataFrame(rows)

    # The allocation: the levels' shares by largest remainder, halves, then equal shares by customer id.
    level_volume = [int(volume[level == n].sum()) for n in range(1, 6)]
    sizes = {
        (n, g): int(np.count_nonzero((level == n) & (group == g))) for n in range(1, 6) for g in (PROMOTION, RETENTION)
    }
    shares = largest_remainder(amount, level_volume) if sum(level_volume) > 0 else [0] * 5
    pools: list[tuple[int, int, int]] = []  # (level, group, cents)
    level0 = int(np.count_nonzero(level == 0))
    if level0 > 0 and level0_amount > 0:
        pools.append((0, LEVEL0, level0_amount))
        result.per_level[0] = (level0_amount, 0)
    else:
        result.per_level[0] = (0, level0_amount)
    for n, share in zip(range(1, 6), shares, strict=True):
        if share > 0 and sizes[n, PROMOTION] > 0 and sizes[n, RETENTION] > 0:
            promotion = share // 2
            pools += [(n, PROMOTION, promotion), (n, RETENTION, share - promotion)]
            result.per_level[n] = (share, 0)
        else:
            result.per_level[n] = (0, share)
    cents = np.zeros(len(c), dtype=np.int64)
    for n, g, pool in pools:
        at = np.flatnonzero((level == n) & (group == g))  # ascending customer ids
        each, left = divmod(pool, len(at))
        cents[at] = each
        cents[at[:left]] += 1

    level_column = pd.array(np.where(level < 0, None, level), dtype="Int16")
    group_column = pd.Categorical.from_codes(group, categories=GROUP_NAMES)
    levels_out = pd.DataFrame(
        {
            "customer_id": c["id"].to_numpy(),
            "level": level_column,
            "group": group_column,
            "volume_cents": volume,
            "orders": orders,
            "brands": brands,
            "own_brand_cents": own,
            "self_orders": self_orders,
            "assisted_orders": assisted,
            "city": c["city"].to_numpy(),
            "home_store_id": c["home_store_id"].to_numpy(),
        }
    )
    paid = np.isin(group, [PROMOTION, RETENTION, LEVEL0]) & np.isin(level * 8 + group, [n * 8 + g for n, g, _ in pools])
    shares_out = pd.DataFrame(
        {
            "customer_id": c["id"].to_numpy()[paid],
            "level": level[paid],
            "group": group_column[paid],
            "cents": cents[paid],
        }
    )
    return levels_out, shares_out


async def pandas_side(database_url: str, *, band: int, amount: int, level0_amount: int) -> PandasResult:
    """Read the customers and the month's figures, compute, write the results back; timed per step."""
    result = PandasResult()
    connection = await asyncpg.connect(database_url, server_settings={"timezone": "UTC"})
    try:
        started = time.perf_counter()
        customers = await copy_out(
            connection,
            "SELECT id, status, city, home_store_id, created_at FROM loyalty.customer",
            dtype={"id": "int64", "status": "str", "city": "str", "home_store_id": "Int64", "created_at": "str"},
        )
        figures = await copy_out(
            connection,
            "SELECT customer_id, volume, orders, brands, own_brand_volume, self_orders, assisted_orders "
            f"FROM loyalty.monthly_figures WHERE month = '{MONTH.isoformat()}'",
        )
        earlier = await copy_out(
            connection, f"SELECT customer_id FROM loyalty.monthly_figures WHERE month < '{MONTH.isoformat()}'"
        )
        read = time.perf_counter()
        levels_out, shares_out = compute(
            customers, figures, earlier, band=band, amount=amount, level0_amount=level0_amount, result=result
        )
        computed = time.perf_counter()
        async with connection.transaction():
            await copy_in(connection, "customer_level", levels_out)
            await copy_in(connection, "budget_share", shares_out)
        written = time.perf_counter()
    finally:
        await connection.close()
    result.seconds = {"read": read - started, "compute": computed - read, "write": written - computed}
    return result


# --- the check --------------------------------------------------------------------------------------------------


async def check(database_url: str, p: PatronResult, q: PandasResult) -> tuple[int, list[str]]:
    """How many customers were compared, and every difference between Patron's and pandas' results (none: the
    same level, group and cents for every customer, the same quantiles, group sizes and per-level totals)."""
    connection = await asyncpg.connect(database_url)
    try:
        patron_levels = await copy_out(
            connection,
            f"SELECT customer_id, level FROM loyalty.customer_level WHERE run_id = {p.level_run_id}",
            dtype={"level": "Int16"},
        )
        patron_shares = await copy_out(
            connection,
            'SELECT customer_id, "group" AS share_group, round(amount * 100)::bigint AS cents '
            f"FROM loyalty.budget_share WHERE run_id = {p.budget_run_id}",
        )
        pandas_levels = await copy_out(
            connection, 'SELECT customer_id, level, "group" FROM bench_pandas.customer_level', dtype={"level": "Int16"}
        )
        pandas_shares = await copy_out(connection, "SELECT customer_id, cents FROM bench_pandas.budget_share")
    finally:
        await connection.close()
    members = pd.DataFrame(
        {"customer_id": [m.customer_id for m in p.members], "group": [m.group for m in p.members]}, dtype=object
    ).astype({"customer_id": "int64"})
    ours = patron_levels.merge(members, on="customer_id", how="left").merge(patron_shares, on="customer_id", how="left")
    ours.loc[(ours["level"].fillna(-1) == 0).to_numpy(), "group"] = "level0"
    ours["cents"] = ours["cents"].fillna(0).astype("int64")
    theirs = pandas_levels.merge(pandas_shares, on="customer_id", how="left")
    theirs["cents"] = theirs["cents"].fillna(0).astype("int64")
    both = ours.merge(theirs, on="customer_id", how="outer", suffixes=("_patron", "_pandas"), indicator="side")
    for column in ("group_patron", "group_pandas"):
        both[column] = both[column].fillna("")
    differs = (
        (both["side"] != "both")
        | (both["level_patron"].fillna(-1) != both["level_pandas"].fillna(-1))
        | (both["group_patron"] != both["group_pandas"])
        | (both["cents_patron"] != both["cents_pandas"])
    )
    problems = [
        f"customer {row.customer_id}: level {row.level_patron} vs {row.level_pandas}, "
        f"group {row.group_patron or '-'} vs {row.group_pandas or '-'}, cents {row.cents_patron} vs {row.cents_pandas}"
        f"{'' if row.side == 'both' else f' ({row.side} only)'}"
        for row in both[differs].itertuples()
    ]
    shares_groups = ours.loc[ours["share_group"].notna()]
    wrong_group = shares_groups[shares_groups["share_group"] != shares_groups["group"]]
    problems += [
        f"customer {r.customer_id}: share group {r.share_group} but group {r.group}" for r in wrong_group.itertuples()
    ]

    # The groups' quantiles and sizes, and the allocation per level.
    assert q.summary is not None
    theirs_summary = {int(r.level): r for r in q.summary.itertuples()}
    for lg in p.groups.levels:
        t = theirs_summary.get(lg.level)
        mine = (lg.customers, lg.retention_to, lg.promotion_from, lg.promotion, lg.consistent, lg.retention)
        other = (
            None
            if t is None
            else (t.customers, t.retention_to, t.promotion_from, t.promotion, t.consistent, t.retention)
        )
        if mine != other:
            problems.append(f"level {lg.level} groups: Patron {mine} vs pandas {other}")
    for budget in p.budget.per_level:
        mine_cents = (int(budget.allocated * 100), int(budget.unspent * 100))
        if mine_cents != q.per_level.get(budget.level):
            other_cents = q.per_level.get(budget.level)
            problems.append(f"level {budget.level} allocated, unspent: Patron {mine_cents} vs pandas {other_cents}")
    return len(both), problems


# --- one size, and all ------------------------------------------------------------------------------------------


async def admin(url: str, statement: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def level_mix(database_url: str, run_id: int) -> str:
    connection = await asyncpg.connect(database_url)
    try:
        rows = await connection.fetch(
            "SELECT level, count(*) AS n FROM loyalty.customer_level WHERE run_id = $1 GROUP BY level ORDER BY level",
            run_id,
        )
    finally:
        await connection.close()
    return ", ".join(f"{'none' if r['level'] is None else r['level']}: {r['n']:,}" for r in rows)


def describe(sql: str) -> str:
    """A statement in a few words: what it writes, or what it reads from."""
    words = sql.split()
    if "INSERT" in words and words[words.index("INSERT") + 1] == "INTO":
        head = "WITH … " if words[0] == "WITH" else ""
        return f"{head}INSERT INTO {words[words.index('INSERT') + 2]}"
    if words[0] in ("UPDATE", "DELETE"):
        return " ".join(words[:3])
    sources = [words[i + 1] for i, w in enumerate(words[:-1]) if w == "FROM" and not words[i + 1].startswith("(")]
    source = sources[0] if sources else "?"
    return f"{'WITH … ' if words[0] == 'WITH' else ''}SELECT … FROM {source}"


def cents_of(text: str) -> int:
    return int(Decimal(text) * 100)


def one_size(args: argparse.Namespace, customers: int) -> dict[str, Any]:
    name = f"patron_bench_loyalty_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    try:
        upgrade("services.loyalty", database_url)
        asyncio.run(admin(database_url, PANDAS_TABLES))
        started = time.perf_counter()
        figures = asyncio.run(load(database_url, customers, args.seed))
        print(
            f"\n{customers:,} customers, {figures:,} with figures for {MONTH:%Y-%m}: generated and copied in "
            f"{time.perf_counter() - started:.1f}s (database {name})",
            flush=True,
        )
        p = asyncio.run(
            patron(
                database_url,
                customers=customers,
                band=args.band,
                amount=args.amount,
                level0_amount=args.level0_amount,
            )
        )
        q = asyncio.run(
            pandas_side(
                database_url, band=args.band, amount=cents_of(args.amount), level0_amount=cents_of(args.level0_amount)
            )
        )
        print(f"  levels: {asyncio.run(level_mix(database_url, p.level_run_id))}")
        print(
            f"  allocation: {p.budget.allocated} allocated, {p.budget.unspent} unspent of {p.budget.amount}; "
            f"level 0: {p.budget.level0_allocated} allocated"
        )
        compared, problems = asyncio.run(check(database_url, p, q))
        patron_total = sum(p.seconds.values())
        pandas_total = sum(q.seconds.values())
        print(
            "  Patron:  "
            + ", ".join(f"{k} {v:.2f}s" for k, v in p.seconds.items())
            + f"; total {patron_total:.2f}s (in-process service functions)"
        )
        for step, statements in p.statements.items():
            spent = sum(seconds for seconds, _ in statements)
            top = "; ".join(f"{seconds:.2f}s {describe(sql)}" for seconds, sql in statements[:3])
            print(f"    {step}: {len(statements)} statements, {spent:.2f}s in them; slowest: {top}")
        print("  pandas:  " + ", ".join(f"{k} {v:.2f}s" for k, v in q.seconds.items()) + f"; total {pandas_total:.2f}s")
        print(f"  patron / pandas: {patron_total / pandas_total:.2f}  (aim <= 1)")
        for line in q.quantile_differences:
            print(f"  note: {line}")
        if problems:
            print(f"  MISMATCH: {len(problems):,} differences between Patron and pandas; the first 10:")
            for line in problems[:10]:
                print(f"    {line}")
        else:
            print(f"  check: level, group and cents the same for all {compared:,} customers in both")
        return {
            "customers": customers,
            "patron": dict(p.seconds),
            "patron_total": patron_total,
            "pandas": dict(q.seconds),
            "pandas_total": pandas_total,
            "problems": len(problems),
        }
    finally:
        if args.keep:
            print(f"  kept database {name}")
        else:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100000,1000000", help="customers per run, comma-separated")
    parser.add_argument("--seed", type=int, default=7, help="seed of the generated month")
    parser.add_argument("--band", type=int, default=2, choices=(1, 2, 3, 4), help="the groups' band")
    parser.add_argument("--amount", default="1000000.00", help="the budget shared by levels 1 to 5")
    parser.add_argument("--level0-amount", default="10000.00", help="the budget shared by level 0")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases")
    args = parser.parse_args()
    sizes = sorted(int(size) for size in args.sizes.split(","))
    results = [one_size(args, size) for size in sizes]

    print(
        "\n| customers | Patron levels | groups | allocation | Patron total | pandas read | compute | write "
        "| pandas total | patron / pandas | check |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    for r in results:
        pt, pd_ = r["patron"], r["pandas"]
        print(
            f"| {r['customers']:,} | {pt['levels']:.2f} | {pt['groups']:.2f} | {pt['allocation']:.2f} "
            f"| **{r['patron_total']:.2f}** | {pd_['read']:.2f} | {pd_['compute']:.2f} | {pd_['write']:.2f} "
            f"| **{r['pandas_total']:.2f}** | {r['patron_total'] / r['pandas_total']:.2f} "
            f"| {'same' if r['problems'] == 0 else str(r['problems']) + ' differences'} |"
        )
    if len(results) > 1:
        small, large = results[0], results[-1]
        growth = large["customers"] / small["customers"]
        ratio = large["patron_total"] / small["patron_total"]
        print(
            f"\nPatron at {large['customers']:,} / at {small['customers']:,} customers: {ratio:.1f} "
            f"(aim <= {1.2 * growth:.0f} for {growth:.0f} times the customers)"
        )
    return 1 if any(r["problems"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
