"""``patron up``: the whole system on one machine, each service a process, embedded servers if needed.

With no database URL configured it runs the embedded PostgreSQL, with no NATS URL the embedded
NATS server, both keeping their data under the data folder so a restart keeps everything. It
applies the migrations, starts the services and the gateway on loopback, and stops all of it,
leaving no process behind, on Ctrl-C or SIGTERM.
"""

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import httpx2
from sqlalchemy.engine import make_url

from patron.embedded import EmbeddedNats, postgres_answers, start_embedded_nats, start_embedded_postgres
from patron.ports import free_port, port_in_use
from patron.running import STATE_FILE, NotRunning, alive, running_state
from patron.services import SCHEMA_OWNERS, SERVICES
from services.kit.migrations import upgrade

DATABASE_NAME = "patron"
READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 15.0
FIRST_RESTART_DELAY_SECONDS = 0.5
LONGEST_RESTART_DELAY_SECONDS = 30.0
STEADY_SECONDS = 60.0
"""A process that ran this long before dying starts its back-off afresh."""

PORT_FLAGS = {
    "gateway": "--gateway-port",
    "customer": "--customer-port",
    "loyalty": "--loyalty-port",
    "analytics": "--analytics-port",
    "nats": "--nats-port",
}


class StartFailed(RuntimeError):
    """``patron up`` could not start: the message is the one line a person needs."""


def restart_delay(failures: int) -> float:
    """Seconds to wait before the ``failures``-th restart in a row: doubling from half a second to 30 s."""
    return min(LONGEST_RESTART_DELAY_SECONDS, FIRST_RESTART_DELAY_SECONDS * 2.0 ** max(0, failures - 1))


@dataclass
class Restarts:
    """The back-off of one supervised process: how often it died in a row, and when it may start again."""

    started_at: float = field(default_factory=time.monotonic)
    failures: int = 0
    due: float | None = None

    def died(self, now: float) -> float:
        """Record a death at ``now``; the delay before the next start."""
        if now - self.started_at >= STEADY_SECONDS:
            self.failures = 0
        self.failures += 1
        delay = restart_delay(self.failures)
        self.due = now + delay
        return delay

    def started(self, now: float) -> None:
        self.started_at, self.due = now, None


@dataclass
class Plan:
    data_dir: Path
    host: str = "127.0.0.1"
    ports: dict[str, int] = field(default_factory=dict)
    database_url: str | None = None
    nats_url: str | None = None
    nats_port: int | None = None


@dataclass
class Child:
    name: str
    url: str
    port: int
    log: Path
    process: subprocess.Popen[bytes]
    restarts: Restarts = field(default_factory=Restarts)


def _die_with_parent() -> None:
    """Run in each child before exec: if ``patron up`` is killed outright, its children follow."""
    if sys.platform.startswith("linux"):
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _claim_port(host: str, name: str, port: int | None) -> int:
    """The port asked for ``name`` if it is free (else :class:`StartFailed` naming its flag), or a free one."""
    if not port:
        return free_port(host)
    if port_in_use(host, port):
        raise StartFailed(
            f"port {port} on {host} ({name}) is in use: choose another with {PORT_FLAGS[name]} (0 picks a free one)"
        )
    return port


