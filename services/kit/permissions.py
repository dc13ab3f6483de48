"""Who may call which operation: the rule a permission table gives each operation, and its check.

A service's app is built with the table (``services/contracts/permissions.py``); the app refuses to
start if one of its API routes has no row, and ``PermissionMiddleware`` checks every request under
the API prefix against its route's row, after ``PrincipalMiddleware`` and before anything reads the
request's body (FastAPI reads and decodes a body before it runs a route's dependencies). The
gateway checks its own operations with the same middleware, given a way to find the caller.

A row may also be public (sign-in and the other ways to get a token: no credentials needed) or open
to any signed-in staff user whatever their roles (changing one's own password).
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from fastapi.routing import iter_route_contexts
from starlette._utils import get_route_path
from starlette.types import ASGIApp, Receive, Scope, Send

from services.kit.errors import Forbidden, NotFound, Problem, problem_response
from services.kit.principal import Principal, PrincipalKind, principal_in_scope

# Where a request's checked operation id is kept for the rest of its request.
_CHECKED = "patron.permission"


class Role(StrEnum):
    """The staff roles (SPEC §6). An admin may call every operation; a role not named here grants nothing."""

    ADMIN = "admin"
    MANAGER = "manager"
    CLERK = "clerk"
    ANALYST = "analyst"


class CustomerAccess(StrEnum):
    NONE = "none"
    CATALOGUE = "catalogue"
    """Any signed-in customer: what every shopper may see."""
    OWN = "own"
    """A customer, on their own data only: checked by the kit when the row names the path parameter
    holding the customer's id, else by the route or service (another customer's data is a 404)."""


@dataclass(frozen=True)
class Permission:
    """What one operation needs: one of ``roles`` (staff), ``scope`` (partner keys), or a customer."""

    roles: frozenset[Role] = frozenset()
    scope: str | None = None
    customer: CustomerAccess = CustomerAccess.NONE
    own_path_parameter: str | None = None
    """For ``CustomerAccess.OWN``: the path parameter that must be the calling customer's id."""
    public: bool = False
    """Callable with no credentials at all (the ways to get a token)."""
    any_staff: bool = False
    """Callable by any signed-in staff user, whatever their roles."""
    services_only: bool = False
    """Callable by other Patron services only, not even by an admin (a step of a flow between services)."""


def allow(
    *roles: Role,
    scope: str | None = None,
    customer: CustomerAccess = CustomerAccess.NONE,
    own: str | None = None,
) -> Permission:
    """One row of a table: ``allow(Role.MANAGER, Role.CLERK, scope="customers:read", customer=...)``.

    ``own`` names the path parameter holding the customer's id: customers may call the operation on
    their own data, checked by the kit.
    """
    if own is not None:
        if customer is CustomerAccess.CATALOGUE:
            raise ValueError("an own-data path parameter belongs to a customer's own data")
        customer = CustomerAccess.OWN
    return Permission(roles=frozenset(roles), scope=scope, customer=customer, own_path_parameter=own)


def public() -> Permission:
    """A row callable without credentials: sign-in, refresh, and the other ways to get a token."""
    return Permission(public=True)


def services_only() -> Permission:
    """A row only other Patron services may call: what no person should do by hand (allocating a reward)."""
    return Permission(services_only=True)


def any_staff() -> Permission:
    """A row any signed-in staff user may call, whatever their roles (their own password)."""
    return Permission(any_staff=True)


def _scope_grants(granted: Iterable[str], needed: str) -> bool:
    """A partner's ``family:write`` grants ``family:read`` too (keys are read, or read and write)."""
    family, _, level = needed.partition(":")
    return any(scope == needed or (level == "read" and scope == f"{family}:write") for scope in granted)


def may_call(principal: Principal, permission: Permission) -> bool:
    """Whether ``principal``'s kind, roles and scopes satisfy ``permission`` (own data aside).

    Roles count for staff only, scopes for partners only; other Patron services act as admins, and
    only they may call a services-only row.
    """
    if permission.services_only:
        return principal.kind is PrincipalKind.SERVICE
    if permission.public or principal.kind is PrincipalKind.SERVICE:
        return True
    if principal.kind is PrincipalKind.STAFF:
        return (
            permission.any_staff
            or Role.ADMIN in principal.roles
            or any(role in permission.roles for role in principal.roles)
        )
    if principal.kind is PrincipalKind.PARTNER:
        return permission.scope is not None and _scope_grants(principal.scopes, permission.scope)
    if principal.kind is PrincipalKind.CUSTOMER:
        return permission.customer is not CustomerAccess.NONE and principal.customer_id is not None
    return False


def check(principal: Principal, permission: Permission, path_params: Mapping[str, Any]) -> None:
    """Raise ``Forbidden`` unless ``principal`` may call the operation; a customer reaching another's data: 404."""
    if not may_call(principal, permission):
        raise Forbidden("the caller may not use this operation")
    name = permission.own_path_parameter
    if principal.kind is PrincipalKind.CUSTOMER and name is not None:
        claimed = path_params.get(name)
        if str(claimed) != str(principal.customer_id):
            raise NotFound(f"customer {claimed} does not exist")


