"""The whole system as processes on loopback with a real broker, each process restartable on its port."""

import os
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx2
import pytest

from tests.conftest import TEST_SECRET
from tests.events.conftest import NatsServer
from tests.support.accounts import FAST_HASHING_ENV, add_staff, bearer, sign_in
from tests.support.processes import ROOT, free_port, serve

# A functional bound, not a speed claim: four processes and their consumers on a busy machine.
WAIT_SECONDS = 120.0
NAMES = ("loyalty", "analytics", "customer", "gateway")
__all__ = ["ROOT", "Stack", "staff", "wait_until"]


class Stack:
    """The three services and the gateway, started in order, each stoppable and startable again."""

    def __init__(self, database_url: str, nats: NatsServer, log_dir: Path) -> None:
        self.database_url = database_url
        self.log_dir = log_dir
        self.ports = {name: free_port() for name in NAMES}
        self.urls = {name: f"http://127.0.0.1:{port}" for name, port in self.ports.items()}
        base = {
            "PATRON_DATABASE_URL": database_url,
            "PATRON_INTERNAL_SECRET": TEST_SECRET,
            "PATRON_ENVIRONMENT": "test",
            "PATRON_LOG_LEVEL": "INFO",  # every line a process writes, for the scan of personal data
            "PATRON_NATS_URL": nats.url,
            "PATRON_EVENTS_RELAY": "true",
        }
        self.env = {
            "loyalty": base | {"PATRON_LOYALTY_CUSTOMER_URL": self.urls["customer"]},
            "analytics": base | {"PATRON_ANALYTICS_CUSTOMER_URL": self.urls["customer"]},
            "customer": base
            | {
                "PATRON_CUSTOMER_LOYALTY_URL": self.urls["loyalty"],
                "PATRON_CUSTOMER_ANALYTICS_URL": self.urls["analytics"],
                "PATRON_CUSTOMER_GATEWAY_URL": self.urls["gateway"],
            },
            "gateway": base
            | FAST_HASHING_ENV
            | {f"PATRON_GATEWAY_{name.upper()}_URL": self.urls[name] for name in ("customer", "loyalty", "analytics")},
        }
        self.running: dict[str, ExitStack] = {}

    def start(self, name: str) -> None:
        assert name not in self.running
        stack = ExitStack()
        stack.enter_context(serve(name, self.env[name], self.log_dir, port=self.ports[name]))
        self.running[name] = stack

    def stop(self, name: str) -> None:
        self.running.pop(name).close()

    def close(self) -> None:
        for name in reversed(list(self.running)):
            self.stop(name)

    def process_env(self, name: str) -> dict[str, str]:
        """The environment a command of ``name`` runs with (``patron loyalty rebuild``): the process's own."""
        return {**os.environ, **self.env[name]}

    def logs(self) -> str:
        return "\n".join(path.read_text(errors="replace") for path in sorted(self.log_dir.glob("*.log")))

    @property
    def gateway(self) -> str:
        return self.urls["gateway"]


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[NatsServer]:
    nats = NatsServer(tmp_path / "nats-store")
    nats.start()
    try:
        yield nats
    finally:
        nats.stop()


@pytest.fixture
def stack(database_url: str, broker: NatsServer, tmp_path: Path) -> Iterator[Stack]:
    logs = tmp_path / "logs"
    logs.mkdir()
    running = Stack(database_url, broker, logs)
    try:
        for name in NAMES:
            running.start(name)
        yield running
    finally:
        running.close()


def staff(stack: Stack, email: str, roles: list[str]) -> httpx2.Client:
    """A client of the gateway signed in as a new staff user with ``roles``."""
    add_staff(stack.database_url, email, roles)
    return httpx2.Client(base_url=stack.gateway, headers=bearer(sign_in(stack.gateway, email)), timeout=30)


def wait_until(check: Callable[[], Any], what: str, seconds: float = WAIT_SECONDS) -> Any:
    """Call ``check`` until it returns something truthy; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found:
            return found
        assert time.monotonic() < deadline, f"not within {seconds}s: {what}"
        time.sleep(0.3)