def _last_line(log: Path) -> str:
    with contextlib.suppress(OSError):
        lines = [line for line in log.read_text(errors="replace").splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()[:300]
    return ""


def _check_settings(database_url: str) -> None:
    """Build every process's settings here first, so a refusal is one line before anything starts."""
    from pydantic import ValidationError

    from services.kit.settings import settings_refusal

    for spec in SCHEMA_OWNERS:
        settings_class = spec.settings_class()
        try:
            settings_class(database_url=database_url)
        except ValidationError as exc:
            raise StartFailed(f"{spec.name}: {settings_refusal(exc, settings_class)}") from None


async def _ensure_database(server_url: str, name: str) -> None:
    url = make_url(server_url).set(drivername="postgresql")
    connection = await asyncpg.connect(url.render_as_string(hide_password=False))
    try:
        if not await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def _ready(child: Child) -> bool:
    """The process answers ready; the gateway also reaches every service (its reply lists their states)."""
    with contextlib.suppress(httpx2.HTTPError, ValueError):
        response = httpx2.get(f"{child.url}/health/ready", timeout=1.0)
        if response.status_code != 200:
            return False
        if child.name != "gateway":
            return True
        services = response.json().get("services", {})
        return all(state == "ok" for state in services.values())
    return False


def _wait_ready(child: Child, deadline: float) -> None:
    """Wait for ``child`` to be ready, so the "up" line never precedes a request that meets a 502."""
    while time.monotonic() < deadline:
        if child.process.poll() is not None:
            said = _last_line(child.log)
            raise StartFailed(
                f"{child.name} exited with {child.process.returncode} while starting"
                + (f": {said}" if said else "")
                + f" (log: {child.log})"
            )
        if _ready(child):
            return
        time.sleep(0.2)
    raise StartFailed(f"{child.name} was not ready after {READY_TIMEOUT_SECONDS:.0f}s (log: {child.log})")


class Supervisor:
    """Starts everything in order, restarts what dies (with back-off), and stops it in reverse."""

    def __init__(self, plan: Plan, say: Callable[[str], None]) -> None:
        self.plan = plan
        self.say = say
        self.children: list[Child] = []
        self.nats: EmbeddedNats | None = None
        self.nats_restarts = Restarts()
        self.postgres: Any = None
        self.stopping = False
        self.env: dict[str, str] = {}
        self.state: dict[str, Any] = {}

    def start(self) -> str:
        plan = self.plan
        names = [s.name for s in SERVICES] + ["gateway"]
        # Ports and settings first: a busy port or a refused setting stops nothing half-started.
        ports = {name: _claim_port(plan.host, name, plan.ports.get(name)) for name in names}
        nats_port = _claim_port(plan.host, "nats", plan.nats_port) if plan.nats_url is None else None
        _check_settings(plan.database_url or "postgresql:///patron")
        plan.data_dir.mkdir(parents=True, exist_ok=True)
        (plan.data_dir / "logs").mkdir(exist_ok=True)
        database_url = plan.database_url
        if database_url is not None:
            plain = make_url(database_url).set(drivername="postgresql")
            if not postgres_answers(plain.render_as_string(hide_password=False)):
                shown = plain.render_as_string(hide_password=True)
                raise StartFailed(
                    f"no PostgreSQL answers at {shown}: check PATRON_DATABASE_URL (unset, Patron embeds one)"
                )
        else:
            self.say("starting embedded PostgreSQL")
            self.postgres, server_url = start_embedded_postgres(plan.data_dir / "postgres", keep_running=True)
            asyncio.run(_ensure_database(server_url, DATABASE_NAME))
            database_url = make_url(server_url).set(database=DATABASE_NAME).render_as_string(hide_password=False)
        nats_url = plan.nats_url
        if nats_port is not None:
            self.say(f"starting embedded NATS on port {nats_port}")
            self.nats = start_embedded_nats(plan.data_dir / "nats", port=nats_port, host=plan.host)
            nats_url = self.nats.url
        assert nats_url is not None
        self.say("applying migrations")
        for spec in SCHEMA_OWNERS:
            upgrade(spec.package, database_url)
        first_password = self._first_admin(database_url)
        self.env = {**os.environ, "PATRON_DATABASE_URL": database_url, "PATRON_NATS_URL": nats_url}
        for name in [s.name for s in SERVICES]:
            self.env[f"PATRON_GATEWAY_{name.upper()}_URL"] = f"http://{plan.host}:{ports[name]}"
        # The services that call each other: recording a bill asks loyalty for its reward, and the reward
        # views read the customer service's catalogue; analytics reads the names of the customers it lists.
        self.env["PATRON_CUSTOMER_LOYALTY_URL"] = f"http://{plan.host}:{ports['loyalty']}"
        # ... and a privacy export or erasure asks analytics and the gateway for their parts.
        self.env["PATRON_CUSTOMER_ANALYTICS_URL"] = f"http://{plan.host}:{ports['analytics']}"
        self.env["PATRON_CUSTOMER_GATEWAY_URL"] = f"http://{plan.host}:{ports['gateway']}"
        self.env["PATRON_LOYALTY_CUSTOMER_URL"] = f"http://{plan.host}:{ports['customer']}"
        self.env["PATRON_ANALYTICS_CUSTOMER_URL"] = f"http://{plan.host}:{ports['customer']}"
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        for name in names:
            log = plan.data_dir / "logs" / f"{name}.log"
            self.children.append(
                Child(name, f"http://{plan.host}:{ports[name]}", ports[name], log, self._spawn(name, ports[name], log))
            )
        for child in self.children:
            _wait_ready(child, deadline)
        gateway_url = self.children[-1].url
        self.state = {
            "pid": os.getpid(),
            "started_at": time.time(),
            "gateway_url": gateway_url,
            "database": "embedded" if self.postgres is not None else "external",
            "database_url": database_url,
            "nats": "embedded" if self.nats is not None else "external",
            "nats_url": nats_url,
        }
        if self.postgres is not None:
            self.state["postgres_pid"] = self.postgres.get_pid()
        self._write_state()
        if first_password is not None:
            self._sign_in_command_line(gateway_url, first_password)
        return gateway_url

    def _first_admin(self, database_url: str) -> str | None:
        """On a database without staff users, create ``admin@localhost`` and print its password, once."""
        from gateway.settings import GatewaySettings
        from patron.users import FIRST_ADMIN_EMAIL, first_admin

        password = first_admin(GatewaySettings(database_url=database_url))
        if password is not None:
            self.say(f"created the first admin: {FIRST_ADMIN_EMAIL}, password {password} (shown only this once)")
        return password

    def _sign_in_command_line(self, gateway_url: str, password: str) -> None:
        """Sign this data folder's command line in as the first admin, so `patron demo` works at once."""
        from patron.credentials import GatewayRefused, credentials_path, sign_in
        from patron.users import FIRST_ADMIN_EMAIL

        path = credentials_path(self.plan.data_dir)
        try:
            sign_in(gateway_url, FIRST_ADMIN_EMAIL, password, path)
        except (httpx2.HTTPError, GatewayRefused) as exc:
            self.say(f"could not sign the command line in ({exc}); run `patron sign-in`")
            return
        self.say(f"the command line is signed in as {FIRST_ADMIN_EMAIL} ({path.name} in {self.plan.data_dir})")

    def _spawn(self, name: str, port: int, log_path: Path) -> subprocess.Popen[bytes]:
        log = log_path.open("ab")
        command = [sys.executable, "-m", "patron.cli", "serve", name, "--host", self.plan.host, "--port", str(port)]
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent,
        )
        log.close()
        return process

    def _write_state(self) -> None:
        """``up.json``: where everything runs, rewritten when a restart changes a pid."""
        state = dict(self.state)
        state["processes"] = {child.name: {"pid": child.process.pid, "url": child.url} for child in self.children}
        if self.nats is not None:
            state["nats_pid"] = self.nats.process.pid
        path = self.plan.data_dir / STATE_FILE
        partial = path.with_suffix(".json.partial")
        partial.write_text(json.dumps(state, indent=2))
        partial.replace(path)

    def tend(self) -> None:
        """One look at every supervised process: a dead one is given its back-off, then started again."""
        now = time.monotonic()
        for child in self.children:
            if child.restarts.due is None:
                code = child.process.poll()
                if code is not None:
                    delay = child.restarts.died(now)
                    said = _last_line(child.log)
                    self.say(
                        f"{child.name} exited with {code}"
                        + (f" ({said})" if said and code > 0 else "")
                        + f"; restarting in {delay:.1f}s (failure {child.restarts.failures} in a row, log: {child.log})"
                    )
            elif now >= child.restarts.due and not self.stopping:
                child.process = self._spawn(child.name, child.port, child.log)
                child.restarts.started(now)
                self._write_state()  # before saying so: whoever reads the message finds the new pid
                self.say(f"{child.name} restarted (pid {child.process.pid})")
        self._tend_nats(now)

    def _tend_nats(self, now: float) -> None:
        nats_server = self.nats
        if nats_server is None:
            return
        restarts = self.nats_restarts
        if restarts.due is None:
            code = nats_server.process.poll()
            if code is not None:
                delay = restarts.died(now)
                self.say(
                    f"embedded NATS exited with {code}; restarting in {delay:.1f}s "
                    f"(log: {nats_server.store_dir / 'nats-server.log'})"
                )
        elif now >= restarts.due and not self.stopping:
            try:
                self.nats = start_embedded_nats(nats_server.store_dir, port=nats_server.port, host=nats_server.host)
            except (OSError, RuntimeError, TimeoutError) as exc:
                delay = restarts.died(time.monotonic())
                self.say(f"embedded NATS did not restart ({exc}); trying again in {delay:.1f}s")
                return
            restarts.started(time.monotonic())
            self._write_state()
            self.say(f"embedded NATS restarted (pid {self.nats.process.pid}); the services reconnect on their own")

    def load_demo(self, gateway_url: str, customers: int) -> None:
        """Load the demo retailer through the gateway as `patron demo` does, its progress on this terminal.

        The load runs as a command of its own session, so Ctrl-C reaches only ``patron up``, which
        stops the load with everything else; a load that fails leaves the system running.
        """
        env = {**os.environ, "PATRON_DATA_DIR": str(self.plan.data_dir)}
        command = [sys.executable, "-m", "patron.cli", "demo", "--url", gateway_url, "--customers", str(customers)]
        loading = subprocess.Popen(  # noqa: S603 - our own command line
            command, env=env, start_new_session=True, preexec_fn=_die_with_parent
        )
        while loading.poll() is None:
            if self.stopping:
                loading.terminate()
                loading.wait()
                return
            self.tend()
            time.sleep(0.3)
        if loading.returncode != 0:
            self.say("the demo data was not loaded (see above); Patron keeps running")

    def watch(self) -> int:
        """Keep everything running until a signal asks to stop."""
        while not self.stopping:
            self.tend()
            time.sleep(0.3)
        return 0

    def stop(self) -> None:
        for child in reversed(self.children):
            if child.process.poll() is None:
                child.process.terminate()
        for child in reversed(self.children):
            try:
                child.process.wait(STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                child.process.kill()
                child.process.wait()
        if self.nats is not None:
            self.nats.stop()
        if self.postgres is not None:
            # pg_ctl is generated into the module's globals at import time, so no checker can see it.
            from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

            with contextlib.suppress(subprocess.CalledProcessError):
                pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.postgres.pgdata, user=self.postgres.system_user)
        with contextlib.suppress(FileNotFoundError):
            (self.plan.data_dir / STATE_FILE).unlink()


