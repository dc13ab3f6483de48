"""The metric labels of a forwarded request: its route template and the service it goes to.

A raw path never becomes a label. The templates are the paths of the services' own OpenAPI
documents, which the gateway reads for the merged contract; until a service's document has been
read, its requests are labelled by its prefix only (``/api/v1/customers/*``). A path under the API
prefix that no service owns, or that none of its service's templates matches, is ``unmatched``.

The lookup is per request, so it is one dict lookup for a template without parameters, else one
regex, compiled per first segment and segment count, whose alternatives put literal segments first.
"""

import re
from collections.abc import Iterable, Mapping
from typing import Any

from gateway.routes import API_PREFIX, ROUTES, service_for

UNMATCHED = "unmatched"
HTTP_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"})

# Per service: its literal templates by path, and per (first segment, segment count) one regex whose
# n-th alternative (literal segments before parameters) matches the n-th template.
_Table = tuple[frozenset[str], dict[tuple[str, int], tuple[re.Pattern[str], list[str]]]]


def _table(paths: Iterable[str], start: str) -> _Table:
    exact: set[str] = set()
    grouped: dict[tuple[str, int], list[tuple[int, str, str]]] = {}
    for path in paths:
        segments = path[len(start) :].split("/")
        if not any(_is_parameter(part) for part in segments):
            exact.add(path)
            continue
        regex = "/".join("[^/]+" if _is_parameter(part) else re.escape(part) for part in segments)
        literals = sum(not _is_parameter(part) for part in segments)
        grouped.setdefault((segments[0], len(segments)), []).append((-literals, regex, path))
    patterns = {}
    for key, candidates in grouped.items():
        candidates.sort()
        alternatives = "|".join(f"({regex})" for _, regex, _ in candidates)
        patterns[key] = (re.compile(alternatives), [path for _, _, path in candidates])
    return frozenset(exact), patterns


def _is_parameter(part: str) -> bool:
    return part.startswith("{") and part.endswith("}")


class RouteLabels:
    """``labels(path)`` → ``(route, upstream)`` for a forwarded path, or None for the gateway's own."""

    def __init__(self, own_families: Iterable[str], routes: Mapping[str, str] = ROUTES, prefix: str = API_PREFIX):
        self._start = prefix + "/"
        self._own = frozenset(own_families)
        self._services = {first.strip("/"): service for first, service in routes.items()}
        self._fallback = {first: f"{prefix}/{first}/*" for first in self._services}
        self._tables: dict[str, _Table] = {}
        self._methods: dict[str, frozenset[str]] = {}

    @property
    def known(self) -> set[str]:
        """The services whose templates have been read."""
        return set(self._tables)

    def learn(self, documents: Mapping[str, Mapping[str, Any]]) -> None:
        """Take each service's templates from its OpenAPI document (the paths the gateway routes to it)."""
        for service, document in documents.items():
            paths = [path for path in document.get("paths", {}) if service_for(path) == service]
            self._tables[service] = _table(paths, self._start)
            for path in paths:
                served = {method.upper() for method in document["paths"][path]} & HTTP_METHODS
                self._methods[path] = frozenset(served | ({"HEAD"} if "GET" in served else set()))

    def methods(self, path: str, unknown: frozenset[str]) -> frozenset[str] | None:
        """The methods a forwarded path's service serves there: ``unknown`` until its templates are read,
        None when no template of its service matches (or the path is the gateway's own)."""
        label = self(path)
        if label is None or label[0] == UNMATCHED:
            return None
        return self._methods.get(label[0], unknown)

    def __call__(self, path: str) -> tuple[str, str] | None:
        if not path.startswith(self._start):
            return None
        rest = path[len(self._start) :]
        first = rest.partition("/")[0]
        service = self._services.get(first)
        if service is None:
            return None if first in self._own else (UNMATCHED, "")
        table = self._tables.get(service)
        if table is None:
            return self._fallback[first], service
        exact, patterns = table
        if path in exact:
            return path, service
        found = patterns.get((first, rest.count("/") + 1))
        if found is not None:
            match = found[0].fullmatch(path, len(self._start))
            if match is not None and match.lastindex is not None:
                return found[1][match.lastindex - 1], service
        return UNMATCHED, service
