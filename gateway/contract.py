"""One OpenAPI 3.1 document for all of Patron, merged from the services' own documents.

Each service documents its routes; the gateway keeps the public ones (those it routes to that
service), merges components (a schema two services define identically is kept once; a name they
define differently is prefixed with the service's name) and lists the tags per area.
"""

import copy
import json
from typing import Any

import aiohttp

from gateway.routes import service_for

TAG_AREAS = {
    "customers": "Customers and their purchase history.",
    "products": "The catalogue.",
    "stock": "The stock ledger and restock suggestions.",
    "stores": "Stores; store 0 is the online shop.",
    "exchange-rates": "Exchange rates against the base currency.",
    "purchases": "The purchase ledger: bills, cancellations and returns.",
    "imports": "Bulk imports.",
    "loyalty": "Rewards, levels, targets, wallet and campaigns.",
    "analytics": "Reports, segments and exports.",
    "auth": "Sign-in and tokens.",
}


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
