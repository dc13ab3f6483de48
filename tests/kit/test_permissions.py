"""The permission check of the kit: every API route needs a row, and a row is checked before the body."""

from pathlib import Path

import pytest
from fastapi import APIRouter

from services.contracts.permissions import SECTION_START, permissions_section, with_permissions_section
from services.customer.settings import CustomerSettings
from services.kit.app import create_service_app
from services.kit.permissions import CustomerAccess, Role, allow, may_call
from services.kit.principal import Principal, PrincipalKind
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.problems import assert_problem

ROOT = Path(__file__).resolve().parents[2]


def _settings() -> CustomerSettings:
    return CustomerSettings(environment="test", internal_secret=TEST_SECRET, events_relay=False)


def _router() -> APIRouter:
    router = APIRouter(prefix="/things", tags=["things"])

    @router.get("")
    async def list_things() -> list[str]:
        return []

    @router.get("/{thing_id}")
    async def read_thing(thing_id: int) -> dict[str, int]:
        return {"id": thing_id}

    return router


def test_an_operation_missing_from_the_table_stops_the_app_from_being_built():
    with pytest.raises(ValueError, match="things-read-thing"):
        create_service_app(
            title="things",
            settings=_settings(),
            routers=[_router()],
            permissions={"things-list-things": allow(Role.MANAGER)},
        )
    with pytest.raises(ValueError, match="things-list-things"):
        create_service_app(title="things", settings=_settings(), routers=[_router()])


async def test_a_route_added_after_the_app_was_built_is_refused_to_everyone():
    table = {"things-list-things": allow(), "things-read-thing": allow()}
    app = create_service_app(title="things", settings=_settings(), routers=[_router()], permissions=table)

    @app.get("/api/v1/late")
    async def late() -> dict[str, str]:
        return {}

    async with ServiceClient(app) as admin:
        assert (await admin.get("/api/v1/things")).status_code == 200
        assert_problem(await admin.get("/api/v1/late"), 403, "forbidden")
        # No route, no check: the router's own 404.
        assert_problem(await admin.get("/api/v1/nowhere"), 404, "not-found")


def test_who_may_call_what():
    row = allow(Role.CLERK, scope="things:read", customer=CustomerAccess.OWN)
    staff = {role: Principal(kind=PrincipalKind.STAFF, subject="s", roles=[role]) for role in ("admin", "clerk")}
    assert may_call(staff["admin"], allow()) and may_call(staff["clerk"], row)
    assert not may_call(Principal(kind=PrincipalKind.STAFF, subject="s", roles=["manager"]), row)
    assert not may_call(Principal(kind=PrincipalKind.STAFF, subject="s", roles=["root", "Admin"]), row)
    for scopes, admitted in ((["things:read"], True), (["things:write"], True), (["other:write"], False), ([], False)):
        assert may_call(Principal(kind=PrincipalKind.PARTNER, subject="k", scopes=scopes), row) is admitted
    writing = allow(scope="things:write")
    assert not may_call(Principal(kind=PrincipalKind.PARTNER, subject="k", scopes=["things:read"]), writing)
    assert may_call(Principal(kind=PrincipalKind.CUSTOMER, subject="c", customer_id=1), row)
    assert not may_call(Principal(kind=PrincipalKind.CUSTOMER, subject="c"), row)
    assert not may_call(Principal(kind=PrincipalKind.CUSTOMER, subject="c", customer_id=1), writing)
    assert may_call(Principal(kind=PrincipalKind.SERVICE, subject="service:loyalty"), writing)
    with pytest.raises(ValueError):
        allow(scope="things:read", customer=CustomerAccess.CATALOGUE, own="customer_id")
    assert allow(own="customer_id").customer is CustomerAccess.OWN


def test_docs_security_md_shows_the_table():
    documented = (ROOT / "docs" / "security.md").read_text()
    assert SECTION_START in documented and permissions_section() in documented
    assert with_permissions_section(documented) == documented, (
        "run `python -m services.contracts.permissions docs/security.md`"
    )


def test_a_services_only_row_admits_other_services_and_no_one_else():
    from services.kit.permissions import render, services_only

    row = services_only()
    service = Principal(kind=PrincipalKind.SERVICE, subject="customer")
    admin = Principal(kind=PrincipalKind.STAFF, subject="staff:1", roles=["admin"])
    shopper = Principal(kind=PrincipalKind.CUSTOMER, subject="customer:7", customer_id=7)
    partner = Principal(kind=PrincipalKind.PARTNER, subject="key:1", scopes=["loyalty:write"])
    assert may_call(service, row)
    assert not any(may_call(principal, row) for principal in (admin, shopper, partner))
    assert render({"rewards-allocate-reward": row}).splitlines()[-1] == (
        "| `rewards-allocate-reward` | Patron services only | · | · | · | · | · | · |"
    )
