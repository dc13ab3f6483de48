"""The permission matrix against the running system: the gateway's published contract, and real processes."""

import httpx2
import pytest

from gateway.app import create_app
from gateway.keys.rules import known_scopes
from gateway.routes import service_for
from gateway.settings import GatewaySettings
from services.contracts.permissions import GATEWAY_TAGS, PERMISSIONS
from services.kit.permissions import Role
from services.kit.principal import Principal, PrincipalKind
from tests.conftest import signed
from tests.support.accounts import add_staff, bearer, sign_in
from tests.support.permissions import expected, operations, outcome

pytestmark = pytest.mark.timeout(600)
_WRITES = {"post", "put", "patch"}


def _contract(stack) -> list[tuple[str, str, str]]:
    contract = httpx2.get(f"{stack['gateway']}/openapi.json", timeout=30).json()
    assert "x-unavailable-services" not in contract["info"]
    return operations(contract)


def test_every_operation_the_gateway_publishes_has_its_row_and_every_row_its_operation(stack):
    published = {operation_id for operation_id, _, _ in _contract(stack)}
    assert sorted(published - set(PERMISSIONS)) == [], "operations without a row in the permission table"
    assert sorted(set(PERMISSIONS) - published) == [], "rows for operations the contract does not have"
    assert {"auth-sign-in", "auth-token", "staff-invite-staff-user"} <= published  # the gateway's own too


def test_the_customer_service_answers_each_caller_as_its_row_says(stack):
    listed = [operation for operation in _contract(stack) if service_for(operation[2]) == "customer"]
    assert listed
    with httpx2.Client(base_url=stack["gateway"], headers=bearer(stack["token"]), timeout=30) as gateway:
        lamp = {"sku": "P-1", "name": "Lamp", "unit_cost": "1.00", "unit_price": "9.99"}
        product = gateway.post("/api/v1/products", json=lamp)
        shopper = gateway.post("/api/v1/customers", json={"name": "Ada", "username": "ada"})
        # The erasure acts on a customer of its own: the calls after it still find Ada as she was.
        erased = gateway.post("/api/v1/customers", json={"name": "Bo"})
        assert product.status_code == 201 and shopper.status_code == 201, (product.text, shopper.text)
    ids = {
        "customer_id": shopper.json()["id"],
        "product_id": product.json()["id"],
        "purchase_id": 1,
        "store_id": 0,
        "import_id": 1,
        "export_id": 1,
        "currency": "EUR",
        "on": "2024-01-01",
    }
    own_ids = {"privacy-erase-customer": ids | {"customer_id": erased.json()["id"]}}
    callers: dict[str, Principal | None] = {
        role.value: Principal(kind=PrincipalKind.STAFF, subject=f"staff:{role}", roles=[role.value]) for role in Role
    }
    callers["customer"] = Principal(kind=PrincipalKind.CUSTOMER, subject="customer:ada", customer_id=ids["customer_id"])
    callers["partner"] = Principal(kind=PrincipalKind.PARTNER, subject="key:1", scopes=["products:read"])
    callers["no credentials"] = None
    wrong = []
    with httpx2.Client(base_url=stack["customer"], timeout=30) as service:
        # Reads first, deletes last, so no call removes what a later one reads.
        for operation_id, method, template in listed:
            for name, principal in callers.items():
                headers = signed(principal) if principal is not None else {}
                body = {"json": {}} if method in _WRITES else {}
                path = template.format(**own_ids.get(operation_id, ids))
                response = service.request(method.upper(), path, headers=headers, **body)
                got, want = outcome(response.status_code), expected(principal, PERMISSIONS[operation_id])
                if got != want:
                    wrong.append((name, operation_id, want, response.status_code))
    assert not wrong, wrong


