"""Problem details (RFC 9457): Patron's one error shape, with stable type URIs, for every service."""

import logging
import re
from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from sqlalchemy.exc import DBAPIError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import compile_path

from services.kit.db import postgres_error
from services.kit.request_id import REQUEST_ID_HEADER, current_request_id, request_id_of

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://patron.dev/problems/"

log = logging.getLogger("patron.errors")


def problem_type(slug: str) -> str:
    return PROBLEM_BASE + slug


class FieldError(dict[str, str]):
    """One bad field: where it is (``body.sku``, ``query.limit``), what is wrong, and a code."""

    def __init__(self, field: str, message: str, code: str = "invalid") -> None:
        super().__init__(field=field, message=message, code=code)


class Problem(Exception):
    """An error that becomes a problem+json response. Subclasses fix the status and the type."""

    status: int = 500
    slug: str = "internal"
    title: str = "Internal error"

    def __init__(
        self,
        detail: str,
        *,
        errors: Sequence[FieldError] = (),
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = list(errors)
        self.headers = headers or {}
        self.extra = extra

    def body(self, instance: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": problem_type(self.slug),
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "instance": instance,
        }
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        request_id = current_request_id()
        if request_id:
            body["request_id"] = request_id
        return body


class MethodNotAllowed(Problem):
    status, slug, title = 405, "method-not-allowed", "Method not allowed"


class BadRequest(Problem):
    status, slug, title = 400, "bad-request", "Bad request"


class BadCursor(BadRequest):
    """A ``cursor`` this server did not issue: cursors are opaque, only a page's ``next_cursor`` is one."""

    slug, title = "bad-cursor", "Unknown cursor"

    def __init__(self) -> None:
        super().__init__(
            "query.cursor: not a cursor this server issued",
            errors=[FieldError("query.cursor", "malformed or foreign cursor", "cursor")],
        )


class Unauthorized(Problem):
    status, slug, title = 401, "unauthorized", "Unauthorized"


class Forbidden(Problem):
    status, slug, title = 403, "forbidden", "Forbidden"


class NotFound(Problem):
    status, slug, title = 404, "not-found", "Not found"


class Conflict(Problem):
    status, slug, title = 409, "conflict", "Conflict"


class InvalidInput(Problem):
    status, slug, title = 422, "validation", "Invalid input"

    @classmethod
    def field(cls, field: str, message: str, code: str = "invalid") -> "InvalidInput":
        return cls(f"{field}: {message}", errors=[FieldError(field, message, code)])


class TooManyRequests(Problem):
    """Slow down: ``Retry-After`` says how many seconds to wait."""

    status, slug, title = 429, "too-many-requests", "Too many requests"

    def __init__(self, detail: str, *, retry_after: int) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


class RequestTimeout(Problem):
    """The client stopped sending its request's body: the connection is closed after the reply."""

    status, slug, title = 408, "request-timeout", "Request timeout"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"Connection": "close"})


class ServiceBusy(Problem):
    """Every connection or slot this process has for the work is taken: ``Retry-After`` says when to retry."""

    status, slug, title = 503, "busy", "Too busy"

    def __init__(self, detail: str, *, retry_after: int = 1) -> None:
        super().__init__(detail, headers={"Retry-After": str(retry_after)}, retry_after=retry_after)


class BadGateway(Problem):
    status, slug, title = 502, "bad-gateway", "Service unavailable"


class GatewayTimeout(Problem):
    status, slug, title = 504, "gateway-timeout", "Service too slow"


class NotReady(Problem):
    status, slug, title = 503, "not-ready", "Service not ready"


