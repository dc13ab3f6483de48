"""`patron up --demo`: one command starts the system on embedded servers and loads the demo retailer."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx2
import pytest

from tests.support.processes import ROOT, free_port

pytestmark = pytest.mark.timeout(300)


def test_patron_up_with_demo_starts_then_loads_the_demo_retailer(tmp_path: Path) -> None:
    data_dir, log = tmp_path / "patron-data", tmp_path / "up.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    command = [sys.executable, "-m", "patron.cli", "up", "--data-dir", str(data_dir), "--gateway-port"]
    command += [str(free_port()), "--demo", "--demo-customers", "150"]
    with log.open("wb") as out:
        up = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 180
        while "import 1 (patron): done" not in log.read_text():
            assert up.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.3)
        text = log.read_text()
        assert text.index("Patron is up") < text.index("generating 150 customers") < text.index("import 1 (patron)")
        assert "rejected 0" in text
        state = json.loads((data_dir / "up.json").read_text())
        (password,) = re.findall(r"first admin: admin@localhost, password (\S+) ", text)
        gateway = state["gateway_url"]
        tokens = httpx2.post(
            f"{gateway}/api/v1/auth/sign-in", json={"email": "admin@localhost", "password": password}, timeout=30
        ).json()
        customers = httpx2.get(
            f"{gateway}/api/v1/customers",
            params={"limit": 200},
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=30,
        ).json()
        assert len(customers["items"]) == 150
        assert up.poll() is None  # still serving after the load
    finally:
        up.send_signal(signal.SIGTERM)
        up.wait(timeout=60)
    assert up.returncode == 0, log.read_text()
