"""The permission matrix as the tests state it: what each caller should get from each operation."""

from typing import Any

from services.kit.permissions import CustomerAccess, Permission
from services.kit.principal import Principal, PrincipalKind

_WRITES = {"post", "put", "patch", "delete"}
_METHODS = ("get", "post", "put", "patch", "delete")


def expected(principal: Principal | None, permission: Permission) -> str:
    """What the table says ``principal`` gets, stated from SPEC §6 rather than from the kit's check.

    A public row admits anyone, with or without credentials; an any-staff row, every staff user.
    """
    if permission.public:
        return "allowed"
    if principal is None:
        return "401"
    if permission.services_only:
        return "allowed" if principal.kind is PrincipalKind.SERVICE else "403"
    if principal.kind is PrincipalKind.SERVICE:
        return "allowed"
    if principal.kind is PrincipalKind.STAFF:
        admitted = (
            permission.any_staff or "admin" in principal.roles or bool(set(principal.roles) & set(permission.roles))
        )
    elif principal.kind is PrincipalKind.PARTNER:
        family, _, level = (permission.scope or ":").partition(":")
        wanted = {permission.scope} | ({f"{family}:write"} if level == "read" else set())
        admitted = bool(set(principal.scopes) & wanted)
    else:
        admitted = permission.customer is not CustomerAccess.NONE
    return "allowed" if admitted else "403"


def outcome(status: int) -> str:
    assert status < 500, status
    return str(status) if status in (401, 403) else "allowed"


def operations(contract: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(operation id, method, path) of every operation, reads first so writes change nothing they see."""
    found = [
        (operation["operationId"], method, path)
        for path, item in contract["paths"].items()
        for method, operation in item.items()
        if method in _METHODS
    ]
    return sorted(found, key=lambda op: (op[1] in _WRITES, op[1] == "delete", op[0]))