_HTTP_STATUS_SLUGS = {
    400: ("bad-request", "Bad request"),
    401: ("unauthorized", "Unauthorized"),
    403: ("forbidden", "Forbidden"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    413: ("payload-too-large", "Payload too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
}


# character_not_in_repertoire (a NUL in text), untranslatable_character (a \u0000 in JSON)
_UNSTORABLE_TEXT = frozenset({"22021", "22P05"})


def problem_response(
    status: int,
    body: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc)


def validation_errors(exc: RequestValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors():
        loc = [part for part in error.get("loc", ()) if part not in ("function-after",)]
        errors.append(FieldError(_location(loc), str(error.get("msg", "invalid")), str(error.get("type", "invalid"))))
    return errors


def allowed_methods(app: FastAPI, path: str) -> str | None:
    """Every method some route of ``app`` serves at ``path`` (``Allow`` of a 405 names them all, RFC 9110).

    Starlette names only the methods of the first route whose path matched, and a path often has
    several routes (``GET`` to list, ``POST`` to create).
    """
    table: list[tuple[re.Pattern[str], set[str]]] | None = getattr(app.state, "method_table", None)
    if table is None:
        table = [
            (compile_path(route.path)[0], set(route.methods))
            for route in iter_route_contexts(app.routes)
            if route.path and route.methods
        ]
        app.state.method_table = table
    methods = sorted({method for pattern, served in table if pattern.match(path) for method in served})
    return ", ".join(methods) or None


def install_problem_handlers(app: FastAPI) -> None:
    """Map every error a request can meet to problem+json, so no client ever sees another shape."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Problem)
        return problem_response(exc.status, exc.body(request.url.path), exc.headers)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = validation_errors(exc)
        fields = ", ".join(error["field"] for error in errors)
        problem = InvalidInput(f"invalid fields: {fields}", errors=errors)
        return problem_response(problem.status, problem.body(request.url.path))

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        slug, title = _HTTP_STATUS_SLUGS.get(exc.status_code, ("http-error", "HTTP error"))
        problem = Problem(str(exc.detail))
        problem.status, problem.slug, problem.title = exc.status_code, slug, title
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request.app, request.url.path) or headers.get("Allow", "")
        return problem_response(exc.status_code, problem.body(request.url.path), headers)

    async def on_integrity(request: Request, exc: Exception) -> JSONResponse:
        # A constraint the service did not translate itself: still the client's conflict, never a 500.
        assert isinstance(exc, IntegrityError)
        constraint = getattr(postgres_error(exc), "constraint_name", None)
        log.warning("unmapped integrity error", extra={"constraint": constraint})
        problem = Conflict("the change conflicts with existing data", constraint=constraint)
        return problem_response(problem.status, problem.body(request.url.path))

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, DBAPIError)
        if getattr(postgres_error(exc), "sqlstate", None) in _UNSTORABLE_TEXT:
            # Input PostgreSQL cannot hold (a NUL character): the client's error, not an outage.
            unstorable = InvalidInput("a text value holds a character that cannot be stored, such as NUL")
            return problem_response(unstorable.status, unstorable.body(request.url.path))
        log.exception("database error", exc_info=exc)
        problem = NotReady("the database could not complete the request; retry later")
        return problem_response(problem.status, problem.body(request.url.path), {"Retry-After": "1"})

    async def on_unreachable(request: Request, exc: Exception) -> JSONResponse:
        # The driver raises plain OSErrors (refused, timed out, unknown host) when it cannot connect at all.
        log.exception("database unreachable", exc_info=exc)
        problem = NotReady("the database could not be reached; retry later")
        return problem_response(problem.status, problem.body(request.url.path), {"Retry-After": "1"})

    async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
        # Runs outside the request-id middleware (Starlette answers a 500 last), so the id comes from the scope.
        request_id = request_id_of(request.scope)
        log.exception("unhandled error", exc_info=exc, extra={"request_id": request_id} if request_id else None)
        problem = Problem("an unexpected error occurred; the request id identifies it in the logs")
        body = problem.body(request.url.path)
        if not request_id:
            return problem_response(500, body)
        body["request_id"] = request_id
        return problem_response(500, body, {REQUEST_ID_HEADER: request_id})

    app.add_exception_handler(Problem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(IntegrityError, on_integrity)
    app.add_exception_handler(DBAPIError, on_database)
    app.add_exception_handler(OSError, on_unreachable)
    app.add_exception_handler(Exception, on_unexpected)