def test_a_real_partner_key_per_scope_reaches_through_the_gateway_exactly_what_its_row_says(stack):
    listed = [operation for operation in _contract(stack) if service_for(operation[2]) == "customer"]
    admin = bearer(stack["token"])
    keys: dict[str, tuple[Principal, dict[str, str]]] = {}
    with httpx2.Client(base_url=stack["gateway"], timeout=30) as gateway:
        for scope in known_scopes():
            created = gateway.post("/api/v1/api-keys", json={"name": scope, "scopes": [scope]}, headers=admin)
            assert created.status_code == 201, created.text
            principal = Principal(kind=PrincipalKind.PARTNER, subject=f"key:{created.json()['id']}", scopes=[scope])
            keys[scope] = (principal, {"X-API-Key": created.json()["key"]})
        lamp = {"sku": "P-1", "name": "Lamp", "unit_cost": "1.00", "unit_price": "9.99"}
        product = gateway.post("/api/v1/products", json=lamp, headers=admin).json()
        shopper = gateway.post("/api/v1/customers", json={"name": "Ada", "username": "ada"}, headers=admin).json()
        ids = {
            "customer_id": shopper["id"],
            "product_id": product["id"],
            "purchase_id": 1,
            "store_id": 0,
            "import_id": 1,
            "export_id": 1,
            "currency": "EUR",
            "on": "2024-01-01",
        }
        wrong = []
        for operation_id, method, template in listed:
            for scope, (principal, headers) in keys.items():
                body = {"json": {}} if method in _WRITES else {}
                response = gateway.request(method.upper(), template.format(**ids), headers=headers, **body)
                got, want = outcome(response.status_code), expected(principal, PERMISSIONS[operation_id])
                if got != want:
                    wrong.append((scope, operation_id, want, response.status_code))
    assert not wrong, wrong


def test_the_gateway_answers_real_signed_in_staff_a_customer_and_no_one_on_its_own_operations_as_their_rows_say(
    stack, database_url
):
    listed = [operation for operation in _contract(stack) if service_for(operation[2]) is None]
    assert {tag for tag in GATEWAY_TAGS for operation_id, _, _ in listed if operation_id.startswith(f"{tag}-")} == set(
        GATEWAY_TAGS
    )
    callers: dict[str, tuple[Principal | None, dict[str, str]]] = {}
    for role in Role:
        email = f"{role.value}-walker@example.org"
        add_staff(database_url, email, [role.value])
        principal = Principal(kind=PrincipalKind.STAFF, subject=f"staff:{role}", roles=[role.value])
        callers[role.value] = (principal, bearer(sign_in(stack["gateway"], email)))
    registration = {
        "name": "Walker",
        "email": "walker@example.org",
        "username": "walker",
        "password": "walking-the-matrix-42",
    }
    registered = httpx2.post(f"{stack['gateway']}/api/v1/auth/customers/register", json=registration, timeout=30)
    assert registered.status_code == 201, registered.text
    customer_id = registered.json()["customer_id"]
    shopper = Principal(kind=PrincipalKind.CUSTOMER, subject=f"customer:{customer_id}", customer_id=customer_id)
    callers["customer"] = (shopper, bearer(registered.json()["access_token"]))
    callers["no credentials"] = (None, {})
    # The staff user the id-taking operations act on: none of the callers, so no caller is signed out.
    ids = {"user_id": add_staff(database_url, "target@example.org", ["clerk"]), "key_id": 1}
    wrong = []
    with httpx2.Client(base_url=stack["gateway"], timeout=30) as gateway:
        for operation_id, method, template in listed:
            for name, (principal, headers) in callers.items():
                body = {"json": {}} if method in _WRITES else {}
                response = gateway.request(method.upper(), template.format(**ids), headers=headers, **body)
                assert response.status_code < 500, (name, operation_id, response.text)
                got, want = outcome(response.status_code), expected(principal, PERMISSIONS[operation_id])
                if got != want:
                    wrong.append((name, operation_id, want, response.status_code))
                if got == "401":
                    assert response.headers["www-authenticate"] == "Bearer"
    assert not wrong, wrong


def test_the_gateway_refuses_to_start_with_one_of_its_own_operations_missing_from_the_table(monkeypatch):
    create_app(GatewaySettings(environment="test"))
    monkeypatch.delitem(PERMISSIONS, "staff-read-staff-user")
    with pytest.raises(ValueError, match="staff-read-staff-user"):
        create_app(GatewaySettings(environment="test"))
