"""Background jobs run once across processes, under a lease; a run whose process died is taken over."""

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import asyncpg
import pytest

from services.customer.jobs import jobs
from services.kit.db import create_engine
from services.kit.jobs import JobRun, OneOffJob, PeriodicJob, Scheduler, enqueue, requeue
from tests.conftest import TEST_SECRET
from tests.kit.jobs_process import RECORD_TABLE
from tests.support.processes import ROOT


async def eventually(check: Any, what: str, timeout: float = 60.0) -> None:
    """Wait until the awaitable ``check()`` is true (a functional timeout, not a speed threshold)."""
    deadline = time.monotonic() + timeout
    while not await check():
        assert time.monotonic() < deadline, f"still waiting for {what}"
        await asyncio.sleep(0.1)


@contextmanager
def scheduler_process(database_url: str, owner: str, log_dir: Path, hang: tuple[str, ...] = ()) -> Iterator[Any]:
    """``tests.kit.jobs_process`` as a real process; stopped with SIGTERM (if still alive) when the block ends."""
    log = log_dir / f"jobs-{owner}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.kit.jobs_process", database_url, owner, "--hang", *hang],
            cwd=ROOT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def records(db: asyncpg.Connection, job: str, event: str) -> list[asyncpg.Record]:
    return await db.fetch(
        "SELECT run_key, owner, attempt, at FROM public.job_record WHERE job = $1 AND event = $2 ORDER BY id",
        job,
        event,
    )


async def ready(db: asyncpg.Connection, *owners: str) -> None:
    async def all_ready() -> bool:
        found = {r["run_key"] for r in await records(db, "process", "ready")}
        return set(owners) <= found

    await eventually(all_ready, f"processes {owners} to start")


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[Any]:
    engine = create_engine(database_url, pool_size=4)
    yield engine
    await engine.dispose()


async def test_two_processes_run_each_periodic_slot_and_queued_run_exactly_once(database_url, db, engine, tmp_path):
    await db.execute(RECORD_TABLE)
    with scheduler_process(database_url, "a", tmp_path) as a, scheduler_process(database_url, "b", tmp_path) as b:
        await ready(db, "a", "b")
        keys = [f"w{n}" for n in range(40)]
        async with engine.begin() as connection:
            for key in keys:
                assert await enqueue(connection, jobs, "work", key=key, arguments={"n": key})
            assert not await enqueue(connection, jobs, "work", key="w0")  # a key names one run for good

        async def all_work_done() -> bool:
            done = await db.fetchval("SELECT count(*) FROM customer.job_run WHERE name = 'work' AND state = 'done'")
            return bool(done == len(keys))

        async def several_ticks() -> bool:
            return len({r["run_key"] for r in await records(db, "tick", "finish")}) >= 4

        await eventually(all_work_done, "every queued run to be done")
        await eventually(several_ticks, "four periodic slots")
        for process in (a, b):
            process.send_signal(signal.SIGTERM)
        assert a.wait(timeout=30) == 0 and b.wait(timeout=30) == 0

    for event in ("start", "finish"):
        work = Counter(r["run_key"] for r in await records(db, "work", event))
        assert work == Counter(keys), f"{event}: {work}"
        for job in ("tick", "hourly"):
            slots = Counter(r["run_key"] for r in await records(db, job, event))
            assert slots and set(slots.values()) == {1}, f"{job} {event}: {slots}"
    runs = await db.fetch("SELECT state, attempts, last_error FROM customer.job_run WHERE name = 'work'")
    assert {(r["state"], r["attempts"], r["last_error"]) for r in runs} == {("done", 1, None)}
    # Slots are aligned on whole seconds of the database's clock, one a second.
    ticks = sorted(datetime.fromisoformat(r["run_key"]) for r in await records(db, "tick", "start"))
    assert all(t.microsecond == 0 and t.tzinfo is not None for t in ticks)
    assert all(later > earlier for earlier, later in pairwise(ticks))


