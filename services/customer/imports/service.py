"""Import jobs: create, list and read them, and run them as background jobs, one at a time per process.

A job is queued when its files are stored, together with a run of the background job ``import``
keyed by its id (``services.kit.jobs``): one process of the service claims the run under a lease,
profiles every file (nothing is written if a file cannot be read), then loads each file in
batches, one transaction per batch, with the job's progress committed in the same transaction;
several batches load at once, each on its own connection, while the next is being cleaned. A run
whose process died is taken over by another once its lease expires, and runs again: loading is
keyed, so running it again adds only what is missing.
"""

import asyncio
import contextlib
import json
import logging
import re
import shutil
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from services.customer.imports.cleaning import DateOrder
from services.customer.imports.loader import (
    LOADERS,
    BatchResult,
    LoadContext,
    RoleLoader,
    ensure_service_product,
    prepare_session,
)
from services.customer.imports.models import ImportJob
from services.customer.imports.pipeline import (
    MAX_REJECTIONS_LISTED,
    Batch,
    CleaningTally,
    Inspection,
    PlannedFile,
    RowCleaner,
    batches,
    inspect,
)
from services.customer.imports.presets import PRESETS
from services.customer.imports.reader import FileProblem
from services.customer.imports.schemas import ImportFile, ImportJobPublic, ImportProgress, ImportState
from services.customer.jobs import jobs
from services.customer.settings import CustomerSettings
from services.kit.db import table_of
from services.kit.errors import NotFound
from services.kit.jobs import JobRun, OneOffJob, PeriodicJob, enqueue, requeue
from services.kit.pagination import PageParams, SortKey, paginate
from services.kit.settings import ServiceSettings

log = logging.getLogger("patron.imports")

_c = table_of(ImportJob).c
NEWEST_FIRST = SortKey("-id", _c.id, descending=True)

# A batch's statements handle tens of thousands of rows at once: room to sort them in memory, and
# no JIT (the planner's row estimates for fresh staging tables make it compile for seconds).
BATCH_SETTINGS = "SET LOCAL work_mem = '64MB'; SET LOCAL jit = off"
# Concurrent batches that share new customers or repeated bills can deadlock; PostgreSQL aborts one.
DEADLOCK_ATTEMPTS = 3

# The background jobs: a run of ``import`` per import job, a sweep queueing a run again for an
# import whose run ended without ending it (its last write failed, or it predates the scheduler), and
# one deleting the stored files of imports that have ended (a failed one's once their time is up).
IMPORT_JOB = "import"
REQUEUE_JOB = "import.requeue"
REQUEUE_EVERY = timedelta(seconds=5)
DISCARD_JOB = "import.discard"
DISCARD_EVERY = timedelta(minutes=10)


@dataclass(frozen=True)
class ImportSettings:
    directory: Path
    max_bytes: int
    batch_rows: int
    loaders: int
    base_currency: str
    business_timezone: str
    keep_failed: timedelta  # how long the files of a failed import are kept

    @classmethod
    def of(cls, settings: CustomerSettings) -> "ImportSettings":
        return cls(
            directory=settings.import_folder.resolve(),
            max_bytes=settings.import_max_bytes,
            batch_rows=settings.import_batch_rows,
            loaders=settings.import_loaders,
            base_currency=settings.base_currency,
            business_timezone=settings.business_timezone,
            keep_failed=timedelta(hours=settings.import_keep_failed_hours),
        )


def to_public(job: ImportJob) -> ImportJobPublic:
    return ImportJobPublic(
        id=job.id or 0,
        preset=job.preset,
        state=ImportState(job.state),
        files=[ImportFile.model_validate(f) for f in job.files],
        options={k: v for k, v in job.options.items()},
        progress=ImportProgress(rows_done=job.rows_done, rows_total=job.rows_total),
        report=job.report,
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
    )


