"""Clients generated from the merged contract: a Python one (openapi-python-client, committed in
clients/python/patron_api and wrapped by clients/python/patron_client.py) and a TypeScript one
(openapi-typescript, type-checked with tsc)."""

import filecmp
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx2
import pytest

from tests.gateway.conftest import STACK_ADMIN
from tests.gateway.test_payloads_end_to_end import admin_http, client_key, product, purchase_of  # noqa: F401
from tests.gateway.test_payloads_interop import patron_client  # noqa: F401 - fixture
from tests.support.accounts import STAFF_PASSWORD

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]
PYTHON_CLIENT = ROOT / "clients" / "python"
TYPESCRIPT_CLIENT = ROOT / "clients" / "typescript"


def _contract(stack, path: Path) -> Path:
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    path.write_text(json.dumps(document, indent=2))
    return path


def _differences(left: Path, right: Path) -> list[str]:
    compared = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"only in {left.name}: {name}" for name in compared.left_only]
    found += [f"only in the committed client: {name}" for name in compared.right_only]
    found += [f"differs: {name}" for name in compared.diff_files]
    for name, sub in compared.subdirs.items():
        found += [f"{name}/{line}" for line in _differences(Path(sub.left), Path(sub.right))]
    return found


def test_the_committed_python_client_is_the_one_the_contract_generates(stack, tmp_path):
    # openapi-python-client pins a typer older than Patron's, so it runs from a venv of its own.
    generator = tmp_path / "generator"
    subprocess.run([sys.executable, "-m", "venv", str(generator)], check=True)
    pip = [str(generator / "bin" / "python"), "-m", "pip", "install", "--quiet", "--progress-bar", "off"]
    subprocess.run([*pip, "-r", str(PYTHON_CLIENT / "generator-requirements.txt")], check=True, timeout=300)
    contract = _contract(stack, tmp_path / "openapi.json")
    out = tmp_path / "patron_api"
    command = [str(generator / "bin" / "openapi-python-client"), "generate", "--path", str(contract)]
    command += ["--meta", "none", "--config", str(PYTHON_CLIENT / "generator.yaml"), "--output-path", str(out)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin"})
    assert out.is_dir(), result.stdout + result.stderr
    assert _differences(out, PYTHON_CLIENT / "patron_api") == [], (
        "clients/python/patron_api is out of date: regenerate it (see clients/python/generator.yaml)"
    )


def test_the_generated_python_client_signs_in_and_records_a_purchase_sealed(
    stack,
    admin_http,  # noqa: F811
    product,  # noqa: F811
    patron_client,  # noqa: F811
    monkeypatch,
):
    monkeypatch.syspath_prepend(str(PYTHON_CLIENT))
    from patron_api.api.purchases import purchases_read_purchase, purchases_record_purchase
    from patron_api.models.purchase_create import PurchaseCreate
    from patron_api.models.purchase_public import PurchasePublic
    from patron_api.models.purchase_recorded_public import PurchaseRecordedPublic

    key = client_key(admin_http, "generated-till")
    with patron_client.PatronClient(stack["gateway"], kid=key["kid"], key=key["secret"]) as patron:
        token = patron.sign_in(STACK_ADMIN, STAFF_PASSWORD)
        with patron.api() as api:
            body = PurchaseCreate.from_dict(purchase_of(product, 2))
            recorded = purchases_record_purchase.sync_detailed(client=api, body=body, idempotency_key="gen-1")
            assert recorded.status_code == 201, recorded.content
            assert isinstance(recorded.parsed, PurchaseRecordedPublic)
            read = purchases_read_purchase.sync(client=api, purchase_id=recorded.parsed.id)
    assert token
    # The calls really travel sealed: the same client under a wrong key cannot even sign in.
    impostor = patron_client.PatronClient(stack["gateway"], kid=key["kid"], key=b"\x01" * 32)
    with impostor, pytest.raises(PermissionError, match="400"):
        impostor.sign_in(STACK_ADMIN, STAFF_PASSWORD)
    assert isinstance(read, PurchasePublic) and read.id == recorded.parsed.id
    assert [(line.product_id, line.quantity) for line in read.lines] == [(product["id"], 2)]
    listed = admin_http.get("/api/v1/purchases").json()["items"]
    assert [item["id"] for item in listed] == [recorded.parsed.id]


def test_the_typescript_client_is_generated_and_type_checks(stack, tmp_path):
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.skip("node and npm are not installed: the TypeScript client cannot be generated here")
    work = tmp_path / "ts"
    shutil.copytree(
        TYPESCRIPT_CLIENT, work, ignore=shutil.ignore_patterns("node_modules", "patron.d.ts", "openapi.json")
    )
    environment = os.environ | {"npm_config_update_notifier": "false", "npm_config_fund": "false"}
    subprocess.run([npm, "ci", "--no-audit"], cwd=work, check=True, timeout=300, env=environment)
    _contract(stack, work / "openapi.json")
    generated = subprocess.run(
        [npm, "run", "--silent", "generate"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    assert "/api/v1/purchases" in (work / "src" / "patron.d.ts").read_text()
    checked = subprocess.run([npm, "run", "--silent", "check"], cwd=work, capture_output=True, text=True, timeout=300)
    assert checked.returncode == 0, checked.stdout + checked.stderr
