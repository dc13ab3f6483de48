"""The import benchmark: minimal-layout files of 541,909 and 5,000,000 rows imported as jobs by a real
customer service process, against a bare PostgreSQL COPY of the same files into an unindexed table,
and against the ledger's own SQL with no Patron process at all (the floor any import of these rows
into the purchase ledger stands on).

    python bench/import/run.py [--sizes 541909,5000000] [--server postgresql://...] [--keep]

For each size: a scratch database, a fresh ``patron serve customer`` process (its peak resident
memory is sampled all along), one upload of the file, the job followed to the end; then the same
file COPYed into an unindexed table of the same database. Then, in a second scratch database, the
ledger floor: the file COPYed into a staging table, cleaned there by SQL, and moved into the ledger
by the import's own set-based statements (customers, bills, lines, events), in batches on as many
connections at once as the import uses. Prints rows/s, the ratio to COPY and the service's peak
memory for each size, and the floor's rows/s and ratio to COPY.
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

import asyncpg
import httpx2
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from patron.importing import follow, upload  # noqa: E402
from services.customer.imports.loader import (  # noqa: E402
    BillsLoader,
    LoadContext,
    ensure_service_product,
    prepare_session,
)
from services.kit.migrations import upgrade  # noqa: E402
from services.kit.principal import Principal, PrincipalKind, principal_headers  # noqa: E402
from services.kit.settings import DEVELOPMENT_SECRET  # noqa: E402

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


def run_import(
    database_url: str, path: Path, rows: int, workdir: Path, batch_rows: int, loaders: int
) -> dict[str, float]:
    port = free_port()
    env = {
        **os.environ,
        "PATRON_DATABASE_URL": database_url,
        "PATRON_EVENTS_RELAY": "false",
        "PATRON_LOG_LEVEL": "WARNING",
        "PATRON_CUSTOMER_IMPORT_DIR": str(workdir / "uploads"),
        "PATRON_CUSTOMER_IMPORT_MAX_BYTES": str(1 << 40),
        "PATRON_CUSTOMER_IMPORT_BATCH_ROWS": str(batch_rows),
        "PATRON_CUSTOMER_IMPORT_LOADERS": str(loaders),
    }
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
        with PeakMemory(process.pid) as memory, httpx2.Client(base_url=url, timeout=600) as client:
            client.headers.update(principal_headers(staff, secret=DEVELOPMENT_SECRET, ttl_seconds=24 * 3600))
            started = time.perf_counter()
            job = upload(client, [path], preset="minimal", fields={}, on_bytes=lambda n: None)
            uploaded = time.perf_counter()
            job = follow(client, job["id"], on_progress=lambda j: None, poll=0.2)
            finished = time.perf_counter()
        assert job["state"] == "done", job.get("error")
        report = job["report"]
        assert report["rows"]["accepted"] == rows, report["rows"]
        return {
            "seconds": finished - started,
            "upload_seconds": uploaded - started,
            "peak_mb": memory.peak / 2**20,
            "idle_mb": idle / 2**20,
            "purchases": report["created"].get("purchases", 0),
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


async def ledger_floor(database_url: str, path: Path, rows: int, batch_rows: int, connections: int) -> float:
    """Seconds to COPY the file and move its rows into the ledger with the import's SQL alone."""
    context = LoadContext(base_currency="USD", timezone="UTC", currency="USD", headers={})
    pool = [await asyncpg.connect(database_url) for _ in range(connections)]
    try:
        for connection in pool:
            await connection.execute("SET jit = off; SET work_mem = '64MB'")  # as the import's batches run
            await prepare_session(connection, ["bills"])
        await pool[0].execute(
            "CREATE UNLOGGED TABLE bench_raw (client_id text, ordered_at text, amount text, email text, name text)"
        )
        started = time.perf_counter()
        await pool[0].copy_to_table("bench_raw", source=str(path), format="csv", header=True)
        await pool[0].execute("ALTER TABLE bench_raw ADD COLUMN row_no bigserial")
        async with pool[0].transaction():
            context.service_product_id = await ensure_service_product(pool[0], base_currency="USD")
        loader = BillsLoader(context)
        queue = list(range(1, rows + 1, batch_rows))

        async def work(connection: asyncpg.Connection) -> None:
            while queue:
                first = queue.pop(0)
                await connection.execute("TRUNCATE imp_bills")
                await connection.execute(_STAGE_BILLS, first, first + batch_rows - 1)
                async with connection.transaction():
                    await loader.load_references(connection)
                async with connection.transaction():
                    await loader.load(connection)

        await asyncio.gather(*(work(connection) for connection in pool))
        seconds = time.perf_counter() - started
        written = await pool[0].fetchval("SELECT count(*) FROM customer.purchase")
        assert written == rows, f"the floor wrote {written} bills of {rows}"
        return seconds
    finally:
        for connection in pool:
            await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="541909,5000000", help="rows per file, comma-separated")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--batch-rows", type=int, default=50_000, help="rows per import batch")
    parser.add_argument("--loaders", type=int, default=2, help="batches loaded at once, by the import and the floor")
    parser.add_argument("--keep", action="store_true", help="keep the scratch databases, files and logs")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",") if size]
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-import-"))
    print(f"files and logs in {workdir}", flush=True)
    results = []
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
            try:
                upgrade("services.customer", database_url)
                imported = run_import(database_url, path, rows, workdir, args.batch_rows, args.loaders)
                copy_seconds = asyncio.run(bare_copy(database_url, path))
            finally:
                if not args.keep:
                    asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            floor_name = f"{name}_floor"
            floor_url = args.server.rsplit("/", 1)[0] + "/" + floor_name
            asyncio.run(admin(args.server, f'CREATE DATABASE "{floor_name}"'))
            try:
                upgrade("services.customer", floor_url)
                floor_seconds = asyncio.run(ledger_floor(floor_url, path, rows, args.batch_rows, args.loaders))
            finally:
                if not args.keep:
                    asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{floor_name}" WITH (FORCE)'))
            result = {"rows": rows, **imported, "copy_seconds": copy_seconds, "floor_seconds": floor_seconds}
            results.append(result)
            print(
                f"{rows:,} rows: import {imported['seconds']:.1f}s ({rows / imported['seconds']:,.0f} rows/s, "
                f"upload {imported['upload_seconds']:.1f}s), COPY {copy_seconds:.1f}s "
                f"({rows / copy_seconds:,.0f} rows/s), ledger floor {floor_seconds:.1f}s, "
                f"peak {imported['peak_mb']:.0f} MB",
                flush=True,
            )
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print()
    print(
        f"{'rows':>10} {'import rows/s':>14} {'COPY rows/s':>12} {'ratio':>6} {'peak MB':>8} {'idle MB':>8}"
        f" {'floor rows/s':>13} {'floor/COPY':>10} {'import/floor':>12}"
    )
    for r in results:
        import_rate, copy_rate = r["rows"] / r["seconds"], r["rows"] / r["copy_seconds"]
        floor_rate = r["rows"] / r["floor_seconds"]
        print(
            f"{r['rows']:>10,} {import_rate:>14,.0f} {copy_rate:>12,.0f} {import_rate / copy_rate:>6.3f} "
            f"{r['peak_mb']:>8.0f} {r['idle_mb']:>8.0f} {floor_rate:>13,.0f} {floor_rate / copy_rate:>10.3f}"
            f" {import_rate / floor_rate:>12.2f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