async def create_job(
    session: AsyncSession,
    *,
    preset: str,
    planned: list[PlannedFile],
    skipped: list[dict[str, str]],
    options: dict[str, Any],
    created_by: str,
) -> ImportJob:
    job = ImportJob(
        preset=preset,
        files=[item.describe() for item in planned],
        options=options,
        report={"skipped_files": skipped} if skipped else {},
        created_by=created_by,
    )
    session.add(job)
    await session.flush()
    await session.refresh(job)
    assert job.id is not None
    await enqueue(session, jobs, IMPORT_JOB, key=str(job.id), arguments={"import_id": job.id})
    return job


async def get_job_or_raise(session: AsyncSession, *, job_id: int) -> ImportJob:
    job = (await session.execute(select(ImportJob).where(_c.id == job_id))).scalar_one_or_none()
    if job is None:
        raise NotFound(f"import {job_id} does not exist")
    return job


async def list_jobs(
    session: AsyncSession, *, state: ImportState | None, page: PageParams
) -> tuple[list[ImportJob], str | None]:
    statement = select(ImportJob)
    if state is not None:
        statement = statement.where(_c.state == state.value)
    return await paginate(session, statement, sort=NEWEST_FIRST, params=page)


@dataclass
class FileReport:
    name: str
    role: str
    encoding: str
    bom: bool
    delimiter: str
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    date_formats: dict[str, Any] = field(default_factory=dict)
    cleaning: dict[str, dict[str, int]] = field(default_factory=dict)
    profile: list[dict[str, Any]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


@dataclass
class JobReport:
    preset: str
    skipped_files: list[dict[str, str]] = field(default_factory=list)
    files: list[FileReport] = field(default_factory=list)
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    already_present: dict[str, int] = field(default_factory=dict)
    merged: dict[str, int] = field(default_factory=dict)
    rejected_count: int = 0
    rejected_rows: list[dict[str, Any]] = field(default_factory=list)
    emptied_count: int = 0
    emptied_values: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    resumed: bool = False
    events: int = 0  # announced: batch events of what was created, single events of what was changed
    events_through: int | None = None  # the outbox id of the last event written when the job ended

    def absorb(
        self,
        file: FileReport,
        rows: int,
        accepted: int,
        skipped: dict[str, int],
        result: BatchResult,
        emptied: list[tuple[int, str, str]],
    ) -> None:
        file.rows += rows
        for reason, count in skipped.items():
            file.skipped[reason] = file.skipped.get(reason, 0) + count
        for target, source in (
            (self.created, result.created),
            (self.updated, result.updated),
            (self.already_present, result.present),
            (self.merged, result.merged),
        ):
            for name, count in source.items():
                target[name] = target.get(name, 0) + count
        self.events += result.events
        file.rejected += len(result.rejections)
        file.accepted += accepted
        self.rejected_count += len(result.rejections)
        room = MAX_REJECTIONS_LISTED - len(self.rejected_rows)
        for row, column, reason in result.rejections[: max(room, 0)]:
            self.rejected_rows.append({"file": file.name, "row": row, "column": column, "reason": reason})
        self.emptied_count += len(emptied)
        room = MAX_REJECTIONS_LISTED - len(self.emptied_values)
        for row, column, reason in emptied[: max(room, 0)]:
            self.emptied_values.append({"file": file.name, "row": row, "column": column, "reason": reason})

    def as_dict(self) -> dict[str, Any]:
        rows = sum(f.rows for f in self.files)
        skipped = sum(sum(f.skipped.values()) for f in self.files)
        return {
            "preset": self.preset,
            "resumed": self.resumed,
            "rows": {
                "read": rows,
                "accepted": sum(f.accepted for f in self.files),
                "skipped": skipped,
                "rejected": self.rejected_count,
            },
            "created": self.created,
            "updated": self.updated,
            "already_present": self.already_present,
            # Of those, rows of a customers file merged into a customer by its key (``customer_merge`` says which).
            "merged": self.merged,
            "rejected": {
                "count": self.rejected_count,
                "listed": len(self.rejected_rows),
                "rows": self.rejected_rows,
            },
            "events": {"announced": self.events, "through_outbox_id": self.events_through},
            # Bad values of optional columns: left empty, their rows taken.
            "emptied": {
                "count": self.emptied_count,
                "listed": len(self.emptied_values),
                "values": self.emptied_values,
            },
            "warnings": self.warnings,
            "skipped_files": self.skipped_files,
            "files": [
                {
                    "name": f.name,
                    "role": f.role,
                    "encoding": f.encoding,
                    "bom": f.bom,
                    "delimiter": f.delimiter,
                    "rows": {
                        "read": f.rows,
                        "accepted": f.accepted,
                        "rejected": f.rejected,
                        "skipped": f.skipped,
                    },
                    "unmapped_columns": f.unmapped,
                    "date_formats": f.date_formats,
                    "cleaning": f.cleaning,
                    "profile": f.profile,
                }
                for f in self.files
            ],
        }


def _loads(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


async def _set_job(conn: Any, job_id: int, **values: Any) -> None:
    assignments = ", ".join(f"{name} = ${index}" for index, name in enumerate(values, start=2))
    encoded = [json.dumps(v) if name == "report" else v for name, v in values.items()]
    await conn.execute(f"UPDATE customer.import_job SET {assignments} WHERE id = $1", job_id, *encoded)


async def run_job(engine: AsyncEngine, job_id: int, settings: ImportSettings) -> None:
    """Profile then load every file of one claimed (running) job, and leave it done or failed."""
    async with engine.connect() as connection:
        conn: Any = (await connection.get_raw_connection()).driver_connection
        row = await conn.fetchrow("SELECT * FROM customer.import_job WHERE id = $1", job_id)
        preset = PRESETS[row["preset"]]
        options = _loads(row["options"]) or {}
        previous = _loads(row["report"]) or {}
        mapping: dict[str, str] = options.get("mapping") or {}
        report = JobReport(preset=preset.name, skipped_files=previous.get("skipped_files", []))
        report.resumed = bool(previous.get("resumed"))
        try:
            planned = [PlannedFile.from_description(preset, f, mapping) for f in _loads(row["files"])]
            order = DateOrder(options.get("date_order") or preset.date_order)
            inspections: list[Inspection] = []
            for item in planned:
                inspections.append(await asyncio.to_thread(inspect, item, preset.spec(item.role), order))
            for item, inspection in zip(planned, inspections, strict=True):
                file = FileReport(
                    item.name, item.role, item.layout.encoding_name, item.layout.bom, item.layout.delimiter
                )
                file.unmapped = [name for _, name in item.unmapped]
                file.profile = [profile.summary() for profile in inspection.profiles]
                header = item.layout.header
                for field_name, detected in inspection.date_formats.items():
                    column = header[item.fields[field_name]]
                    file.date_formats[column] = {
                        "order": detected.order.value,
                        "patterns": detected.patterns,
                        "ambiguous": detected.ambiguous,
                    }
                    if detected.note:
                        report.warnings.append(f"{item.name}, column {column!r}: {detected.note}")
                report.files.append(file)
            async with conn.transaction():
                await _set_job(
                    conn,
                    job_id,
                    rows_total=sum(i.rows for i in inspections),
                    rows_done=0,
                    report=report.as_dict(),
                )
            # A resumed job reads its files from the start again: so does its count of repeated bills.
            await _forget_occurrences(conn, job_id)
            await _load(engine, conn, job_id, planned, inspections, report, settings, options)
            await _forget_occurrences(conn, job_id)
            report.events_through = await _last_event(conn)
            async with conn.transaction():
                await conn.execute(
                    "UPDATE customer.import_job SET state = 'done', finished_at = now(), report = $2 WHERE id = $1",
                    job_id,
                    json.dumps(report.as_dict()),
                )
            # Its files have served; those of a failed import are kept a while (``discard_ended_uploads``).
            folder = upload_folder(_loads(row["files"]))
            if folder is not None:
                await asyncio.to_thread(discard_upload, folder)
        except FileProblem as exc:
            await _fail(conn, job_id, str(exc), report)
        except Exception as exc:
            log.exception("import %s failed", job_id)
            await _fail(conn, job_id, f"the import stopped on an unexpected error ({type(exc).__name__})", report)


async def _forget_occurrences(conn: Any, job_id: int) -> None:
    await conn.execute("DELETE FROM customer.import_occurrence WHERE import_id = $1", job_id)


async def _last_event(conn: Any) -> int:
    """The newest committed outbox id: once every event up to it is sent, all of a finished job's are."""
    last: int = await conn.fetchval("SELECT coalesce(max(id), 0) FROM customer.event_outbox")
    return last


async def publication(session: AsyncSession, job: ImportJob) -> ImportJobPublic:
    """The job as the API shows it, with whether every event it announced has reached the broker."""
    public = to_public(job)
    events = (job.report or {}).get("events")
    if not isinstance(events, dict):
        return public
    through = events.get("through_outbox_id")
    unsent = None
    if through is not None:
        unsent = int(
            (
                await session.execute(
                    text("SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL AND id <= :through"),
                    {"through": through},
                )
            ).scalar_one()
        )
    report = dict(public.report or {})
    report["events"] = {
        "announced": events.get("announced", 0),
        # Unknown while the job runs; then whether none of the outbox up to its last event waits.
        "published": None if unsent is None else unsent == 0,
        "unsent": unsent,
    }
    return public.model_copy(update={"report": report})


async def _fail(conn: Any, job_id: int, message: str, report: JobReport) -> None:
    if conn.is_in_transaction():
        return  # cannot happen outside ``async with conn.transaction()``, which rolls back first
    report.events_through = await _last_event(conn)
    await _forget_occurrences(conn, job_id)
    await conn.execute(
        "UPDATE customer.import_job SET state = 'failed', finished_at = now(), error = $2, report = $3 WHERE id = $1",
        job_id,
        message,
        json.dumps(report.as_dict()),
    )


async def _load(
    engine: AsyncEngine,
    conn: Any,
    job_id: int,
    planned: list[PlannedFile],
    inspections: list[Inspection],
    report: JobReport,
    settings: ImportSettings,
    options: dict[str, Any],
) -> None:
    """Load every file, in order; a file's batches are loaded by ``settings.loaders`` connections at once."""
    preset = PRESETS[report.preset]
    zone = ZoneInfo(settings.business_timezone)
    roles = sorted({item.role for item in planned})
    context = LoadContext(
        base_currency=settings.base_currency,
        timezone=settings.business_timezone,
        currency=options.get("currency") or settings.base_currency,
        headers={},
        import_id=job_id,
    )
    async with contextlib.AsyncExitStack() as stack:
        loaders: list[Any] = []
        for _ in range(settings.loaders):
            connection = await stack.enter_async_context(engine.connect())
            raw: Any = (await connection.get_raw_connection()).driver_connection
            stack.push_async_callback(_discard_temp, raw)
            await prepare_session(raw, roles)
            loaders.append(raw)
        if any(item.role == "bills" for item in planned):
            async with loaders[0].transaction():
                context.service_product_id, events = await ensure_service_product(
                    loaders[0], base_currency=settings.base_currency, import_id=job_id
                )
                report.events += events
        for item, inspection, file in zip(planned, inspections, report.files, strict=True):
            spec = preset.spec(item.role)
            headers = {name: item.layout.header[index] for name, index in item.fields.items()}
            loader = LOADERS[item.role](replace(context, headers=headers))
            cleaner = RowCleaner(item, spec, inspection.date_formats, zone)
            stream = batches(item, spec, cleaner, loader, inspection.profiles, settings.batch_rows)
            tally = CleaningTally()

            async def absorb(
                batch: Batch, result: BatchResult, file: FileReport = file, tally: CleaningTally = tally
            ) -> None:
                accepted = len(batch.records) - len(result.rejections)
                result.rejections = sorted(batch.rejections + result.rejections)
                report.absorb(file, batch.rows, accepted, batch.skipped, result, batch.emptied)
                tally.absorb(batch.cleaning)
                file.cleaning = tally.columns
                await _set_job(conn, job_id, report=report.as_dict())

            await _load_file(loaders, job_id, loader, stream, absorb)
            file.profile = [profile.summary() for profile in inspection.profiles]


async def _discard_temp(conn: Any) -> None:
    """Drop the staging tables before the connection returns to the pool (a broken one is dropped anyway)."""
    with contextlib.suppress(Exception):
        await conn.execute("DISCARD TEMP")


async def _load_file(
    connections: list[Any],
    job_id: int,
    loader: RoleLoader,
    stream: Iterator[Batch],
    absorb: Callable[[Batch, BatchResult], Awaitable[None]],
) -> None:
    """Feed the file's batches to the free connections; the next batch is cleaned (in a thread) meanwhile.

    Batches of one file are independent (an order never spans two), so they commit in any order;
    the file is done when all have committed, before the next file (which may refer to it) starts.
    """
    free = list(connections)
    loading: dict[asyncio.Task[BatchResult], tuple[Batch, Any]] = {}
    references = asyncio.Lock()

    async def settle(tasks: set[asyncio.Task[BatchResult]]) -> None:
        for task in tasks:
            batch, connection = loading.pop(task)
            free.append(connection)
            await absorb(batch, task.result())

    upcoming = asyncio.ensure_future(asyncio.to_thread(next, stream, None))
    try:
        while (batch := await upcoming) is not None:
            upcoming = asyncio.ensure_future(asyncio.to_thread(next, stream, None))
            if not free:
                finished, _ = await asyncio.wait(loading, return_when=asyncio.FIRST_COMPLETED)
                await settle(finished)
            connection = free.pop()
            task = asyncio.create_task(_load_batch(connection, job_id, loader, batch, references))
            loading[task] = (batch, connection)
        while loading:
            finished, _ = await asyncio.wait(loading, return_when=asyncio.FIRST_COMPLETED)
            await settle(finished)
    finally:
        # On failure, let the batches under way end (commit or roll back) and the cleaning thread stop.
        await asyncio.gather(upcoming, *loading, return_exceptions=True)


async def _load_batch(
    conn: Any, job_id: int, loader: RoleLoader, batch: Batch, references: asyncio.Lock
) -> BatchResult:
    """One batch, its progress committed in its transaction; retried if it deadlocks with another.

    Records that other batches may share (a bill's customer) are committed first, one batch at a
    time under ``references``. Loading is keyed, so a batch rolled back and run again writes exactly
    what it would have.
    """
    await conn.execute(f"TRUNCATE {loader.staging}")
    referenced = None
    if batch.records:
        await conn.copy_records_to_table(loader.staging, records=batch.records, columns=loader.column_names())
        await conn.execute(f"ANALYZE {loader.staging}")  # temp tables have no statistics otherwise
        async with references, conn.transaction():
            await conn.execute(BATCH_SETTINGS)
            referenced = await loader.load_references(conn)
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            async with conn.transaction():
                await conn.execute(BATCH_SETTINGS)
                result = await loader.load(conn) if batch.records else BatchResult()
                await conn.execute(
                    "UPDATE customer.import_job SET rows_done = rows_done + $2 WHERE id = $1", job_id, batch.rows
                )
            break
        except asyncpg.DeadlockDetectedError:
            if attempt == DEADLOCK_ATTEMPTS:
                raise
            log.warning("import %s: a batch deadlocked with another and is loaded again", job_id)
    if referenced is not None:
        result.merge(referenced)
    return result


async def run_import(engine: AsyncEngine, job_id: int, settings: ImportSettings) -> None:
    """Run one import as its claimed run; an import found running already was interrupted and runs again."""
    async with engine.begin() as connection:
        started = await connection.execute(
            text(
                "UPDATE customer.import_job SET state = 'running', started_at = now(), error = NULL,"
                " report = CASE WHEN state = 'running' THEN report || '{\"resumed\": true}' ELSE report END"
                " WHERE id = :id AND state IN ('queued', 'running') RETURNING report ->> 'resumed'"
            ),
            {"id": job_id},
        )
        row = started.first()
    if row is None:
        log.info("import %s has ended already", job_id)
        return
    if row[0] == "true":
        log.warning("import %s was interrupted; it runs again (keyed, so nothing is doubled)", job_id)
    await run_job(engine, job_id, settings)


async def requeue_unfinished(engine: AsyncEngine) -> list[int]:
    """Queue a run again for every import still queued or running whose run has ended (or never was)."""
    async with engine.begin() as connection:
        unfinished = await connection.execute(
            text("SELECT id FROM customer.import_job WHERE state IN ('queued', 'running') ORDER BY id")
        )
        runs = {str(job_id): {"import_id": int(job_id)} for job_id in unfinished.scalars()}
        queued = await requeue(connection, jobs, IMPORT_JOB, runs)
    for key in queued:
        log.warning("import %s had no run under way; it is queued again", key)
    return [int(key) for key in queued]


def _customer_settings(settings: ServiceSettings) -> CustomerSettings:
    if not isinstance(settings, CustomerSettings):
        raise TypeError(f"imports run in the customer service, not with {type(settings).__name__}")
    return settings


def import_runner(engine: AsyncEngine, settings: ServiceSettings) -> OneOffJob:
    """The ``import`` job: runs imports, one at a time in each process of the service."""
    options = ImportSettings.of(_customer_settings(settings))

    async def run(job: JobRun) -> None:
        await run_import(engine, int(job.arguments["import_id"]), options)

    return OneOffJob(IMPORT_JOB, run, concurrency=1)


def import_requeue(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    """The ``import.requeue`` job: ``requeue_unfinished`` every few seconds, in one process."""

    async def run(job: JobRun) -> None:
        await requeue_unfinished(engine)

    return PeriodicJob(REQUEUE_JOB, REQUEUE_EVERY, run)


def import_discard(engine: AsyncEngine, settings: ServiceSettings) -> PeriodicJob:
    """The ``import.discard`` job: ``discard_ended_uploads`` every few minutes, in one process."""
    keep_failed = ImportSettings.of(_customer_settings(settings)).keep_failed

    async def run(job: JobRun) -> None:
        for job_id in await discard_ended_uploads(engine, keep_failed=keep_failed):
            log.info("import %s: its stored files are deleted", job_id)

    return PeriodicJob(DISCARD_JOB, DISCARD_EVERY, run)


def discard_upload(directory: Path) -> None:
    shutil.rmtree(directory, ignore_errors=True)


_UPLOAD_FOLDER = re.compile(r"[0-9a-f]{32}")


def upload_folder(files: list[dict[str, Any]]) -> Path | None:
    """The folder an import's files were stored in (``receive_upload`` makes one per upload), if it is one."""
    folders = {Path(file["path"]).parent for file in files}
    if len(folders) != 1:
        return None
    folder = folders.pop()
    return folder if _UPLOAD_FOLDER.fullmatch(folder.name) else None


async def discard_ended_uploads(engine: AsyncEngine, *, keep_failed: timedelta) -> list[int]:
    """Delete the stored files of ended imports, and return those imports.

    A done import's files (when its run could not delete them), a failed one's once ``keep_failed``
    has passed since it failed.
    """
    async with engine.connect() as connection:
        ended = await connection.execute(
            text(
                "SELECT id, files FROM customer.import_job WHERE state = 'done'"
                " OR (state = 'failed' AND finished_at <= now() - make_interval(secs => :keep)) ORDER BY id"
            ),
            {"keep": keep_failed.total_seconds()},
        )
        rows = ended.all()
    discarded: list[int] = []
    for job_id, files in rows:
        folder = upload_folder(_loads(files))
        if folder is not None and folder.exists():
            await asyncio.to_thread(discard_upload, folder)
            discarded.append(int(job_id))
    return discarded
