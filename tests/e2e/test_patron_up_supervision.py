"""`patron up` supervises: what dies is restarted with back-off and said so; a start that cannot happen is one line."""

import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import nats
import pytest

from tests.support.processes import ROOT, free_port

pytestmark = pytest.mark.timeout(300)


def _environment(**extra: str) -> dict[str, str]:
    """The caller's environment without Patron's settings (embedded servers, development mode), plus ``extra``."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")} | extra


def _up(data_dir: Path, log: Path, *args: str, **env: str) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "patron.cli", "up", "--data-dir", str(data_dir), *args],
            cwd=ROOT,
            env=_environment(**env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait_for(log: Path, process: subprocess.Popen[bytes], pattern: str, timeout: float = 120) -> re.Match[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text())
        if found:
            return found
        assert process.poll() is None, log.read_text()
        time.sleep(0.2)
    raise TimeoutError(f"{pattern!r} not in:\n{log.read_text()}")


def _state(data_dir: Path) -> dict:
    return json.loads((data_dir / "up.json").read_text())


async def _published(nats_url: str, purchase_id: int) -> bool:
    connection = await nats.connect(nats_url)
    try:
        subscription = await connection.jetstream().pull_subscribe("patron.customer.purchase.recorded", durable=None)
        messages = await subscription.fetch(10, timeout=5)
        return any(json.loads(m.data)["payload"]["purchase_id"] == purchase_id for m in messages)
    finally:
        await connection.close()


def test_a_killed_service_and_a_killed_nats_server_are_restarted_and_said_so(tmp_path):
    data_dir, log = tmp_path / "data", tmp_path / "up.log"
    up = _up(data_dir, log, "--gateway-port", str(free_port()))
    try:
        _wait_for(log, up, r"Patron is up")
        state = _state(data_dir)
        gateway = state["gateway_url"]
        (password,) = re.findall(r"first admin: admin@localhost, password (\S+) ", log.read_text())
        signed = httpx2.post(
            f"{gateway}/api/v1/auth/sign-in", json={"email": "admin@localhost", "password": password}, timeout=30
        )
        bearer = {"Authorization": f"Bearer {signed.json()['access_token']}"}
        client = httpx2.Client(base_url=gateway, headers=bearer, timeout=30)
        product = client.post(
            "/api/v1/products", json={"sku": "S-1", "name": "Lamp", "unit_cost": "4.00", "unit_price": "9.50"}
        ).json()
        client.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": 5})
        shopper = client.post("/api/v1/customers", json={"name": "Ada", "username": "ada"}).json()

        # kill -9 of the customer service: said, restarted after half a second, its new pid written down.
        first_pid = state["processes"]["customer"]["pid"]
        os.kill(first_pid, signal.SIGKILL)
        said = _wait_for(log, up, r"customer exited with -9; restarting in 0\.5s \(failure 1 in a row, log: (\S+)\)")
        assert said[1] == str(data_dir / "logs" / "customer.log")
        second_pid = int(_wait_for(log, up, r"customer restarted \(pid (\d+)\)")[1])
        assert second_pid != first_pid and _state(data_dir)["processes"]["customer"]["pid"] == second_pid
        deadline = time.monotonic() + 60
        while (found := client.get(f"/api/v1/products/{product['id']}")).status_code != 200:
            assert time.monotonic() < deadline, found.text  # the gateway reaches it again once it is up
            time.sleep(0.3)

        # Dying again right after the restart: the back-off doubles.
        os.kill(second_pid, signal.SIGKILL)
        _wait_for(log, up, r"customer exited with -9; restarting in 1\.0s \(failure 2 in a row")
        _wait_for(log, up, rf"customer restarted \(pid (?!{second_pid}\))\d+\)")

        # kill -9 of the embedded NATS server: restarted on its port and store; events flow again.
        os.kill(state["nats_pid"], signal.SIGKILL)
        _wait_for(log, up, r"embedded NATS exited with -9; restarting in 0\.5s")
        _wait_for(log, up, r"embedded NATS restarted \(pid \d+\)")
        assert _state(data_dir)["nats_pid"] != state["nats_pid"]
        deadline = time.monotonic() + 60
        while (
            bill := client.post(
                "/api/v1/purchases",
                json={"customer_id": shopper["id"], "lines": [{"product_id": product["id"], "quantity": 1}]},
                headers={"Idempotency-Key": "after-the-restarts"},
            )
        ).status_code != 201:
            assert time.monotonic() < deadline, bill.text
            time.sleep(0.3)
        deadline = time.monotonic() + 60
        while not asyncio.run(_published(state["nats_url"], bill.json()["id"])):
            assert time.monotonic() < deadline, "the bill's event never reached the restarted NATS server"
        client.close()
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
    assert up.returncode == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def _refused_start(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "patron.cli", *args],
        cwd=ROOT,
        env=_environment(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0, result.stderr
    return result.stderr.strip()


def test_a_busy_port_is_one_line_naming_the_flag_and_nothing_starts(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for flag in ("--gateway-port", "--customer-port", "--nats-port"):
            data_dir = tmp_path / flag.strip("-")
            line = _one_line(_refused_start("up", "--data-dir", str(data_dir), flag, str(port)))
            assert f"port {port} on 127.0.0.1" in line and f"choose another with {flag}" in line, line
            assert not data_dir.exists()  # refused before anything started
        served = _refused_start("serve", "loyalty", "--port", str(port))
        assert f"port {port}" in _one_line(served) and "--port or PATRON_LOYALTY_PORT" in served.stderr


def test_production_refusing_a_development_default_is_one_line_naming_the_setting(tmp_path):
    line = _one_line(_refused_start("up", "--data-dir", str(tmp_path / "d"), PATRON_ENVIRONMENT="production"))
    assert line == "patron up: customer: production refuses the development internal_secret: set PATRON_INTERNAL_SECRET"
    secret = "N3v7q_Zp0sLk2WmXy8RtBc4HdJf6GaUe9Vi1Oo5Pq"
    database = "postgresql://db.internal/patron"
    served = _refused_start(
        "serve", "gateway", PATRON_ENVIRONMENT="production", PATRON_INTERNAL_SECRET=secret, PATRON_DATABASE_URL=database
    )
    assert "PATRON_GATEWAY_TOKEN_SECRET" in _one_line(served)


def test_an_unreachable_database_is_one_line_naming_its_variable(tmp_path):
    closed = free_port()
    url = f"postgresql://postgres@127.0.0.1:{closed}/patron"
    line = _one_line(_refused_start("up", "--data-dir", str(tmp_path / "d"), PATRON_DATABASE_URL=url))
    assert f"127.0.0.1:{closed}" in line and "PATRON_DATABASE_URL" in line