@dataclass(frozen=True)
class _Operation:
    path: re.Pattern[str]
    methods: frozenset[str]
    operation_id: str | None
    permission: Permission | None


def api_operations(routes: Iterable[Any], prefix: str) -> list[tuple[str, str]]:
    """(operation id, path) of every route under ``prefix``, in routing order."""
    return [
        (route.unique_id, route.path)
        for route in iter_route_contexts(list(routes))
        if route.path and route.path.startswith(prefix) and hasattr(route, "unique_id")
    ]


def missing_rows(routes: Iterable[Any], prefix: str, table: Mapping[str, Permission]) -> list[str]:
    return [operation for operation, _ in api_operations(routes, prefix) if operation not in table]


Resolver = Callable[[Scope], Principal]
"""Finds the caller of a request the principal middleware did not see (the gateway's own routes):
raises a ``Problem`` (401) when it has no valid credentials."""


class PermissionMiddleware:
    """Checks each request under ``prefix`` against its route's row, before its body is read.

    ``prefix`` may be several prefixes (a tuple). ``resolve`` finds the caller when no principal
    middleware ran before (the gateway's own routes); it is called only for rows that are not public,
    so a public row needs no credentials and a request to one is never refused for bad ones.

    The route is found as the router finds it: the first route, in routing order, whose path pattern
    and method match (the same compiled patterns the router uses). A request no route matches passes
    on, for the router's 404 or 405; a route added to the app after it was built has no row and is
    refused to everyone. A request let through is marked with its operation id.

    No route dependency repeats the check: the list of routes is rebuilt whenever the app's routes
    change, so no request reaches a route this middleware did not match (and a dependency on every
    API route costs about a tenth of the purchase route's instructions).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefix: str | tuple[str, ...],
        table: Mapping[str, Permission],
        routes: Any,
        resolve: Resolver | None = None,
    ) -> None:
        self.app = app
        self.prefix = prefix
        self.resolve = resolve
        self.table = table
        self.routes = routes
        self._operations: list[_Operation] | None = None
        self._route_count = 0

    def operations(self) -> list[_Operation]:
        # Rebuilt when the app's routes change, so every route the router can reach is known here.
        if self._operations is None or len(self.routes) != self._route_count:
            self._route_count = len(self.routes)
            self._operations = [
                _Operation(
                    route.path_regex, frozenset(route.methods or ()), route.unique_id, self.table.get(route.unique_id)
                )
                if hasattr(route, "unique_id")
                else _Operation(route.path_regex, frozenset(route.methods or ()), None, None)
                for route in iter_route_contexts(list(self.routes))
                # Only a pattern that can match under the prefix can take a request there.
                if route.path and (route.path.startswith(self.prefix) or route.path.startswith("/{"))
            ]
        return self._operations

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].startswith(self.prefix):
            path, method = get_route_path(scope), scope["method"]
            for operation in self.operations():
                found = operation.path.match(path)
                if found is None or method not in operation.methods:
                    continue
                permission = operation.permission
                try:
                    if permission is None:
                        raise Forbidden("the caller may not use this operation")
                    if not permission.public:
                        principal = principal_in_scope(scope)
                        if principal is None and self.resolve is not None:
                            principal = self.resolve(scope)
                        if principal is None:
                            raise Forbidden("the caller may not use this operation")
                        check(principal, permission, found.groupdict())
                except Problem as exc:
                    await problem_response(exc.status, exc.body(scope["path"]), exc.headers)(scope, receive, send)
                    return
                scope[_CHECKED] = operation.operation_id
                break
        await self.app(scope, receive, send)


_MARK = {True: "✓", False: "·"}
_CUSTOMER_CELL = {
    CustomerAccess.NONE: "·",
    CustomerAccess.CATALOGUE: "✓",
    CustomerAccess.OWN: "own data",
}


def _open_to(permission: Permission) -> str:
    if permission.services_only:
        return "Patron services only"
    if permission.public:
        return "anyone"
    return "any staff user" if permission.any_staff else "·"


def render(table: Mapping[str, Permission]) -> str:
    """The table as a markdown matrix: one row per operation, who needs no role, a column per role,
    the scope, customers."""
    roles = list(Role)
    lines = [
        "| operation | open to | " + " | ".join(roles) + " | partner scope | customer |",
        "|---|---|" + "---|" * len(roles) + "---|---|",
    ]
    for operation, permission in sorted(table.items()):
        everyone = permission.public or permission.any_staff
        marks = [
            _MARK[not permission.services_only and (everyone or role is Role.ADMIN or role in permission.roles)]
            for role in roles
        ]
        customer = _CUSTOMER_CELL[permission.customer]
        if permission.own_path_parameter:
            customer += f" (`{permission.own_path_parameter}`)"
        scope = f"`{permission.scope}`" if permission.scope else "·"
        if permission.public:
            scope = customer = "✓"
        lines.append(f"| `{operation}` | {_open_to(permission)} | " + " | ".join(marks) + f" | {scope} | {customer} |")
    return "\n".join(lines) + "\n"
