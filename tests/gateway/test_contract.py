"""The gateway's merged OpenAPI contract: valid, complete, and true of the running system."""

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import httpx2
import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from gateway.routes import service_for
from services.contracts.permissions import PERMISSIONS
from services.kit.errors import PROBLEM_BASE
from tests.conftest import signed
from tests.support.accounts import STAFF_PASSWORD, bearer

pytestmark = pytest.mark.timeout(600)

ROOT = Path(__file__).resolve().parents[2]


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
    assert {tag["name"] for tag in document["tags"]} >= {"customers", "products", "purchases", "stock", "auth", "staff"}
    assert "Problem" in document["components"]["schemas"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    docs = httpx2.get(f"{stack['gateway']}/docs", timeout=30)
    assert docs.status_code == 200 and "/openapi.json" in docs.text


def test_every_operation_states_its_security_and_docs_sign_in_with_the_password_flow(stack):
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()  # no credentials needed
    schemes = document["components"]["securitySchemes"]
    bearer_schemes = [name for name, scheme in schemes.items() if scheme["type"] == "http"]
    oauth2 = [name for name, scheme in schemes.items() if scheme["type"] == "oauth2"]
    assert len(bearer_schemes) == 1 and len(oauth2) == 1
    assert schemes[bearer_schemes[0]]["scheme"] == "bearer" and schemes[bearer_schemes[0]]["bearerFormat"] == "JWT"
    token_url = schemes[oauth2[0]]["flows"]["password"]["tokenUrl"]
    assert token_url == "/api/v1/auth/token" and "post" in document["paths"][token_url]
    public = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert "security" in operation, f"{method.upper()} {path} states no security requirement"
            if PERMISSIONS[operation["operationId"]].public:
                assert operation["security"] == [], operation["operationId"]
                public.append(operation["operationId"])
            else:
                assert operation["security"] == [{bearer_schemes[0]: []}, {oauth2[0]: []}], operation["operationId"]
    assert sorted(public) == [
        "auth-accept-customer-invitation",
        "auth-accept-invitation",
        "auth-complete-password-reset",
        "auth-customer-sign-in",
        "auth-refresh",
        "auth-register-customer",
        "auth-sign-in",
        "auth-sign-out",
        "auth-token",
    ]
    token = document["paths"][token_url]["post"]["requestBody"]["content"]
    assert "application/x-www-form-urlencoded" in token

    docs = httpx2.get(f"{stack['gateway']}/docs", timeout=30)
    assert docs.status_code == 200 and '"persistAuthorization": true' in docs.text
    # What Swagger UI's Authorize sends for the password flow, and the call it then makes.
    form = {"grant_type": "password", "username": stack["admin"], "password": STAFF_PASSWORD}
    granted = httpx2.post(f"{stack['gateway']}{token_url}", data=form | {"scope": ""}, timeout=30)
    assert granted.status_code == 200, granted.text
    tried = httpx2.get(f"{stack['gateway']}/api/v1/staff", headers=bearer(granted.json()["access_token"]), timeout=30)
    assert tried.status_code == 200


# What schemathesis expects of schema-valid data by default (its `positive_data_acceptance`).
ACCEPTED_BY_DEFAULT = ["2xx", "3xx", "401", "403", "404", "409", "429"]


def schemathesis_config(document: dict) -> str:
    """The committed schemathesis.toml, and per operation the statuses of the refusals it documents
    accepted as answers to schema-valid data (a business rule may refuse what the schema allows)."""
    blocks = [(ROOT / "schemathesis.toml").read_text()]
    for item in document["paths"].values():
        for operation in item.values():
            refusals = [
                status
                for status, reply in operation["responses"].items()
                if status.startswith("4") and "x-problem-types" in reply and status not in ACCEPTED_BY_DEFAULT
            ]
            statuses = ", ".join(f'"{status}"' for status in ACCEPTED_BY_DEFAULT + sorted(refusals))
            blocks.append(
                f'[[operations]]\ninclude-operation-id = "{operation["operationId"]}"\n'
                f"checks.positive_data_acceptance.expected-statuses = [{statuses}]\n"
            )
    return "\n".join(blocks)


def test_schemathesis_runs_every_check_on_every_operation_and_the_contract_holds(stack, tmp_path):
    """Property-based calls of every operation through the gateway, checked by every check of schemathesis."""
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    config = tmp_path / "schemathesis.toml"
    config.write_text(schemathesis_config(document))
    command = [
        os.path.join(os.path.dirname(sys.executable), "st"),
        "--config-file",
        str(config),
        "run",
        f"{stack['gateway']}/openapi.json",
        # No --checks: every check runs (schemathesis' default), and schemathesis.toml can then turn one
        # off for the operations it names (a --checks on the command line would override it).
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--max-examples",
        os.environ.get("PATRON_SCHEMATHESIS_EXAMPLES", "15"),
        # One worker: Hypothesis' cache of lambda sources is not thread-safe, and two workers now and
        # then stop the run with its "AST constructor recursion depth mismatch".
        "--workers",
        "1",
        "--seed",
        "1",
        "--suppress-health-check",
        "all",
        "--header",
        f"Authorization: Bearer {stack['token']}",
        # Changing roles ends the changed user's tokens, the fuzzing admin's own among them (tested
        # in tests/gateway/test_staff.py).
        "--exclude-operation-id",
        "staff-change-staff-roles",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=540, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    operations = sum(len(item) for item in document["paths"].values())
    assert f"{operations - 1} selected / {operations} total" in result.stdout, result.stdout[-3000:]


def test_the_schemathesis_configuration_turns_no_check_off_everywhere():
    config = tomllib.loads((ROOT / "schemathesis.toml").read_text())
    assert "checks" not in config, "a check is configured for every operation: name the operations instead"
    for block in config.get("operations", []):
        assert any(key.startswith(("include-", "exclude-")) for key in block), block


def test_every_operation_has_a_summary_a_tag_examples_its_refusals_and_its_security(stack):
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    problem = "#/components/schemas/Problem"
    validator_root = {"components": document["components"]}
    for path, item in document["paths"].items():
        for method, operation in item.items():
            name = f"{method.upper()} {path}"
            assert operation.get("summary"), name
            assert operation.get("tags"), name
            assert "security" in operation, name
            bodies = list(operation.get("requestBody", {}).get("content", {}).values())
            replies = [
                media
                for status, reply in operation["responses"].items()
                if status.startswith("2")
                for media in reply.get("content", {}).values()
            ]
            for media in bodies + replies:
                if media.get("schema") == {}:
                    continue  # an untyped reply (a report answering JSON or CSV): nothing to exemplify
                assert "example" in media or "examples" in media, f"{name}: no example"
                if "schema" in media and "example" in media:
                    schema = {**media["schema"], **validator_root}
                    Draft202012Validator(schema, format_checker=None).validate(media["example"])
            refusals = {status: reply for status, reply in operation["responses"].items() if status.startswith("4")}
            assert refusals, f"{name} documents no refusal"
            for status, reply in refusals.items():
                assert reply["content"]["application/problem+json"]["schema"] == {"$ref": problem}, (name, status)
                types = reply["x-problem-types"]
                assert types and all(t.startswith(PROBLEM_BASE) for t in types), (name, status)
                assert reply["content"]["application/problem+json"]["example"]["type"] in types
            if operation["security"]:
                assert {"401", "403"} <= set(refusals), name
            if any(p["in"] == "path" for p in operation.get("parameters", [])):
                assert "404" in refusals, name
            if any(p["in"] == "query" and p["name"] == "cursor" for p in operation.get("parameters", [])):
                assert (
                    "400" in refusals
                    and "opaque"
                    in next(p["description"] for p in operation["parameters"] if p["name"] == "cursor").lower()
                ), name


def test_the_contract_excludes_what_the_system_refuses(stack):
    document = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    schemas = document["components"]["schemas"]
    assert schemas["Adjustment"]["properties"]["quantity"]["not"] == {"const": 0}
    upload = document["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert "file" in upload["required"] and upload["properties"]["file"]["minItems"] == 1
    currency = schemas["ProductCreate"]["properties"]
    assert any("^[A-Za-z]{3}$" in json.dumps(schema) for schema in schemas.values()), "no currency pattern"
    assert currency  # the product schema is there
    headers = bearer(stack["token"])
    patched = httpx2.patch(f"{stack['gateway']}/api/v1/products/restock-suggestions", json={}, headers=headers)
    assert patched.status_code == 405 and "GET" in patched.headers["allow"]
    listed = httpx2.get(f"{stack['gateway']}/api/v1/products/restock-suggestions", headers=headers, timeout=30)
    assert listed.status_code == 200, listed.text
    made_up = httpx2.get(f"{stack['gateway']}/api/v1/products", params={"cursor": "made-up"}, headers=headers)
    assert made_up.status_code == 400 and made_up.json()["type"] == PROBLEM_BASE + "bad-cursor"


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
        if service_for(path) is None:  # the gateway's own: accepted and ignored, any value
            assert keys[0]["schema"] == {"type": "string"}
        else:
            assert keys[0]["schema"] == {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[ -~]+$"}

    body = {"sku": "IDEM-1", "name": "Kept once", "unit_cost": "1.20", "unit_price": "3.50"}
    headers = {"Idempotency-Key": "gateway-retry-1"} | bearer(stack["token"])
    first = httpx2.post(f"{stack['gateway']}/api/v1/products", json=body, headers=headers, timeout=30)
    again = httpx2.post(f"{stack['gateway']}/api/v1/products", json=body, headers=headers, timeout=30)
    assert first.status_code == 201, first.text
    assert again.status_code == 201 and again.json() == first.json()
    assert again.headers["idempotent-replayed"] == "true"
    listed = httpx2.get(
        f"{stack['gateway']}/api/v1/products", params={"limit": 200}, headers=bearer(stack["token"]), timeout=30
    ).json()
    assert [p["sku"] for p in listed["items"]].count("IDEM-1") == 1