async def test_a_run_whose_process_is_killed_is_taken_over_after_its_lease_expires(database_url, db, engine, tmp_path):
    await db.execute(RECORD_TABLE)
    with scheduler_process(database_url, "victim", tmp_path, hang=("slow", "hourly")) as victim:
        await ready(db, "victim")
        async with engine.begin() as connection:
            await enqueue(connection, jobs, "slow", key="s1", arguments={"size": 1})

        async def victim_started_both() -> bool:
            return bool(await records(db, "slow", "start")) and bool(await records(db, "hourly", "start"))

        await eventually(victim_started_both, "the victim to start both runs")
        with scheduler_process(database_url, "survivor", tmp_path) as survivor:
            await ready(db, "survivor")
            await asyncio.sleep(1.0)  # the survivor's scheduler polls; both runs are leased, so it waits
            assert {r["owner"] for r in await records(db, "slow", "start")} == {"victim"}
            assert {r["owner"] for r in await records(db, "hourly", "start")} == {"victim"}
            owner = await db.fetchval("SELECT lease_owner FROM customer.job_run WHERE name = 'slow' AND run_key = 's1'")
            assert owner.startswith("victim:")

            victim.send_signal(signal.SIGKILL)
            victim.wait(timeout=30)
            killed_at = datetime.now(UTC)

            async def survivor_finished_both() -> bool:
                slow = await records(db, "slow", "finish")
                hourly = await records(db, "hourly", "finish")
                return bool(slow) and bool(hourly)

            await eventually(survivor_finished_both, "the survivor to take both runs over")
            survivor.send_signal(signal.SIGTERM)
            assert survivor.wait(timeout=30) == 0

    slow_starts = await records(db, "slow", "start")
    assert [(r["owner"], r["attempt"]) for r in slow_starts] == [("victim", 1), ("survivor", 2)]
    assert [(r["owner"], r["run_key"]) for r in await records(db, "slow", "finish")] == [("survivor", "s1")]
    # Taken over only once the victim, renewing its lease until killed, had let it expire.
    assert slow_starts[1]["at"] >= killed_at - timedelta(seconds=0.5)
    run = await db.fetchrow("SELECT * FROM customer.job_run WHERE name = 'slow' AND run_key = 's1'")
    assert (run["state"], run["attempts"], run["arguments"]) == ("done", 2, '{"size": 1}')
    assert run["lease_owner"].startswith("survivor:")

    hourly_finishes = await records(db, "hourly", "finish")
    assert [r["owner"] for r in hourly_finishes] == ["survivor"]
    hourly_slots = Counter(r["run_key"] for r in await records(db, "hourly", "start"))
    assert set(hourly_slots.values()) <= {1, 2}  # the killed slot, started twice, finished once
    lease_row = await db.fetchrow("SELECT * FROM customer.job_lease WHERE name = 'hourly'")
    assert lease_row["finished_at"] is not None and lease_row["last_error"] is None
    assert lease_row["due_at"].isoformat() == hourly_finishes[0]["run_key"]


async def test_a_failed_run_is_recorded_and_not_run_again_and_a_stopped_one_is_given_back(engine, db):
    from prometheus_client import CollectorRegistry
    from prometheus_client import Counter as Metric

    registry = CollectorRegistry()
    runs = Metric("patron_job_runs_total", "runs", ["job", "outcome"], registry=registry)
    started: list[JobRun] = []
    release = asyncio.Event()

    async def broken(run: JobRun) -> None:
        started.append(run)
        raise RuntimeError("no such file")

    async def endless(run: JobRun) -> None:
        started.append(run)
        await release.wait()

    scheduler = Scheduler(engine, jobs, owner="solo", lease=timedelta(seconds=30), poll_interval=0.05, runs=runs)
    scheduler.add(OneOffJob("broken", broken))
    scheduler.add(OneOffJob("endless", endless))
    with pytest.raises(ValueError, match="registered already"):
        scheduler.add(OneOffJob("broken", broken))
    await scheduler.start()
    try:
        assert await scheduler.enqueue("broken", key="1")
        assert await scheduler.enqueue("endless", key="1", arguments={"x": 1})

        async def both_started() -> bool:
            return {r.name for r in started} == {"broken", "endless"}

        await eventually(both_started, "both runs to start")

        async def broken_failed() -> bool:
            return await db.fetchval("SELECT state FROM customer.job_run WHERE name = 'broken'") == "failed"

        await eventually(broken_failed, "the failure to be recorded")
    finally:
        await scheduler.stop(grace=0.2)
    failed = await db.fetchrow("SELECT * FROM customer.job_run WHERE name = 'broken'")
    assert failed["last_error"] == "RuntimeError: no such file" and failed["attempts"] == 1
    # Stopped mid-run, the endless run was given back: queued again for any process, at once.
    given_back = await db.fetchrow("SELECT * FROM customer.job_run WHERE name = 'endless'")
    assert (given_back["state"], given_back["lease_owner"], given_back["attempts"]) == ("queued", None, 1)
    assert [r.name for r in started].count("broken") == 1
    assert registry.get_sample_value("patron_job_runs_total", {"job": "broken", "outcome": "failed"}) == 1
    assert registry.get_sample_value("patron_job_runs_total", {"job": "endless", "outcome": "released"}) == 1

    # A failed run is queued again only when asked for (an import's sweep does).
    async with engine.begin() as connection:
        assert sorted(await requeue(connection, jobs, "broken", {"1": {}, "2": {}})) == ["1", "2"]
        assert await requeue(connection, jobs, "broken", {"1": {}}) == []  # queued already: left alone
    again = Scheduler(engine, jobs, owner="again", poll_interval=0.05)
    seen: list[JobRun] = []

    async def record(run: JobRun) -> None:
        seen.append(run)

    again.add(OneOffJob("broken", record))
    again.add(OneOffJob("endless", record))
    await again.start()
    try:

        async def three_ran() -> bool:
            return len(seen) == 3

        await eventually(three_ran, "the requeued runs and the given-back one")
    finally:
        await again.stop()
    assert sorted((r.name, r.key, r.attempt) for r in seen) == [
        ("broken", "1", 2),
        ("broken", "2", 1),
        ("endless", "1", 2),
    ]
    assert next(r for r in seen if r.name == "endless").arguments == {"x": 1}


