"""One process of tests/kit/test_jobs.py: a Scheduler on the customer schema's job tables, recording each run.

``python -m tests.kit.jobs_process DATABASE_URL OWNER [--hang JOB ...]`` runs until SIGTERM. Every run
writes a ``start`` and a ``finish`` row into ``public.job_record``; a job named by ``--hang`` starts
and then never finishes in this process (the test kills it there).
"""

import argparse
import asyncio
import signal
from datetime import timedelta

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from services.customer.jobs import jobs
from services.kit.db import create_engine
from services.kit.jobs import JobFunction, JobRun, OneOffJob, PeriodicJob, Scheduler

RECORD_TABLE = """
CREATE TABLE IF NOT EXISTS public.job_record (
    id bigserial PRIMARY KEY,
    job text NOT NULL,
    run_key text NOT NULL,
    owner text NOT NULL,
    attempt integer NOT NULL,
    event text NOT NULL,
    at timestamptz NOT NULL DEFAULT clock_timestamp()
)
"""

LEASE = timedelta(seconds=4)


async def record(engine: AsyncEngine, owner: str, job: str, key: str, attempt: int, event: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO public.job_record (job, run_key, owner, attempt, event)"
                " VALUES (:job, :key, :owner, :attempt, :event)"
            ),
            {"job": job, "key": key, "owner": owner, "attempt": attempt, "event": event},
        )


def recording(engine: AsyncEngine, owner: str, seconds: float, hang: bool) -> JobFunction:
    async def run(job: JobRun) -> None:
        await record(engine, owner, job.name, job.key, job.attempt, "start")
        if hang:
            await asyncio.sleep(3600)
        await asyncio.sleep(seconds)
        await record(engine, owner, job.name, job.key, job.attempt, "finish")

    return run


async def main(database_url: str, owner: str, hang: set[str]) -> None:
    engine = create_engine(database_url, pool_size=6, application_name=f"jobs-{owner}")
    scheduler = Scheduler(engine, jobs, owner=owner, lease=LEASE, poll_interval=0.1)
    scheduler.add(PeriodicJob("tick", timedelta(seconds=1), recording(engine, owner, 0.2, "tick" in hang)))
    scheduler.add(PeriodicJob("hourly", timedelta(hours=1), recording(engine, owner, 0.1, "hourly" in hang)))
    scheduler.add(OneOffJob("work", recording(engine, owner, 0.05, "work" in hang), concurrency=2))
    scheduler.add(OneOffJob("slow", recording(engine, owner, 0.1, "slow" in hang)))
    stopping = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stopping.set)
    await scheduler.start()
    await record(engine, owner, "process", owner, 1, "ready")
    await stopping.wait()
    await scheduler.stop()
    await engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("database_url")
    parser.add_argument("owner")
    parser.add_argument("--hang", nargs="*", default=[])
    arguments = parser.parse_args()
    asyncio.run(main(arguments.database_url, arguments.owner, set(arguments.hang)))
