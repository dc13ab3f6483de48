"""Customers who sign in at the gateway: only a service marks them, and then only a service changes
their username (the gateway, which keeps their credentials in step)."""

from services.kit.principal import Principal, PrincipalKind
from tests.support.problems import assert_problem

GATEWAY = Principal(kind=PrincipalKind.SERVICE, subject="service:gateway")
MANAGER = Principal(kind=PrincipalKind.STAFF, subject="staff:2", roles=["manager"])
PARTNER = Principal(kind=PrincipalKind.PARTNER, subject="key:1", scopes=["customers:write"])


async def test_only_a_service_marks_a_customer_as_signing_in(customer):
    service = customer.as_principal(GATEWAY)
    made = await service.post("/api/v1/customers", json={"name": "Ada", "username": "ada", "has_sign_in": True})
    assert made.status_code == 201 and made.json()["has_sign_in"] is True
    for caller in (None, MANAGER, PARTNER):  # None: the fixture's admin
        client = customer if caller is None else customer.as_principal(caller)
        refused = await client.post("/api/v1/customers", json={"name": "Bea", "has_sign_in": True})
        assert_problem(refused, 422, "validation", ["body.has_sign_in"])
        cleared = await client.patch(f"/api/v1/customers/{made.json()['id']}", json={"has_sign_in": False})
        assert_problem(cleared, 422, "validation", ["body.has_sign_in"])
    plain = await customer.post("/api/v1/customers", json={"name": "Cy", "username": "cyd"})
    assert plain.json()["has_sign_in"] is False


async def test_the_username_of_a_customer_who_signs_in_changes_only_through_a_service(customer, db):
    made = (
        await customer.as_principal(GATEWAY).post(
            "/api/v1/customers", json={"name": "Ada", "username": "ada", "has_sign_in": True}
        )
    ).json()
    for caller in (None, MANAGER, PARTNER):
        client = customer if caller is None else customer.as_principal(caller)
        refused = await client.patch(f"/api/v1/customers/{made['id']}", json={"username": "ada2"})
        assert_problem(refused, 409, "conflict", ["body.username"])
        same = await client.patch(f"/api/v1/customers/{made['id']}", json={"username": "ADA", "city": "Leeds"})
        assert same.status_code == 200  # sending the username unchanged is no change
    assert await db.fetchval("SELECT username FROM customer.customer WHERE id = $1", made["id"]) == "ada"
    moved = await customer.as_principal(GATEWAY).patch(f"/api/v1/customers/{made['id']}", json={"username": "ada2"})
    assert moved.status_code == 200 and moved.json()["username"] == "ada2"
    # without a sign-in, staff change usernames as before
    plain = (await customer.post("/api/v1/customers", json={"name": "Cy", "username": "cyd"})).json()
    assert (await customer.patch(f"/api/v1/customers/{plain['id']}", json={"username": "cy2"})).json()[
        "username"
    ] == "cy2"


async def test_customers_are_found_by_their_exact_email(customer):
    await customer.post("/api/v1/customers", json={"name": "Ada", "email": "Ada@Example.org"})
    await customer.post("/api/v1/customers", json={"name": "Adam", "email": "adam@example.org"})
    found = await customer.get("/api/v1/customers", params={"email": " ADA@example.org "})
    assert [item["name"] for item in found.json()["items"]] == ["Ada"]