def run(plan: Plan, say: Callable[[str], None], *, demo_customers: int | None = None) -> int:
    """Start everything, load the demo retailer if ``demo_customers`` says how big, and supervise until stopped."""
    state = plan.data_dir / STATE_FILE
    if state.exists():
        previous = json.loads(state.read_text())
        if alive(previous.get("pid")):
            say(f"Patron is already running from {plan.data_dir} (pid {previous['pid']})")
            return 1
    supervisor = Supervisor(plan, say)

    def ask_to_stop(signum: int, frame: object) -> None:
        supervisor.stopping = True

    signal.signal(signal.SIGTERM, ask_to_stop)
    signal.signal(signal.SIGINT, ask_to_stop)
    try:
        try:
            gateway_url = supervisor.start()
        except StartFailed as exc:
            say(f"patron up: {exc}")
            return 1
        except Exception as exc:
            log = plan.data_dir / "logs" / "up.log"
            with contextlib.suppress(OSError):
                log.parent.mkdir(parents=True, exist_ok=True)
                with log.open("a") as out:
                    traceback.print_exc(file=out)
            first = (str(exc).strip().splitlines() or [""])[0]
            say(f"patron up could not start: {type(exc).__name__}: {first} (traceback in {log})")
            return 1
        say(
            f"Patron is up: {gateway_url} (API docs at {gateway_url}/docs; logs in {plan.data_dir / 'logs'}); "
            "Ctrl-C stops it"
        )
        if demo_customers is not None:
            supervisor.load_demo(gateway_url, demo_customers)
        return supervisor.watch()
    finally:
        if supervisor.children or supervisor.nats or supervisor.postgres:
            say("stopping")
        supervisor.stop()


