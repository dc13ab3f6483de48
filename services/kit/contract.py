"""The OpenAPI contract of a Patron app: every error documented as the problem+json it really is.

Every route gets, with nothing to declare: its summary (the first line of its docstring), the refusals
its shape allows (a 404 when it names a resource in its path, a 409 when it writes, a 422 when it takes
input, a 400 when it takes a cursor), each a problem with its type URI, and examples of its request body
and of its reply, made from the schemas (a field's own ``examples`` first, then its default, its enum,
its bounds and format).
"""

import copy
import re
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from services.kit.errors import PROBLEM_JSON, problem_type
from services.kit.pagination import CURSOR_DESCRIPTION

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
_WRITES = ("post", "put", "patch", "delete")


# The refusals a route's shape allows: status → (problem slug, title, when).
REFUSALS: dict[int, tuple[str, str, str]] = {
    400: ("bad-cursor", "Unknown cursor", "The cursor is not one this server issued (cursors are opaque)."),
    401: ("unauthorized", "Unauthorized", "No valid access token."),
    403: ("forbidden", "Forbidden", "The caller's roles do not allow this operation."),
    404: ("not-found", "Not found", "The resource named in the path does not exist (or is not the caller's)."),
    409: ("conflict", "Conflict", "Refused by the state of the data: a duplicate, a state that forbids it."),
    422: (
        "validation",
        "Invalid input",
        "Invalid input, or refused by a business rule (an unknown reference, not enough stock, ...); "
        "`errors` names each field.",
    ),
    413: ("payload-too-large", "Payload too large", "The body is larger than the limit."),
    415: ("unsupported-media-type", "Unsupported media type", "The body is not of a type the operation reads."),
    429: ("too-many-requests", "Too many requests", "Slow down: `Retry-After` says how many seconds to wait."),
}


def refusal_response(status: int) -> dict[str, Any]:
    """The documented reply of one refusal: a problem, with its type URI and an example."""
    slug, title, when = REFUSALS[status]
    return {
        "description": f"{title}: {when} Problem type `{problem_type(slug)}`.",
        "content": {
            PROBLEM_JSON: {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": {"type": problem_type(slug), "title": title, "status": status, "detail": when},
            }
        },
        "x-problem-types": [problem_type(slug)],
    }


def _refusals_of(method: str, operation: dict[str, Any]) -> list[int]:
    parameters = operation.get("parameters", [])
    statuses = []
    for parameter in parameters:
        if parameter.get("in") == "query" and parameter.get("name") == "cursor":
            parameter["description"] = CURSOR_DESCRIPTION
            statuses.append(400)
    if any(p.get("in") == "path" for p in parameters):
        statuses.append(404)
    if method in _WRITES:
        statuses.append(409)
    if parameters or "requestBody" in operation:
        statuses.append(422)
    return statuses


def _summarise(operation: dict[str, Any]) -> None:
    first_line = (operation.get("description") or "").strip().split("\n", 1)[0].strip()
    if first_line:
        operation["summary"] = first_line.rstrip(".")


def document_problems(document: dict[str, Any]) -> dict[str, Any]:
    """Replace FastAPI's default 422 shape by the problem+json Patron returns, for every status; document
    each refusal the operation's shape allows, its summary and its examples."""
    for path_item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            for status in _refusals_of(method, operation):
                responses.setdefault(str(status), refusal_response(status))
            for status, reply in responses.items():  # a refusal a route declares itself, as a problem
                if status.isdigit() and int(status) in REFUSALS and "content" not in reply:
                    responses[status] = refusal_response(int(status)) | {"description": reply["description"]}
            responses["default"] = _PROBLEM_RESPONSE
            _summarise(operation)
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_VALIDATION:
        schemas.pop(name, None)
    schemas["Problem"] = PROBLEM_SCHEMA
    document_examples(document)
    return document


_MAX_DEPTH = 8
_FORMATS = {
    "date-time": "2026-01-15T10:30:00Z",
    "date": "2026-01-15",
    "time": "10:30:00",
    "email": "someone@example.com",
    "uri": "https://example.com/",
    "uuid": "3f2c1e9a-8b7d-4c6e-9f10-2a3b4c5d6e7f",
    "binary": "",
    "duration": "P1D",
}


