"""The permission matrix, walked: every operation of the merged contract, as every kind of caller.

Each role, a partner key of each scope, a customer, another service and no one at all call every
operation of the contract the gateway publishes (merged from the real services' own documents),
against the real customer service: each answer is what the table says (past the check, 401 or 403),
never a 5xx. Past the check means any other status: a body left empty is a 422, an id another
caller deleted a 404, and both prove the check let the request through.
"""

from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest

from gateway.contract import merge_documents
from gateway.routes import service_for
from services.analytics.app import create_app as create_analytics_app
from services.analytics.settings import AnalyticsSettings
from services.contracts.permissions import PERMISSIONS, SERVICE_PERMISSIONS
from services.kit.contract import document_problems
from services.kit.permissions import Role
from services.kit.principal import Principal, PrincipalKind
from services.loyalty.app import create_app as create_loyalty_app
from services.loyalty.settings import LoyaltySettings
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.builders import buy, make_customer, make_product
from tests.support.permissions import expected, operations, outcome
from tests.support.problems import assert_problem

_WRITES = {"post", "put", "patch", "delete"}


def _staff(role: str) -> Principal:
    return Principal(kind=PrincipalKind.STAFF, subject=f"staff:{role}", roles=[role])


def _partner(scope: str) -> Principal:
    return Principal(kind=PrincipalKind.PARTNER, subject=f"key:{scope}", scopes=[scope])


SERVICE = Principal(kind=PrincipalKind.SERVICE, subject="service:loyalty")
SCOPES = sorted({permission.scope for permission in PERMISSIONS.values() if permission.scope})


async def merged_contract(customer: ServiceClient, database_url: str) -> dict[str, Any]:
    """The public contract as the gateway merges it, from the running customer service and the others."""
    documents = {"customer": (await customer.get("/openapi.json")).json()}
    for name, app in (
        ("loyalty", create_loyalty_app(LoyaltySettings(database_url=database_url, internal_secret=TEST_SECRET))),
        ("analytics", create_analytics_app(AnalyticsSettings(database_url=database_url, internal_secret=TEST_SECRET))),
    ):
        async with ServiceClient(app) as client:
            documents[name] = (await client.get("/openapi.json")).json()
    return merge_documents(document_problems({"openapi": "3.1.0", "info": {}, "paths": {}}), documents)


@pytest.fixture
async def loyalty(database_url: str, customer_process: str) -> AsyncIterator[ServiceClient]:
    """The loyalty service, reading the catalogue of a customer service process on the same database."""
    app = create_loyalty_app(
        LoyaltySettings(
            database_url=database_url,
            internal_secret=TEST_SECRET,
            environment="test",
            events_relay=False,
            customer_url=customer_process,
        )
    )
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        yield client


@pytest.fixture
async def analytics(database_url: str, customer_process: str) -> AsyncIterator[ServiceClient]:
    """The analytics service, reading customers' names from the customer service process."""
    app = create_analytics_app(
        AnalyticsSettings(
            database_url=database_url,
            internal_secret=TEST_SECRET,
            environment="test",
            events_relay=False,
            customer_url=customer_process,
        )
    )
    async with app.router.lifespan_context(app), ServiceClient(app) as client:
        yield client


def _owner(path: str, customer: ServiceClient, loyalty: ServiceClient, analytics: ServiceClient) -> ServiceClient:
    """The client of the service that answers ``path``, as the gateway routes it."""
    return {"loyalty": loyalty, "analytics": analytics}.get(service_for(path), customer)


@pytest.fixture
async def world(customer: ServiceClient, db: asyncpg.Connection) -> AsyncIterator[dict[str, Any]]:
    """Existing ids for every path parameter: a shopper with a bill, a product, store 0."""
    product = await make_product(customer, stock=50)
    shopper = await make_customer(customer)
    other = await make_customer(customer)
    # The erasure acts on a customer of its own: the calls after it still find the shopper as they were.
    erased = await make_customer(customer)
    bill = await buy(customer, [(product["id"], 1)], customer_id=shopper["id"])
    assert bill.status_code == 201, bill.text
    yield {
        "customer_id": shopper["id"],
        "other_customer_id": other["id"],
        "product_id": product["id"],
        "purchase_id": bill.json()["id"],
        "store_id": 0,
        "import_id": 1,
        "run_id": 1,
        "currency": "EUR",
        "on": "2024-01-01",
        "dimension": "category",
        "fit_id": 1,
        "export_id": 1,
        "erased_customer_id": erased["id"],
    }


