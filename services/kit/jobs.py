"""Background jobs: named periodic and one-off jobs, each run done once across processes under a lease.

A service keeps two tables of its own schema (``job_tables``). A periodic job has one row in
``job_lease``: the slot it is due for (the start of its current interval, on the database's clock)
and who holds it; a one-off run has one row in ``job_run``, keyed by the job's name and a key given
when it is queued. A process runs nothing it has not claimed with one atomic statement, which one
process wins; the winner renews its lease while the run goes on. A process that dies stops
renewing, and once its lease has expired another process claims the run and does it again (as its
next attempt), so a job should be safe to run again after an interruption (keyed, idempotent).
"""

import asyncio
import contextlib
import functools
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from prometheus_client import Counter
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    Float,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    column,
    func,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql.selectable import TextualSelect

log = logging.getLogger("patron.jobs")

LEASE_TABLE = "job_lease"
RUN_TABLE = "job_run"
RUN_STATES = ("queued", "running", "done", "failed")


@dataclass(frozen=True)
class JobTables:
    lease: Table
    run: Table


def job_tables(metadata: MetaData) -> JobTables:
    """Define ``job_lease`` and ``job_run`` in a service's metadata, hence in its schema."""
    lease = Table(
        LEASE_TABLE,
        metadata,
        Column("name", Text, primary_key=True),
        # The slot being run, or the last one run: each slot of a job runs once.
        Column("due_at", DateTime(timezone=True), nullable=False),
        Column("lease_owner", Text, nullable=True),
        Column("lease_expires_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("started_at", DateTime(timezone=True), nullable=True),
        Column("finished_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
    )
    run = Table(
        RUN_TABLE,
        metadata,
        Column("name", Text, primary_key=True),
        Column("run_key", Text, primary_key=True),
        Column("arguments", JSONB, nullable=False, server_default=text("'{}'::jsonb")),
        Column("state", String(16), nullable=False, server_default="queued"),
        Column("lease_owner", Text, nullable=True),
        Column("lease_expires_at", DateTime(timezone=True), nullable=True),
        Column("attempts", Integer, nullable=False, server_default="0"),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
        Column("started_at", DateTime(timezone=True), nullable=True),
        Column("finished_at", DateTime(timezone=True), nullable=True),
        Column("last_error", Text, nullable=True),
        CheckConstraint("state in ('queued', 'running', 'done', 'failed')", name="state_known"),
    )
    # Claims only ever look at runs not finished: keep that index tiny however long the history gets.
    Index(f"ix_{RUN_TABLE}_pending", run.c.created_at, postgresql_where=text("state in ('queued', 'running')"))
    return JobTables(lease=lease, run=run)


@dataclass(frozen=True)
class JobRun:
    """What a job's function is told about the run it does."""

    name: str
    key: str
    attempt: int  # 1 the first time; more when a run is taken over from a process that stopped
    arguments: Mapping[str, Any] = field(default_factory=dict)
    due_at: datetime | None = None  # the slot of a periodic run


JobFunction = Callable[[JobRun], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class PeriodicJob:
    """Runs once per ``every`` (slots aligned on the epoch, on the database's clock), in one process."""

    name: str
    every: timedelta
    run: JobFunction


@dataclass(frozen=True)
class OneOffJob:
    """Runs each queued run once; ``concurrency`` is how many of its runs one process does at a time."""

    name: str
    run: JobFunction
    concurrency: int = 1


Job = PeriodicJob | OneOffJob
Executor = AsyncSession | AsyncConnection


async def enqueue(
    executor: Executor, tables: JobTables, name: str, *, key: str, arguments: Mapping[str, Any] | None = None
) -> bool:
    """Queue a run of a one-off job in the caller's transaction; False if a run with this key exists already.

    A key names one run for good: queueing it again (a retried request) adds nothing.
    """
    run = tables.run
    statement = (
        insert(run)
        .values(name=name, run_key=key, arguments=dict(arguments or {}))
        .on_conflict_do_nothing(index_elements=[run.c.name, run.c.run_key])
        .returning(run.c.run_key)
    )
    return (await executor.execute(statement)).first() is not None


async def requeue(executor: Executor, tables: JobTables, name: str, runs: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """Queue these runs (key to arguments) again if they have finished, or queue them if absent.

    A run queued or running is left alone. Returns the keys queued.
    """
    if not runs:
        return []
    run = tables.run
    rows = insert(run).values(
        [{"name": name, "run_key": key, "arguments": dict(arguments)} for key, arguments in runs.items()]
    )
    statement = rows.on_conflict_do_update(
        index_elements=[run.c.name, run.c.run_key],
        set_={
            "state": "queued",
            "arguments": rows.excluded.arguments,
            "lease_owner": None,
            "lease_expires_at": None,
        },
        where=run.c.state.in_(("done", "failed")),
    ).returning(run.c.run_key)
    return [str(key) for key in (await executor.execute(statement)).scalars()]


def process_owner() -> str:
    """Who holds a lease, as operators read it: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class _Claim:
    job: Job
    run: JobRun
    token: str  # the lease owner of this claim alone: a later claim of the same run, even here, differs


class Scheduler:
    """Claims and runs a service's jobs in the background; any number of processes may run one each.

    ``add`` registers jobs (``PeriodicJob``, ``OneOffJob``); ``start`` and ``stop`` come from the app
    lifespan. Runs of one-off jobs are queued with ``enqueue`` (the module function, in the caller's
    transaction, or the method, in its own); ``wake`` claims at once instead of at the next poll.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        tables: JobTables,
        *,
        owner: str | None = None,
        lease: timedelta = timedelta(seconds=30),
        poll_interval: float = 1.0,
        runs: Counter | None = None,
        name: str = "patron-jobs",
    ) -> None:
        if lease <= timedelta(0):
            raise ValueError("a lease lasts some time")
        self.engine = engine
        self.tables = tables
        self.owner = owner or process_owner()
        self.lease = lease
        self.poll_interval = poll_interval
        self.runs = runs
        self.name = name
        self._jobs: dict[str, Job] = {}
        self._running: dict[asyncio.Task[None], _Claim] = {}
        self._next_try: dict[str, float] = {}  # periodic job -> monotonic time of its next claim
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._wake = asyncio.Event()

    @property
    def jobs(self) -> Mapping[str, Job]:
        return self._jobs

    def add(self, job: Job) -> None:
        if job.name in self._jobs:
            raise ValueError(f"a job named {job.name!r} is registered already")
        if isinstance(job, PeriodicJob) and job.every <= timedelta(0):
            raise ValueError(f"job {job.name!r}: a period lasts some time")
        if isinstance(job, OneOffJob) and job.concurrency < 1:
            raise ValueError(f"job {job.name!r}: a concurrency of at least 1")
        self._jobs[job.name] = job
        self._wake.set()

    async def enqueue(self, name: str, *, key: str, arguments: Mapping[str, Any] | None = None) -> bool:
        """Queue a run in a transaction of its own, then claim at once; False if the key is queued already."""
        async with self.engine.begin() as connection:
            queued = await enqueue(connection, self.tables, name, key=key, arguments=arguments)
        self.wake()
        return queued

    def wake(self) -> None:
        """Claim now rather than at the next poll (e.g. right after a commit that queued a run)."""
        self._wake.set()

    async def start(self) -> None:
        """Run in the background; returns at once, even while the database is down."""
        if self._task is not None:
            return
        self._stopping.clear()
        self._task = asyncio.create_task(self._loop(), name=f"{self.name}-loop")

    async def stop(self, grace: float = 5.0) -> None:
        """Claim nothing more; give runs under way ``grace`` seconds, then cancel them.

        A cancelled run gives its lease back, so another process takes it over at once rather than
        after the lease expires.
        """
        self._stopping.set()
        self._wake.set()
        deadline = time.monotonic() + grace
        task, self._task = self._task, None
        if task is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), timeout=grace)
            if not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
        running = list(self._running)
        if running:
            _, pending = await asyncio.wait(running, timeout=max(deadline - time.monotonic(), 0.0))
            for execution in pending:
                execution.cancel()
            await asyncio.gather(*running, return_exceptions=True)

    async def tick(self) -> int:
        """Claim and start every run that is due and fits; returns how many were started."""
        started = 0
        for job in list(self._jobs.values()):
            if self._stopping.is_set():
                return started
            if not isinstance(job, PeriodicJob) or self._busy(job.name):
                continue
            if self._next_try.get(job.name, 0.0) <= time.monotonic():
                claim = await self._claim_periodic(job)
                if claim is not None:
                    self._launch(claim)
                    started += 1
        while not self._stopping.is_set():
            names = [
                job.name
                for job in self._jobs.values()
                if isinstance(job, OneOffJob) and self._busy(job.name) < job.concurrency
            ]
            if not names:
                break
            claim = await self._claim_one_off(names)
            if claim is None:
                break
            self._launch(claim)
            started += 1
        return started

    async def _loop(self) -> None:
        backoff = self.poll_interval
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                await self.tick()
                backoff = self.poll_interval
                pause = self._until_due()
            except Exception:
                # Most likely the database; nothing was claimed, so nothing is lost.
                log.exception("jobs %s: cannot claim runs; retrying in %.1fs", self.name, backoff)
                pause = backoff
                backoff = min(backoff * 2, 30.0)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)

    def _until_due(self) -> float:
        now = time.monotonic()
        pause = self.poll_interval
        for job in self._jobs.values():
            if isinstance(job, PeriodicJob) and not self._busy(job.name):
                pause = min(pause, self._next_try.get(job.name, 0.0) - now)
        return max(pause, 0.0)

    def _busy(self, name: str) -> int:
        return sum(1 for claim in self._running.values() if claim.job.name == name)

    def _token(self) -> str:
        return f"{self.owner}:{uuid.uuid4().hex[:12]}"

    @property
    def _lease_seconds(self) -> float:
        return self.lease.total_seconds()

    # Claims: one statement each, which exactly one process wins.

    async def _claim_periodic(self, job: PeriodicJob) -> _Claim | None:
        token = self._token()
        every = job.every.total_seconds()
        values = {"name": job.name, "owner": token, "lease": self._lease_seconds, "every": every}
        async with self.engine.begin() as connection:
            row = (await connection.execute(self._periodic_claim, values)).first()
            if row is None:
                status = (await connection.execute(self._periodic_status, {"name": job.name, "every": every})).first()
        if row is not None:
            due_at: datetime = row.due_at
            return _Claim(job, JobRun(job.name, due_at.isoformat(), int(row.attempts), {}, due_at), token)
        pause = every
        if status is not None:
            pause = float(status.slot_left)
            if status.unfinished and status.lease_left is not None:
                # Held by a process that may die: look again when its lease runs out.
                pause = min(pause, max(float(status.lease_left), 0.0) + 0.05)
        self._next_try[job.name] = time.monotonic() + pause
        return None

    async def _claim_one_off(self, names: list[str]) -> _Claim | None:
        token = self._token()
        values = {"names": names, "owner": token, "lease": self._lease_seconds}
        async with self.engine.begin() as connection:
            row = (await connection.execute(self._one_off_claim, values)).first()
        if row is None:
            return None
        run = JobRun(row.name, row.run_key, int(row.attempts), dict(row.arguments or {}))
        return _Claim(self._jobs[row.name], run, token)

    @functools.cached_property
    def _periodic_claim(self) -> TextualSelect:
        """Claim the current slot if the last one is finished (or abandoned), or take over an abandoned current one."""
        lease = self.tables.lease.fullname
        return text(
            f"""
            INSERT INTO {lease} AS l
                (name, due_at, lease_owner, lease_expires_at, attempts, started_at, finished_at, last_error)
            SELECT :name, slot.due_at, :owner, now() + make_interval(secs => :lease), 1, now(), NULL, NULL
            FROM (
                SELECT to_timestamp(CAST(
                    floor(extract(epoch FROM now()) / CAST(CAST(:every AS float8) AS numeric))
                    * CAST(CAST(:every AS float8) AS numeric) AS float8)) AS due_at
            ) AS slot
            ON CONFLICT (name) DO UPDATE SET
                due_at = excluded.due_at,
                lease_owner = excluded.lease_owner,
                lease_expires_at = excluded.lease_expires_at,
                attempts = CASE WHEN l.due_at = excluded.due_at THEN l.attempts + 1 ELSE 1 END,
                started_at = excluded.started_at,
                finished_at = NULL,
                last_error = CASE WHEN l.due_at = excluded.due_at THEN l.last_error END
            WHERE (l.due_at < excluded.due_at AND (l.finished_at IS NOT NULL OR l.lease_expires_at <= now()))
               OR (l.due_at = excluded.due_at AND l.finished_at IS NULL AND l.lease_expires_at <= now())
            RETURNING l.due_at, l.attempts
            """
        ).columns(column("due_at", DateTime(timezone=True)), column("attempts", Integer))

    @functools.cached_property
    def _periodic_status(self) -> TextualSelect:
        """Seconds to the next slot, and whether the current run is unfinished and for how long it is leased."""
        lease = self.tables.lease.fullname
        return text(
            f"""
            SELECT CAST(:every AS float8) - CAST(
                       mod(extract(epoch FROM now()), CAST(CAST(:every AS float8) AS numeric)) AS float8
                   ) AS slot_left,
                   finished_at IS NULL AS unfinished,
                   CAST(extract(epoch FROM lease_expires_at - now()) AS float8) AS lease_left
            FROM {lease}
            WHERE name = :name
            """
        ).columns(column("slot_left", Float), column("unfinished"), column("lease_left", Float))

    @functools.cached_property
    def _one_off_claim(self) -> TextualSelect:
        """The oldest queued run of these jobs, or one whose lease expired (its process died)."""
        run = self.tables.run.fullname
        return text(
            f"""
            UPDATE {run} AS r
            SET state = 'running', lease_owner = :owner, lease_expires_at = now() + make_interval(secs => :lease),
                attempts = r.attempts + 1, started_at = now(), finished_at = NULL
            FROM (
                SELECT name, run_key FROM {run}
                WHERE name = ANY(CAST(:names AS text[]))
                  AND (state = 'queued' OR (state = 'running' AND lease_expires_at <= now()))
                ORDER BY created_at, name, run_key
                LIMIT 1
                FOR UPDATE SKIP LOCKED
            ) AS next
            WHERE r.name = next.name AND r.run_key = next.run_key
            RETURNING r.name, r.run_key, r.arguments, r.attempts
            """
        ).columns(
            column("name", Text), column("run_key", Text), column("arguments", JSONB), column("attempts", Integer)
        )

    # A run: done in a task of its own, its lease renewed until it ends.

    def _launch(self, claim: _Claim) -> None:
        task = asyncio.create_task(self._execute(claim), name=f"{self.name}-{claim.run.name}")
        self._running[task] = claim
        task.add_done_callback(self._ended)

    def _ended(self, task: asyncio.Task[None]) -> None:
        claim = self._running.pop(task, None)
        if claim is not None and isinstance(claim.job, PeriodicJob):
            self._next_try[claim.job.name] = 0.0
        self._wake.set()

    async def _execute(self, claim: _Claim) -> None:
        run = claim.run
        if run.attempt > 1:
            log.warning("job %s run %s: attempt %d (an earlier one did not finish)", run.name, run.key, run.attempt)
        work = asyncio.create_task(claim.job.run(run), name=f"{self.name}-{run.name}-work")
        outcome = "done"
        try:
            while True:
                finished, _ = await asyncio.wait({work}, timeout=self._lease_seconds / 3)
                if finished:
                    break
                if not await self._renew(claim):
                    log.error("job %s run %s: lease lost to another process; this attempt stops", run.name, run.key)
                    outcome = "lost"
                    work.cancel()
                    await asyncio.gather(work, return_exceptions=True)
                    return
            error = None
            if work.cancelled():
                error = "cancelled"
            elif (exc := work.exception()) is not None:
                error = f"{type(exc).__name__}: {exc}"
                log.error("job %s run %s failed", run.name, run.key, exc_info=exc)
            outcome = "done" if error is None else "failed"
            await self._finish(claim, error)
        except asyncio.CancelledError:
            outcome = "released"
            work.cancel()
            await asyncio.gather(work, return_exceptions=True)
            await self._release(claim)
            raise
        finally:
            if self.runs is not None:
                self.runs.labels(run.name, outcome).inc()

    def _lease_table(self, claim: _Claim) -> tuple[Table, Any]:
        """The table holding a claim's lease, and the condition that it still holds it."""
        if isinstance(claim.job, PeriodicJob):
            lease = self.tables.lease
            return lease, (lease.c.name == claim.run.name) & (lease.c.lease_owner == claim.token) & (
                lease.c.finished_at.is_(None)
            )
        run = self.tables.run
        return run, (
            (run.c.name == claim.run.name)
            & (run.c.run_key == claim.run.key)
            & (run.c.lease_owner == claim.token)
            & (run.c.state == "running")
        )

    async def _renew(self, claim: _Claim) -> bool:
        """Extend the lease; False only if another process holds it now. A database error keeps trying."""
        table, held = self._lease_table(claim)
        statement = update(table).where(held).values(lease_expires_at=func.now() + self.lease)
        try:
            async with self.engine.begin() as connection:
                return bool((await connection.execute(statement)).rowcount)
        except Exception:
            log.warning("job %s run %s: cannot renew the lease; trying again", claim.run.name, claim.run.key)
            return True

    async def _finish(self, claim: _Claim, error: str | None) -> None:
        table, held = self._lease_table(claim)
        values: dict[str, Any] = {"finished_at": func.now(), "lease_expires_at": None, "last_error": error}
        if table is self.tables.run:
            values["state"] = "done" if error is None else "failed"
        statement = update(table).where(held).values(**values)
        for attempt in range(3):
            try:
                async with self.engine.begin() as connection:
                    await connection.execute(statement)
                return
            except Exception:
                log.warning("job %s run %s: cannot record its end", claim.run.name, claim.run.key, exc_info=True)
                await asyncio.sleep(0.5 * (attempt + 1))
        # Unrecorded, the run is done again by whoever claims it after the lease expires.

    async def _release(self, claim: _Claim) -> None:
        """Give the lease back (the scheduler is stopping) so another process takes the run over at once."""
        table, held = self._lease_table(claim)
        values: dict[str, Any] = {"lease_expires_at": func.now()}
        if table is self.tables.run:
            values = {"state": "queued", "lease_owner": None, "lease_expires_at": None}
        try:
            async with self.engine.begin() as connection:
                await connection.execute(update(table).where(held).values(**values))
        except Exception:
            log.warning("job %s run %s: cannot give the lease back; it expires", claim.run.name, claim.run.key)