def example_of(schema: Any, components: dict[str, Any], depth: int = 0) -> Any:
    """An instance of ``schema``: its own examples first, else one made from its default, enum, bounds,
    format and properties (every property, so a reply's example shows its whole shape)."""
    if not isinstance(schema, dict) or depth > _MAX_DEPTH:
        return None
    if "$ref" in schema:
        return example_of(components.get(schema["$ref"].rsplit("/", 1)[1]), components, depth + 1)
    for key in ("examples",):
        if isinstance(schema.get(key), list) and schema[key]:
            return copy.deepcopy(schema[key][0])
    if "example" in schema:
        return copy.deepcopy(schema["example"])
    if schema.get("default") is not None:
        return copy.deepcopy(schema["default"])
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            options = [o for o in schema[key] if not (isinstance(o, dict) and o.get("type") == "null")]
            return example_of(options[0], components, depth + 1) if options else None
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            value = example_of(part, components, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "object" or "properties" in schema:
        return {
            name: example_of(sub, components, depth + 1)
            for name, sub in schema.get("properties", {}).items()
            if example_of(sub, components, depth + 1) is not None or name in schema.get("required", [])
        }
    if kind == "array":
        item = example_of(schema.get("items", {}), components, depth + 1)
        return [item] * max(1, schema.get("minItems", 1)) if item is not None else []
    if kind in ("integer", "number"):
        return _number(schema, kind)
    if kind == "boolean":
        return True
    if kind == "string":
        return _string(schema)
    return None


# Tried in order against a pattern, when a string field has one and no example of its own.
_PATTERNED = ("someone@example.com", "+33 1 23 45 67 89", "USD", "12.50", "2026-01", "example", "A1", "1")


def _string(schema: dict[str, Any]) -> str | None:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]]
    minimum, maximum = int(schema.get("minLength", 0)), int(schema.get("maxLength", 10**6))
    if "pattern" in schema:
        pattern = re.compile(schema["pattern"])
        fits = [text for text in _PATTERNED if pattern.search(text) and minimum <= len(text) <= maximum]
        return fits[0] if fits else None
    text = "example"
    return (text + "x" * minimum)[: max(minimum, min(maximum, len(text)))]


def _number(schema: dict[str, Any], kind: str) -> int | float:
    value = 1
    if "minimum" in schema:
        value = max(value, schema["minimum"])
    if "exclusiveMinimum" in schema:
        value = max(value, schema["exclusiveMinimum"] + 1)
    if "maximum" in schema:
        value = min(value, schema["maximum"])
    if "exclusiveMaximum" in schema:
        value = min(value, schema["exclusiveMaximum"] - 1)
    return int(value) if kind == "integer" else value


def _give_example(media_type: str, media: dict[str, Any], components: dict[str, Any]) -> None:
    if "example" in media or "examples" in media:
        return
    if media_type == "text/csv":
        media["example"] = "id,name\n1,example\n"
        return
    value = example_of(media.get("schema"), components)
    if value is not None:
        media["example"] = value


def document_examples(document: dict[str, Any]) -> dict[str, Any]:
    """Give every request body and every 2xx JSON reply an example made from its schema."""
    components = document.get("components", {}).get("schemas", {})
    for path_item in document.get("paths", {}).values():
        for method in _METHODS:
            operation = path_item.get(method)
            if operation is None:
                continue
            for media_type, media in operation.get("requestBody", {}).get("content", {}).items():
                _give_example(media_type, media, components)
            for status, response in operation.get("responses", {}).items():
                if status.startswith("2"):
                    for media_type, media in response.get("content", {}).items():
                        _give_example(media_type, media, components)
    return document


IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Makes a retry safe: the same request with the same key (per caller, for 24 hours) returns the "
        "first response instead of acting again; the key with another request is a 422."
    ),
    "schema": {"type": "string", "minLength": 1, "maxLength": 200, "pattern": "^[ -~]+$"},
}


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
