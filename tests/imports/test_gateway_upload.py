"""Uploads through the gateway: the multipart body streams to the customer service, limit included."""

import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx2
import pytest

from tests.gateway import conftest as gateway_fixtures
from tests.imports.conftest import GLOBAL_ELECTRONICS
from tests.imports.test_imports import MINIMAL
from tests.support.accounts import STAFF_PASSWORD, bearer

stack = gateway_fixtures.stack  # the whole system as processes, from the gateway tests


@pytest.fixture
def import_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Settings the customer process reads at start: a scratch upload folder and a 5,000-byte limit."""
    folder = tmp_path / "uploads"
    monkeypatch.setenv("PATRON_CUSTOMER_IMPORT_DIR", str(folder))
    monkeypatch.setenv("PATRON_CUSTOMER_IMPORT_MAX_BYTES", "5000")
    return folder


def test_an_upload_through_the_gateway_becomes_a_job(import_env: Path, stack: dict[str, str]) -> None:
    gateway = stack["gateway"]
    anonymous = httpx2.post(f"{gateway}/api/v1/imports", data={"preset": "minimal"}, timeout=30)
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    with httpx2.Client(base_url=gateway, headers=bearer(stack["token"]), timeout=30) as client:
        response = client.post(
            "/api/v1/imports", data={"preset": "minimal"}, files=[("file", ("bills.csv", MINIMAL, "text/csv"))]
        )
        assert response.status_code == 202, response.text
        job_id = response.json()["id"]
        deadline = time.monotonic() + 30
        while (job := client.get(f"/api/v1/imports/{job_id}").json())["state"] not in ("done", "failed"):
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert job["state"] == "done" and job["report"]["created"]["purchases"] == 4
        assert list(import_env.iterdir()) == []  # a done import's files are deleted

        too_big = MINIMAL + b"c1,2024-01-01 10:00,1.00,,\n" * 400
        response = client.post(
            "/api/v1/imports", data={"preset": "minimal"}, files=[("file", ("big.csv", too_big, "text/csv"))]
        )
        assert response.status_code == 413, response.text
        assert response.headers["content-type"] == "application/problem+json"

        def chunks():  # no Content-Length: the service counts while it streams a well-formed part
            yield b'--zzz\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\n\r\n'
            for _ in range(20):
                yield b"x" * 1000

        response = client.post(
            "/api/v1/imports",
            content=chunks(),
            headers={"content-type": "multipart/form-data; boundary=zzz"},
        )
        assert response.status_code == 413, response.text
        assert list(import_env.iterdir()) == []  # nothing of the refused uploads is kept


def patron(*args: str, data_dir: Path, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    """``patron ARGS`` with its own data folder (where `patron sign-in` keeps the sign-in)."""
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("PATRON_")}
    return subprocess.run(
        [sys.executable, "-m", "patron.cli", *args],
        input=stdin,
        env=inherited | {"PATRON_DATA_DIR": str(data_dir)} | env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def sign_in(stack: dict[str, str], data_dir: Path) -> None:
    """`patron sign-in` as the stack's admin, the password on standard input."""
    signed = patron(
        "sign-in", "--email", stack["admin"], "--url", stack["gateway"], data_dir=data_dir, stdin=STAFF_PASSWORD
    )
    assert signed.returncode == 0, signed.stderr
    assert f"signed in as {stack['admin']}" in signed.stdout


