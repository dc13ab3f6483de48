"""The OpenAPI contract of a Patron app: every error documented as the problem+json it really is."""

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.kit.errors import PROBLEM_JSON

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "An RFC 9457 problem. `errors` lists each bad field of a 4xx caused by input.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri", "description": "Stable identifier of the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message", "code"],
                "properties": {
                    "field": {"type": "string", "examples": ["body.sku"]},
                    "message": {"type": "string"},
                    "code": {"type": "string"},
                },
            },
        },
    },
    "additionalProperties": True,
}

_PROBLEM_RESPONSE = {
    "description": "A problem (RFC 9457).",
    "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}},
}
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Replace FastAPI's default 422 shape by the problem+json Patron returns, for every status."""
    for path_item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["default"] = _PROBLEM_RESPONSE
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    return document


IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the same request with the same key (per caller, for 24 hours) returns the "
        "first response instead of acting again; the key with another request is a 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200},
}
_WRITES = ("post", "put", "patch", "delete")


def document_idempotency(document: dict[str, Any]) -> dict[str, Any]:
    """Declare ``Idempotency-Key`` on every write operation (the middleware honours it on all of them)."""
    for path_item in document.get("paths", {}).values():
        for method in _WRITES:
            operation = path_item.get(method)
            if operation is None:
                continue
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("in") == "header" and p.get("name", "").lower() == "idempotency-key" for p in parameters):
                parameters.append(IDEMPOTENCY_PARAMETER)
    return document


def install_contract(app: FastAPI, *, idempotent_writes: bool = False) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
            document = document_problems(document)
            app.openapi_schema = document_idempotency(document) if idempotent_writes else document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