def _callers(shopper_id: int) -> dict[str, Principal | None]:
    callers: dict[str, Principal | None] = {role.value: _staff(role.value) for role in Role}
    callers["unknown role"] = _staff("superuser")
    callers |= {f"partner {scope}": _partner(scope) for scope in SCOPES}
    callers["customer"] = Principal(kind=PrincipalKind.CUSTOMER, subject="customer:me", customer_id=shopper_id)
    callers["service"] = SERVICE
    callers["no credentials"] = None
    return callers


async def test_every_operation_answers_every_caller_as_the_table_says(
    customer, loyalty, analytics, database_url, world
):
    contract = await merged_contract(customer, database_url)
    listed = operations(contract)
    ids = [operation_id for operation_id, _, _ in listed]
    missing = sorted(set(ids) - set(SERVICE_PERMISSIONS))
    assert not missing, f"operations of the merged contract without a row in the permission table: {missing}"
    assert sorted(set(SERVICE_PERMISSIONS) - set(ids)) == [], "rows for operations the contract does not have"
    assert len(ids) == len(set(ids))

    wrong, seen = [], set()
    for name, principal in _callers(world["customer_id"]).items():
        for operation_id, method, template in listed:
            ids = (
                world | {"customer_id": world["erased_customer_id"]}
                if operation_id == "privacy-erase-customer"
                else world
            )
            path = template.format(**ids)
            client = _owner(path, customer, loyalty, analytics).as_principal(principal)
            body = {"json": {}} if method in _WRITES - {"delete"} else {}
            response = await client.request(method.upper(), path, **body)
            assert response.status_code < 500, (name, operation_id, response.text)
            got, want = outcome(response.status_code), expected(principal, PERMISSIONS[operation_id])
            seen.add(got)
            if got != want:
                wrong.append((name, operation_id, want, response.status_code))
            if got in ("401", "403"):
                assert response.headers["content-type"] == "application/problem+json"
    assert not wrong, wrong
    assert seen == {"allowed", "401", "403"}


@pytest.mark.parametrize(
    ("role", "method", "path", "allowed"),
    [
        ("analyst", "POST", "/api/v1/customers", False),
        ("analyst", "GET", "/api/v1/products", False),
        ("clerk", "POST", "/api/v1/customers", True),
        ("clerk", "POST", "/api/v1/products/{product_id}/stock/restocks", True),
        ("clerk", "POST", "/api/v1/products/{product_id}/stock/adjustments", False),
        ("clerk", "POST", "/api/v1/products", False),
        ("clerk", "GET", "/api/v1/products/{product_id}", True),
        ("clerk", "POST", "/api/v1/imports", False),
        ("manager", "POST", "/api/v1/imports", True),
        ("manager", "PUT", "/api/v1/exchange-rates", True),
    ],
)
async def test_the_spec_roles(customer, world, role, method, path, allowed):
    response = await customer.as_principal(_staff(role)).request(method, path.format(**world), json={})
    assert (response.status_code != 403) is allowed, response.text