async def test_a_periodic_slot_already_run_elsewhere_is_not_run_again(engine, db):
    ran: list[tuple[str, JobRun]] = []

    def job(owner: str) -> PeriodicJob:
        async def run(run: JobRun) -> None:
            ran.append((owner, run))

        return PeriodicJob("daily", timedelta(days=1), run)

    first = Scheduler(engine, jobs, owner="first", poll_interval=0.05)
    first.add(job("first"))
    assert await first.tick() == 1

    async def first_ran() -> bool:
        return await db.fetchval("SELECT finished_at FROM customer.job_lease WHERE name = 'daily'") is not None

    await eventually(first_ran, "the first run to end")
    await first.stop()
    second = Scheduler(engine, jobs, owner="second", poll_interval=0.05)
    second.add(job("second"))
    assert await second.tick() == 0  # today's slot is done
    await second.stop()
    assert [owner for owner, _ in ran] == ["first"]
    (_, run), today = ran[0], datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    assert run.due_at in (today, today - timedelta(days=1))  # the day's slot, on the database's clock
    assert run.key == run.due_at.isoformat() and run.attempt == 1


async def test_the_outbox_purge_job_deletes_sent_events_past_the_retention_and_keeps_the_rest(database_url, db):
    from services.customer.app import create_app
    from services.customer.settings import CustomerSettings
    from services.kit.app import OUTBOX_PURGE_JOB

    now = datetime.now(UTC)
    rows = {
        "sent long ago": now - timedelta(days=30),
        "sent just past the retention": now - timedelta(days=7, minutes=5),
        "sent within the retention": now - timedelta(days=6, hours=23),
        "sent today": now - timedelta(minutes=1),
        "unsent": None,
    }
    for seq, (name, sent_at) in enumerate(rows.items(), start=1):
        occurred = (sent_at or now) - timedelta(seconds=1)
        await db.execute(
            "INSERT INTO customer.event_outbox"
            " (event_id, type, version, subject, aggregate_id, seq, occurred_at, payload, sent_at)"
            " VALUES ($1, 'test.event', 1, 'patron.customer.test.event', $2, $3, $4, '{}', $5)",
            uuid.uuid4(),
            name,
            seq,
            occurred,
            sent_at,
        )
    # An unsent event is kept however old it is: it has yet to be published.
    await db.execute("UPDATE customer.event_outbox SET occurred_at = now() - interval '90 days' WHERE sent_at IS NULL")

    settings = CustomerSettings(
        database_url=database_url,
        environment="test",
        internal_secret=TEST_SECRET,
        events_relay=False,
        outbox_retention_days=7,
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):

        async def purged() -> bool:
            finished = await db.fetchval("SELECT finished_at FROM customer.job_lease WHERE name = $1", OUTBOX_PURGE_JOB)
            return finished is not None

        await eventually(purged, "the purge job to run")
        metric = app.state.metrics.registry.get_sample_value(
            "patron_job_runs_total", {"job": OUTBOX_PURGE_JOB, "outcome": "done"}
        )
    kept = {r["aggregate_id"] for r in await db.fetch("SELECT aggregate_id FROM customer.event_outbox")}
    assert kept == {"sent within the retention", "sent today", "unsent"}
    lease = await db.fetchrow("SELECT * FROM customer.job_lease WHERE name = $1", OUTBOX_PURGE_JOB)
    assert lease["last_error"] is None and lease["attempts"] == 1 and lease["due_at"].minute == 0
    assert metric == 1


def test_outbox_retention_is_a_setting_of_at_least_a_day() -> None:
    from pydantic import ValidationError

    from services.customer.settings import CustomerSettings

    assert CustomerSettings().outbox_retention_days == 7
    with pytest.raises(ValidationError):
        CustomerSettings(outbox_retention_days=0)