def test_the_command_line_imports_lists_and_shows(import_env: Path, stack: dict[str, str], tmp_path: Path) -> None:
    gateway, data_dir = stack["gateway"], tmp_path / "cli"
    bills = tmp_path / "bills.csv"
    bills.write_bytes(MINIMAL)
    unsigned = patron("import", str(bills), "--preset", "minimal", "--url", gateway, data_dir=data_dir)
    assert unsigned.returncode == 1 and "run `patron sign-in` first" in unsigned.stderr
    assert "Traceback" not in unsigned.stderr and "uploading" not in unsigned.stderr  # refused before any request
    listed = patron("imports", "list", "--url", gateway, data_dir=data_dir)
    assert listed.returncode == 1 and "run `patron sign-in` first" in listed.stderr

    sign_in(stack, data_dir)
    credentials = data_dir / "credentials.json"
    assert credentials.stat().st_mode & 0o777 == 0o600
    kept = json.loads(credentials.read_text())
    assert kept == {"gateway_url": gateway, "email": stack["admin"], "refresh_token": kept["refresh_token"]}
    assert STAFF_PASSWORD not in credentials.read_text()

    done = patron("import", str(bills), "--preset", "minimal", data_dir=data_dir)  # the gateway of the sign-in
    assert done.returncode == 0, done.stderr
    assert "import 1 (minimal): done" in done.stdout
    assert "created: customers 2, purchase_lines 4, purchases 4" in done.stdout
    assert "uploading 1 file(s)" in done.stderr and "importing" in done.stderr
    assert "progress: 4 of 4 rows" in done.stdout
    rotated = json.loads(credentials.read_text())["refresh_token"]
    assert rotated != kept["refresh_token"]  # each command's refresh rotates the kept token

    broken = tmp_path / "broken.csv"
    broken.write_bytes(b"client_id,email\nc1,a@b.co\n")
    refused = patron("import", str(broken), "--preset", "minimal", "--url", gateway, data_dir=data_dir)
    assert refused.returncode == 1 and "misses required column(s) ordered_at, amount" in refused.stderr

    listed = patron("imports", "list", "--url", gateway, data_dir=data_dir)
    assert listed.returncode == 0 and "done" in listed.stdout and "bills.csv" in listed.stdout
    shown = patron("imports", "show", "1", "--url", gateway, data_dir=data_dir)
    assert shown.returncode == 0 and "rows read 4, accepted 4" in shown.stdout

    # Commands started together each refresh in turn: none spends a refresh token another already used
    # (which the gateway would take for theft, ending the sign-in).
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda _: patron("imports", "list", data_dir=data_dir), range(4)))
    assert [run.returncode for run in together] == [0] * 4, [run.stderr for run in together]
    assert patron("imports", "list", data_dir=data_dir).returncode == 0

    # A script passes an access token instead; it needs no kept sign-in.
    elsewhere = tmp_path / "script"
    scripted = patron("imports", "show", "1", "--url", gateway, data_dir=elsewhere, PATRON_ACCESS_TOKEN=stack["token"])
    assert scripted.returncode == 0 and "rows read 4, accepted 4" in scripted.stdout
    forged = patron("imports", "show", "1", "--url", gateway, data_dir=elsewhere, PATRON_ACCESS_TOKEN="forged")
    assert forged.returncode == 1 and "401" in forged.stderr

    # Signing out ends the sign-in at the gateway too: its last refresh token is refused there.
    last = json.loads(credentials.read_text())["refresh_token"]
    out = patron("sign-out", data_dir=data_dir)
    assert out.returncode == 0 and f"signed out {stack['admin']}" in out.stdout, out.stderr
    assert not credentials.exists()
    assert httpx2.post(f"{gateway}/api/v1/auth/refresh", json={"refresh_token": last}, timeout=30).status_code == 401
    after = patron("imports", "list", "--url", gateway, data_dir=data_dir)
    assert after.returncode == 1 and "run `patron sign-in` first" in after.stderr
    # With the sign-in gone nothing names a gateway, and no `patron up` runs from this folder.
    nowhere = patron("imports", "list", data_dir=data_dir)
    assert nowhere.returncode == 1 and "Patron is not running" in nowhere.stderr
    assert patron("sign-out", data_dir=data_dir).stdout.strip() == "not signed in"


def test_a_wrong_password_keeps_no_sign_in(stack: dict[str, str], tmp_path: Path) -> None:
    wrong = patron(
        "sign-in", "--email", stack["admin"], "--url", stack["gateway"], data_dir=tmp_path, stdin="not the password\n"
    )
    assert wrong.returncode == 1 and "sign-in refused" in wrong.stderr and "Traceback" not in wrong.stderr
    assert not (tmp_path / "credentials.json").exists()


def _small_global_electronics(folder: Path) -> tuple[int, int, int]:
    """The Global Electronics files cut down to their first 40 sales lines and what those lines name."""
    folder.mkdir()
    sales = (GLOBAL_ELECTRONICS / "Sales.csv").read_bytes().splitlines(keepends=True)[:41]
    rows = [line.split(b",") for line in sales[1:]]
    customers, products = {row[4] for row in rows}, {row[6] for row in rows}
    (folder / "Sales.csv").write_bytes(b"".join(sales))
    for name, keys in (("Customers.csv", customers), ("Products.csv", products)):
        lines = (GLOBAL_ELECTRONICS / name).read_bytes().splitlines(keepends=True)
        kept = [line for line in lines[1:] if line.split(b",", 1)[0] in keys]
        (folder / name).write_bytes(lines[0] + b"".join(kept))  # bytes as they are: Windows-1252 stays so
    for name in ("Stores.csv", "Exchange_Rates.csv"):
        (folder / name).write_bytes((GLOBAL_ELECTRONICS / name).read_bytes())
    return len({row[0] for row in rows}), len(customers), len(products)


@pytest.mark.skipif(not GLOBAL_ELECTRONICS.is_dir(), reason="Global Electronics data not available")
def test_patron_demo_loads_a_global_electronics_folder(stack: dict[str, str], tmp_path: Path) -> None:
    orders, customers, products = _small_global_electronics(tmp_path / "demo-data")
    sign_in(stack, tmp_path / "cli")
    done = patron("demo", "--data", str(tmp_path / "demo-data"), data_dir=tmp_path / "cli")
    assert done.returncode == 0, done.stderr
    assert "(global-electronics): done" in done.stdout
    assert f"customers {customers}," in done.stdout and f"products {products}," in done.stdout
    assert f"purchase_lines 40, purchases {orders}," in done.stdout
    with httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=30) as client:
        bills = client.get("/api/v1/purchases", params={"source": "import", "limit": 500}).json()["items"]
    assert len(bills) == orders and sum(len(bill["lines"]) for bill in bills) == 40