async def test_a_customer_reaches_the_catalogue_and_their_own_data_only(customer, world):
    me = Principal(kind=PrincipalKind.CUSTOMER, subject="customer:me", customer_id=world["customer_id"])
    shopper = customer.as_principal(me)
    assert (await shopper.get("/api/v1/products")).status_code == 200
    assert (await shopper.get(f"/api/v1/customers/{world['customer_id']}")).status_code == 200
    assert (await shopper.get(f"/api/v1/purchases/{world['purchase_id']}")).status_code == 200
    assert_problem(await shopper.get(f"/api/v1/customers/{world['other_customer_id']}"), 404, "not-found")
    assert_problem(await shopper.get(f"/api/v1/customers/{world['other_customer_id']}/purchases"), 404, "not-found")
    assert_problem(await shopper.get("/api/v1/customers"), 403, "forbidden")
    # Their own profile: contact details, demographics and consent; never another's, nor the shop's fields.
    mine = await shopper.patch(f"/api/v1/customers/{world['customer_id']}", json={"city": "Rome"})
    assert mine.status_code == 200 and mine.json()["city"] == "Rome", mine.text
    other = await shopper.patch(f"/api/v1/customers/{world['other_customer_id']}", json={"city": "Rome"})
    assert_problem(other, 404, "not-found")
    closed = await shopper.patch(f"/api/v1/customers/{world['customer_id']}", json={"home_store_id": 0})
    assert_problem(closed, 422, "validation", ["body.home_store_id"])
    assert (await customer.get(f"/api/v1/customers/{world['other_customer_id']}")).json()["city"] != "Rome"
    # The catalogue they read is the active one.
    retired = await make_product(customer)
    assert (await customer.post(f"/api/v1/products/{retired['id']}/deactivate")).status_code == 200
    assert_problem(await shopper.get(f"/api/v1/products/{retired['id']}"), 404, "not-found")
    listed = (await shopper.get("/api/v1/products", params={"status": "inactive", "limit": 100})).json()["items"]
    assert listed and retired["id"] not in {product["id"] for product in listed}  # the active catalogue only
    assert (await customer.get(f"/api/v1/products/{retired['id']}")).status_code == 200
    # Customers see prices, never costs, external references or stock levels; staff see everything.
    staff_view = (await customer.get(f"/api/v1/products/{world['product_id']}")).json()
    seen = (await shopper.get(f"/api/v1/products/{world['product_id']}")).json()
    hidden = {"unit_cost", "external_ref", "stock_quantity", "track_stock", "status", "created_at", "updated_at"}
    assert hidden <= set(staff_view) and not hidden & set(seen), seen
    assert seen["unit_price"] == staff_view["unit_price"] and seen["sku"] == staff_view["sku"]
    assert seen["available"] is (not staff_view["track_stock"] or staff_view["stock_quantity"] > 0)
    assert not any(hidden & set(product) for product in listed)
    # A customer principal without a customer id is no one's customer.
    nobody = customer.as_principal(Principal(kind=PrincipalKind.CUSTOMER, subject="customer:?"))
    assert_problem(await nobody.get("/api/v1/products"), 403, "forbidden")


async def test_roles_count_for_staff_only_and_scopes_for_partners_only(customer, world):
    dressed_up = [
        Principal(kind=PrincipalKind.CUSTOMER, subject="customer:x", customer_id=world["customer_id"], roles=["admin"]),
        Principal(kind=PrincipalKind.PARTNER, subject="key:x", roles=["admin"]),
        Principal(kind=PrincipalKind.STAFF, subject="staff:x", scopes=["customers:write"]),
    ]
    for principal in dressed_up:
        assert_problem(await customer.as_principal(principal).get("/api/v1/customers"), 403, "forbidden")


async def test_a_refused_caller_gets_its_403_before_its_body_is_read(customer, db, world):
    """The check runs before FastAPI reads a body: broken JSON, or an upload, is refused unread."""
    analyst = customer.as_principal(_staff("analyst"))
    headers = {"Content-Type": "application/json", "Idempotency-Key": "refused-1"}
    response = await analyst.post("/api/v1/customers", content=b"{not json", headers=headers)
    assert_problem(response, 403, "forbidden")
    upload = await analyst.post("/api/v1/imports", files={"file": ("sales.csv", b"a,b\n1,2\n")}, data={"preset": "x"})
    assert_problem(upload, 403, "forbidden")
    assert await db.fetchval("SELECT count(*) FROM customer.idempotency_key") == 0
    # The same broken body from an allowed caller is a 422: the check let it through to FastAPI.
    clerk = customer.as_principal(_staff("clerk"))
    assert_problem(await clerk.post("/api/v1/customers", content=b"{not json", headers=headers), 422, "validation")
