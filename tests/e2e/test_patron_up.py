"""`patron up` as a user runs it: one command, the whole system on embedded servers, then Ctrl-C."""

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import asyncpg
import httpx2
import nats
import psutil
import pytest
from sqlalchemy.engine import make_url

from tests.support.processes import ROOT, free_port

pytestmark = pytest.mark.timeout(300)


def _wait_for_state(data_dir: Path, process: subprocess.Popen[bytes], log: Path) -> dict:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        state_file = data_dir / "up.json"
        if state_file.exists() and "Patron is up" in log.read_text():
            return json.loads(state_file.read_text())
        time.sleep(0.3)
    raise TimeoutError(log.read_text())


def _processes_using(data_dir: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = " ".join(process.info["cmdline"] or [])
        if str(data_dir) in cmdline:
            found.append(process)
    return found


def _gone(data_dir: Path) -> list[psutil.Process]:
    """What still runs from the data folder once a stopped server has had a moment to exit (none, then)."""
    deadline = time.monotonic() + 15
    while (left := [p for p in _processes_using(data_dir) if _alive(p)]) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def _alive(process: psutil.Process) -> bool:
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def _event_and_outbox(state: dict, purchase_id: int) -> tuple[dict, object]:
    connection = await nats.connect(state["nats_url"])
    try:
        subscription = await connection.jetstream().pull_subscribe("patron.customer.purchase.recorded", durable=None)
        (message,) = await subscription.fetch(1, timeout=10)
        envelope = json.loads(message.data)
    finally:
        await connection.close()
    url = make_url(state["database_url"]).set(drivername="postgresql").render_as_string(hide_password=False)
    database = await asyncpg.connect(url)
    try:
        sent_at = await database.fetchval(
            "SELECT sent_at FROM customer.event_outbox WHERE type = 'purchase.recorded' AND aggregate_id = $1",
            f"purchase:{purchase_id}",
        )
    finally:
        await database.close()
    return envelope, sent_at


def _start(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("PATRON_DATABASE_URL", "PATRON_NATS_URL")}
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "patron.cli", "up", "--data-dir", str(data_dir), "--gateway-port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _patron(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")} | {"PATRON_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "patron.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_patron_up_serves_the_whole_system_and_leaves_nothing_behind(tmp_path):
    data_dir = tmp_path / "patron-data"
    log = tmp_path / "up.log"
    port = free_port()
    up = _start(data_dir, port, log)
    try:
        state = _wait_for_state(data_dir, up, log)
        assert state["database"] == "embedded" and state["nats"] == "embedded"
        gateway = state["gateway_url"]
        assert gateway == f"http://127.0.0.1:{port}"
        status = subprocess.run(
            [sys.executable, "-m", "patron.cli", "status", "--data-dir", str(data_dir)], capture_output=True, text=True
        )
        assert status.returncode == 0 and status.stdout.count("ready") == 4, status.stdout
        # The first admin, created on the fresh data folder, signs in with the password printed once.
        (password,) = re.findall(r"first admin: admin@localhost, password (\S+) ", log.read_text())
        assert httpx2.get(f"{gateway}/api/v1/products", timeout=30).status_code == 401  # nobody acts unsigned
        tokens = httpx2.post(
            f"{gateway}/api/v1/auth/sign-in", json={"email": "admin@localhost", "password": password}, timeout=30
        )
        assert tokens.status_code == 200, tokens.text
        bearer = {"Authorization": f"Bearer {tokens.json()['access_token']}"}
        with httpx2.Client(base_url=gateway, headers=bearer, timeout=30) as client:
            product = client.post(
                "/api/v1/products", json={"sku": "UP-1", "name": "Lamp", "unit_cost": "4.00", "unit_price": "9.50"}
            ).json()
            client.post(f"/api/v1/products/{product['id']}/stock/restocks", json={"quantity": 5})
            shopper = client.post("/api/v1/customers", json={"name": "Ada", "username": "ada"}).json()
            bill = client.post(
                "/api/v1/purchases",
                json={"customer_id": shopper["id"], "lines": [{"product_id": product["id"], "quantity": 2}]},
            )
            assert bill.status_code == 201, bill.text
            history = client.get(f"/api/v1/customers/{shopper['id']}/purchases").json()
            assert [item["id"] for item in history["items"]] == [bill.json()["id"]]
            assert history["items"][0]["base_total"] == "19.00"
            for _ in range(50):
                metrics = client.get(f"{state['processes']['customer']['url']}/metrics").text
                if "patron_outbox_backlog 0.0" in metrics:
                    break
                time.sleep(0.2)
            # Analytics follows the bill's event through NATS, and reads Ada's name from the customer service.
            deadline = time.monotonic() + 60
            while (summary := client.get("/api/v1/analytics/sales/summary").json())["rows"][0]["revenue"] != "19.00":
                assert time.monotonic() < deadline, summary
                time.sleep(0.2)
            assert summary["as_of"] is not None and summary["rows"][0]["orders"] == 1
            top = client.get("/api/v1/analytics/customers/top").json()["rows"]
            assert [(row["name"], row["revenue"]) for row in top] == [("Ada", "19.00")]
        envelope, sent_at = asyncio.run(_event_and_outbox(state, bill.json()["id"]))
        assert envelope["type"] == "purchase.recorded" and envelope["payload"]["purchase_id"] == bill.json()["id"]
        assert sent_at is not None
        assert _processes_using(data_dir), "embedded servers run from the data folder"
        # `patron up` signed its command line in as that admin: the commands that call the gateway just work.
        credentials = data_dir / "credentials.json"
        assert credentials.stat().st_mode & 0o777 == 0o600
        assert json.loads(credentials.read_text())["email"] == "admin@localhost"
        assert password not in credentials.read_text()
        listed = _patron(data_dir, "imports", "list")
        assert listed.returncode == 0, listed.stderr
        # The commands find the gateway and NATS of this `patron up`; an address given wins.
        streams = _patron(data_dir, "events")
        assert streams.returncode == 0 and "stream " in streams.stdout, streams.stderr
        closed = free_port()
        elsewhere = _patron(data_dir, "imports", "list", "--url", f"http://127.0.0.1:{closed}")
        assert elsewhere.returncode != 0 and f"127.0.0.1:{closed}" in elsewhere.stderr, elsewhere.stderr
        no_broker = _patron(data_dir, "events", "--nats-url", f"nats://127.0.0.1:{closed}")
        assert no_broker.returncode == 1 and no_broker.stderr.strip().count("\n") == 0, no_broker.stderr
        assert f"127.0.0.1:{closed}" in no_broker.stderr and "Traceback" not in no_broker.stderr
        status = _patron(data_dir, "status")
        assert "outbox 0 unsent" in status.stdout, status.stdout  # the services with an outbox report it
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
    pids = [process["pid"] for process in state["processes"].values()] + [state["nats_pid"], state["postgres_pid"]]
    deadline = time.monotonic() + 20
    while any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE for pid in pids):
        assert time.monotonic() < deadline, [pid for pid in pids if psutil.pid_exists(pid)]
        time.sleep(0.2)
    assert _gone(data_dir) == []
    assert not (data_dir / "up.json").exists()
    assert up.returncode == 0, log.read_text()

    # A restart on the same data folder finds everything where it was left.
    again = _start(data_dir, port, tmp_path / "again.log")
    try:
        state = _wait_for_state(data_dir, again, tmp_path / "again.log")
        tokens = httpx2.post(
            f"{state['gateway_url']}/api/v1/auth/sign-in",
            json={"email": "admin@localhost", "password": password},
            timeout=30,
        )
        assert tokens.status_code == 200, tokens.text  # the admin and its password survive the restart
        found = httpx2.get(
            f"{state['gateway_url']}/api/v1/products",
            params={"sku": "UP-1"},
            headers={"Authorization": f"Bearer {tokens.json()['access_token']}"},
            timeout=30,
        ).json()
        assert [item["stock_quantity"] for item in found["items"]] == [3]
        assert "first admin" not in (tmp_path / "again.log").read_text()  # printed once, never again
    finally:
        again.send_signal(signal.SIGTERM)
        again.wait(timeout=60)
    assert _gone(data_dir) == []
