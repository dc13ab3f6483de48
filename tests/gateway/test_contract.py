"""The gateway's merged OpenAPI contract: valid, complete, and true of the running system."""

import os
import re
import subprocess
import sys

import httpx2
import pytest
from openapi_spec_validator import validate

from gateway.routes import service_for
from tests.conftest import signed

pytestmark = pytest.mark.timeout(600)


def test_the_merged_document_is_valid_openapi_3_1_and_covers_every_public_route(stack):
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert "x-unavailable-services" not in document["info"]
    assert httpx2.get(f"{stack['customer']}/openapi.json", timeout=30).status_code == 401
    customer_doc = httpx2.get(f"{stack['customer']}/openapi.json", headers=signed(), timeout=30).json()
    public = {path for path in customer_doc["paths"] if service_for(path) == "customer"}
    assert public and public <= set(document["paths"])
    operation_ids = [
        operation["operationId"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "operationId" in operation
    ]
    assert len(operation_ids) == len(set(operation_ids))
    for item in document["paths"].values():
        for operation in item.values():
            tag = operation["tags"][0]
            assert re.fullmatch(rf"{re.escape(tag)}-[a-z0-9-]+", operation["operationId"]), operation["operationId"]
    assert {tag["name"] for tag in document["tags"]} >= {"customers", "products", "purchases", "stock"}
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    docs = httpx2.get(f"{stack['gateway']}/docs", timeout=30)
    assert docs.status_code == 200 and "/openapi.json" in docs.text


def test_schemathesis_finds_no_server_error_and_no_response_breaking_the_schema(stack, tmp_path):
    """Property-based calls of every operation through the gateway, checked against the contract."""
    command = [
        os.path.join(os.path.dirname(sys.executable), "st"),
        "run",
        f"{stack['gateway']}/openapi.json",
        "--checks",
        "not_a_server_error,status_code_conformance,content_type_conformance,"
        "response_headers_conformance,response_schema_conformance",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        os.environ.get("PATRON_SCHEMATHESIS_EXAMPLES", "25"),
        "--workers",
        "2",
        "--seed",
        "1",
        "--suppress-health-check",
        "all",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=540, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


def test_every_write_of_the_public_contract_accepts_an_idempotency_key_and_the_gateway_honours_it(stack):
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    writes = [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) >= 10
    for method, path, operation in writes:
        keys = [p for p in operation.get("parameters", []) if p["in"] == "header" and p["name"] == "Idempotency-Key"]
        assert len(keys) == 1, f"{method.upper()} {path} does not declare Idempotency-Key"
        assert keys[0]["schema"] == {"type": "string", "minLength": 1, "maxLength": 200}

    body = {"sku": "IDEM-1", "name": "Kept once", "unit_cost": "1.20", "unit_price": "3.50"}
    headers = {"Idempotency-Key": "gateway-retry-1"}
    first = httpx2.post(f"{stack['gateway']}/api/v1/products", json=body, headers=headers, timeout=30)
    again = httpx2.post(f"{stack['gateway']}/api/v1/products", json=body, headers=headers, timeout=30)
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = httpx2.get(f"{stack['gateway']}/api/v1/products", params={"limit": 200}, timeout=30).json()
    assert [p["sku"] for p in listed["items"]].count("IDEM-1") == 1