def status(data_dir: Path) -> tuple[bool, list[str]]:
    """Whether a ``patron up`` runs from ``data_dir``, and one line per process.

    A service's line also gives its outbox: events committed but not yet acknowledged by the broker,
    and the age of the oldest; a backlog is reported, it does not make the service unready.
    """
    try:
        state = running_state(data_dir)
    except NotRunning as exc:
        return False, [str(exc)]
    lines = [f"patron up (pid {state['pid']}): {state['gateway_url']}"]
    lines.append(f"database: {state['database']}; nats: {state['nats']} {state['nats_url']}")
    healthy = True
    for name, process in state["processes"].items():
        detail: dict[str, Any] = {}
        try:
            response = httpx2.get(f"{process['url']}/health/ready", timeout=2.0)
            ready = response.status_code == 200
            with contextlib.suppress(ValueError):
                detail = response.json()
        except httpx2.HTTPError:
            ready = False
        healthy = healthy and ready and alive(process["pid"])
        line = f"{name:<10} pid {process['pid']:<8} {process['url']:<28} {'ready' if ready else 'NOT READY'}"
        outbox = detail.get("outbox") if isinstance(detail, dict) else None
        if isinstance(outbox, dict) and "backlog" in outbox:
            line += f"  outbox {outbox['backlog']} unsent"
            if outbox["backlog"]:
                line += f", oldest {float(outbox.get('oldest_unsent_seconds') or 0):.0f}s"
        lines.append(line)
    return healthy, lines
