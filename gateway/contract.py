"""One OpenAPI 3.1 document for all of Patron: the gateway's own operations and the services'.

Each service documents its routes; the gateway keeps the public ones (those it routes to that
service), merges components (a schema two services define identically is kept once; a name they
define differently is prefixed with the service's name) and lists the tags per area. The gateway's
own operations (``auth``, ``staff``) come from its own routes. Every operation states its security
requirement from its row in the permission table: none for the public ones (the ways to get a
token), else a staff bearer token, which /docs gets through the OAuth 2 password flow, and then its
401 and 403 refusals.
"""

import copy
import json
from collections.abc import Mapping
from typing import Any

import aiohttp
from fastapi.openapi.utils import get_openapi
from starlette.routing import BaseRoute

from gateway.routes import service_for
from services.kit.contract import document_problems, refusal_response
from services.kit.permissions import Permission

BEARER_SCHEME = "bearerToken"
OAUTH2_SCHEME = "staffPassword"
TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a URL, no secret
_OPERATION_METHODS = ("get", "put", "post", "delete", "patch")
_WRITES = ("post", "put", "patch", "delete")

SECURITY_SCHEMES: dict[str, Any] = {
    BEARER_SCHEME: {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": "A staff access token from `POST /api/v1/auth/sign-in` (or `/token`), valid 15 minutes.",
    },
    OAUTH2_SCHEME: {
        "type": "oauth2",
        "description": "Staff email (as the username) and password; the same access token as sign-in.",
        "flows": {"password": {"tokenUrl": TOKEN_URL, "scopes": {}}},
    },
}

# Accepted on the gateway's own writes like on every write, but never replayed: see docs/security.md.
GATEWAY_IDEMPOTENCY_PARAMETER: dict[str, Any] = {
    "name": "Idempotency-Key",
    "in": "header",
    "required": False,
    "description": (
        "Accepted and ignored, whatever its value: the gateway's account operations never replay a reply: a "
        "link or a token is a one-use secret that is not kept, and the other changes set a state, so "
        "repeating them is harmless."
    ),
    "schema": {"type": "string"},
}

TAG_AREAS = {
    "customers": "Customers and their purchase history.",
    "products": "The catalogue.",
    "stock": "The stock ledger and restock suggestions.",
    "stores": "Stores; store 0 is the online shop.",
    "exchange-rates": "Exchange rates against the base currency.",
    "purchases": "The purchase ledger: bills, cancellations and returns.",
    "imports": "Bulk imports.",
    "loyalty": "Rewards, levels, targets, wallet and campaigns.",
    "program": "The loyalty program: reward thresholds and percents, expiries, points, level thresholds; versioned.",
    "rewards": "Rewards earned on purchases, a customer's rewards and the catalogue with them.",
    "analytics": "Reports, segments and exports.",
    "auth": "Sign-in and tokens; no credentials needed, except to change one's own password.",
    "staff": "Staff accounts: invitations, roles, password resets, deactivation (admins only).",
}


def own_document(*, title: str, version: str, description: str, routes: list[BaseRoute]) -> dict[str, Any]:
    """The gateway's own operations as an OpenAPI document: its errors as problems, its writes taking
    an ``Idempotency-Key``."""
    document = document_problems(get_openapi(title=title, version=version, description=description, routes=routes))
    for item in document.get("paths", {}).values():
        for method in _WRITES:
            if method in item:
                item[method].setdefault("parameters", []).append(GATEWAY_IDEMPOTENCY_PARAMETER)
    return document


def mark_security(document: dict[str, Any], table: Mapping[str, Permission]) -> dict[str, Any]:
    """Give every operation its security requirement from its row: ``[]`` when public, else a staff token."""
    document.setdefault("components", {})["securitySchemes"] = copy.deepcopy(SECURITY_SCHEMES)
    for item in document.get("paths", {}).values():
        for method in _OPERATION_METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            permission = table.get(operation.get("operationId", ""))
            public = permission is not None and permission.public
            operation["security"] = [] if public else [{BEARER_SCHEME: []}, {OAUTH2_SCHEME: []}]
            if not public:
                responses = operation.setdefault("responses", {})
                for status in (401, 403):
                    responses.setdefault(str(status), refusal_response(status))
    return document


def _rewrite_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value.startswith("#/components/schemas/"):
                name = value.rsplit("/", 1)[1]
                out[key] = "#/components/schemas/" + renames.get(name, name)
            else:
                out[key] = _rewrite_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def merge_documents(base: dict[str, Any], services: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Merge the services' documents into ``base`` (the gateway's own document)."""
    merged = copy.deepcopy(base)
    paths = merged.setdefault("paths", {})
    schemas = merged.setdefault("components", {}).setdefault("schemas", {})
    for service, document in sorted(services.items()):
        theirs = document.get("components", {}).get("schemas", {})
        renames = {}
        for name, schema in theirs.items():
            if name in schemas and json.dumps(schemas[name], sort_keys=True) != json.dumps(schema, sort_keys=True):
                renames[name] = f"{service.title()}{name}"
        for name, schema in theirs.items():
            schemas[renames.get(name, name)] = _rewrite_refs(schema, renames)
        for path, item in document.get("paths", {}).items():
            if service_for(path) == service:
                paths[path] = _rewrite_refs(item, renames)
    used_tags = sorted(
        {
            tag
            for item in paths.values()
            for operation in item.values()
            if isinstance(operation, dict)
            for tag in operation.get("tags", [])
        }
    )
    merged["tags"] = [{"name": tag, "description": TAG_AREAS.get(tag, "")} for tag in used_tags]
    return merged


async def fetch_documents(
    session: aiohttp.ClientSession, upstreams: dict[str, str], headers: dict[str, str]
) -> tuple[dict[str, Any], list[str]]:
    """Each reachable service's document, and the names of the services that could not be read."""
    documents, missing = {}, []
    for service, base_url in upstreams.items():
        try:
            async with session.get(f"{base_url}/openapi.json", headers=headers, raise_for_status=True) as response:
                documents[service] = json.loads(await response.read())
        except (aiohttp.ClientError, TimeoutError, ValueError):
            missing.append(service)
    return documents, missing
