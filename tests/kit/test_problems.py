"""Bad input of every kind is a problem+json naming the bad fields, never a 500, and writes nothing."""

import base64
import json
from datetime import date

import httpx2
import pytest

from services.customer.app import create_app
from services.customer.settings import CustomerSettings
from services.kit.errors import Conflict, FieldError, InvalidInput, NotFound, problem_type
from tests.conftest import TEST_SECRET, ServiceClient
from tests.support.problems import assert_problem, snapshot

MAX_ID = 2**63 - 1
ITEMS = ["/api/v1/customers", "/api/v1/products", "/api/v1/stores"]


def _cursor(payload: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


async def _seed(client: httpx2.AsyncClient) -> None:
    for n in range(3):
        assert (await client.post("/api/v1/customers", json={"name": f"C{n}", "username": f"user{n}"})).is_success
        product = {"sku": f"S{n}", "name": f"P{n}", "unit_cost": "1.00", "unit_price": "2.00"}
        assert (await client.post("/api/v1/products", json=product)).is_success


def test_problem_body_has_a_stable_shape() -> None:
    problem = InvalidInput.field("body.sku", "is required", "missing")
    body = problem.body("/api/v1/products")
    assert body == {
        "type": "https://patron.dev/problems/validation",
        "title": "Invalid input",
        "status": 422,
        "detail": "body.sku: is required",
        "instance": "/api/v1/products",
        "errors": [{"field": "body.sku", "message": "is required", "code": "missing"}],
    }
    assert NotFound("gone").body("/x")["type"] == problem_type("not-found")
    conflict = Conflict("taken", errors=[FieldError("body.username", "taken", "unique")], hint="erase").body("/y")
    assert (conflict["status"], conflict["hint"]) == (409, "erase")


async def test_ids_out_of_range_or_malformed_are_422_never_500(customer, db):
    await _seed(customer)
    before = await snapshot(db)
    for collection in ITEMS:
        field = "path." + collection.rsplit("/", 1)[1].rstrip("s") + "_id"
        for bad in [str(MAX_ID + 1), str(2**64), "-1", "abc", "1.5", "1e3"]:
            assert_problem(await customer.get(f"{collection}/{bad}"), 422, "validation", [field])
            assert_problem(await customer.patch(f"{collection}/{bad}", json={}), 422, "validation", [field])
        assert_problem(await customer.get(f"{collection}/{MAX_ID}"), 404, "not-found")
        assert_problem(await customer.get(f"{collection}/424242"), 404, "not-found")
    for action in ["deactivate", "reactivate"]:
        bad_path = f"/api/v1/customers/{MAX_ID + 1}/{action}"
        assert_problem(await customer.post(bad_path), 422, "validation", ["path.customer_id"])
    assert_problem(await customer.delete(f"/api/v1/products/{2**64}"), 422, "validation", ["path.product_id"])
    assert await snapshot(db) == before


async def test_limit_is_bounded(customer):
    await _seed(customer)
    for collection in [*ITEMS, "/api/v1/exchange-rates"]:
        for limit in ["0", "-1", "501", "ten", str(2**70)]:
            response = await customer.get(collection, params={"limit": limit})
            assert_problem(response, 422, "validation", ["query.limit"])
        assert (await customer.get(collection, params={"limit": 500})).status_code == 200
    assert len((await customer.get("/api/v1/customers", params={"limit": 2})).json()["items"]) == 2


async def test_malformed_cursors_are_400_naming_the_cursor(customer):
    await _seed(customer)
    bad_cursors = [
        "not a cursor!",
        "%%%",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        _cursor([1, 2]),
        _cursor({"s": "id"}),
        _cursor({"s": "id", "k": []}),
        _cursor({"s": "id", "k": [1, 2]}),  # wrong width
        _cursor({"s": "id", "k": 5}),
        _cursor({"s": "id", "k": [1.5]}),
        _cursor({"s": "id", "k": [{"x": 1}]}),
        # well-formed, but with values that cannot be keys of the sort
        _cursor({"s": "id", "k": ["abc"]}),
        _cursor({"s": "id", "k": [True]}),
        _cursor({"s": "id", "k": [None]}),
        _cursor({"s": "id", "k": [2**70]}),
        _cursor({"s": "id", "k": [{"d": "2024-01-01"}]}),
        _cursor({"s": "id", "k": [{"dt": "not a time"}]}),
        _cursor({"s": "id", "k": [{"n": "one"}]}),
    ]
    for cursor in bad_cursors:
        response = await customer.get("/api/v1/customers", params={"cursor": cursor})
        assert_problem(response, 400, "bad-cursor", ["query.cursor"])
    # Longer than any cursor the service makes: refused by the documented maxLength, as invalid input.
    too_long = await customer.get("/api/v1/customers", params={"cursor": "x" * 3000})
    assert_problem(too_long, 422, "validation", ["query.cursor"])
    crafted = [
        ("/api/v1/customers", "created_at", _cursor({"s": "created_at", "k": [{"n": "1"}, 1]})),
        ("/api/v1/customers", "name", _cursor({"s": "name", "k": [7, 1]})),
        ("/api/v1/products", "unit_price", _cursor({"s": "unit_price", "k": ["cheap", 1]})),
        ("/api/v1/products", "unit_price", _cursor({"s": "unit_price", "k": [{"n": "NaN"}, 1]})),
        ("/api/v1/exchange-rates", None, _cursor({"s": "currency,date", "k": ["EUR", {"dt": "2024-01-01T00:00:00"}]})),
        ("/api/v1/exchange-rates", None, _cursor({"s": "currency,date", "k": ["EUR", "2024-01-01"]})),
    ]
    for path, sort, cursor in crafted:
        params = {"cursor": cursor} | ({"sort": sort} if sort else {})
        assert_problem(await customer.get(path, params=params), 400, "bad-cursor", ["query.cursor"])


async def test_a_cursor_made_for_another_sort_is_refused(customer):
    await _seed(customer)
    by_name = (await customer.get("/api/v1/customers", params={"sort": "name", "limit": 1})).json()["next_cursor"]
    assert by_name
    for sort in ["id", "-name", "created_at"]:
        response = await customer.get("/api/v1/customers", params={"sort": sort, "cursor": by_name})
        assert_problem(response, 400, "bad-cursor", ["query.cursor"])
    same = await customer.get("/api/v1/customers", params={"sort": "name", "cursor": by_name})
    assert same.status_code == 200


async def test_a_well_formed_cursor_resumes_after_its_key(customer):
    await _seed(customer)
    ids = [item["id"] for item in (await customer.get("/api/v1/customers")).json()["items"]]
    response = await customer.get("/api/v1/customers", params={"cursor": _cursor({"s": "id", "k": [ids[0]]})})
    assert [item["id"] for item in response.json()["items"]] == ids[1:]


async def test_unknown_fields_are_refused(customer, db):
    await _seed(customer)
    before = await snapshot(db)
    cases = [
        ("POST", "/api/v1/customers", {"name": "X", "nickname": "x"}, ["body.nickname"]),
        ("POST", "/api/v1/customers", {"name": "X", "id": 99, "status": "inactive"}, ["body.id", "body.status"]),
        ("PATCH", "/api/v1/customers/1", {"created_at": "2020-01-01T00:00:00Z"}, ["body.created_at"]),
        ("POST", "/api/v1/products", {"sku": "N", "name": "N", "unit_cost": 1, "unit_price": 1, "currency": "EUR"},
         ["body.currency"]),
        ("PATCH", "/api/v1/products/1", {"price": "3.00"}, ["body.price"]),
        ("POST", "/api/v1/stores", {"name": "S", "size": 10}, ["body.size"]),
        ("PUT", "/api/v1/exchange-rates", {"rates": [], "source": "ecb"}, ["body.rates", "body.source"]),
    ]  # fmt: skip
    for method, path, body, fields in cases:
        response = await customer.request(method, path, json=body)
        problem = assert_problem(response, 422, "validation", fields)
        assert all(f in problem["detail"] for f in fields)
    assert await snapshot(db) == before


async def test_wrong_types_are_refused_naming_each_field(customer, db):
    await _seed(customer)
    before = await snapshot(db)
    cases = [
        ("POST", "/api/v1/customers", {"name": 12}, ["body.name"]),
        ("POST", "/api/v1/customers", {"name": "X", "city_id": "north", "birth_date": "soon"},
         ["body.birth_date", "body.city_id"]),
        ("POST", "/api/v1/customers", {"name": "X", "email": "not-an-email"}, ["body.email"]),
        ("POST", "/api/v1/customers", {"name": "X", "phone": "call me"}, ["body.phone"]),
        ("POST", "/api/v1/customers", {"name": "X", "gender": "robot"}, ["body.gender"]),
        ("POST", "/api/v1/customers", {"name": "X", "home_store_id": -1}, ["body.home_store_id"]),
        ("POST", "/api/v1/customers", {"name": "X", "city_id": 2**63}, ["body.city_id"]),
        ("POST", "/api/v1/customers", {"name": "X", "marketing_consent": [True]}, ["body.marketing_consent"]),
        ("POST", "/api/v1/customers", {"name": "x" * 201}, ["body.name"]),
        ("PATCH", "/api/v1/customers/1", {"birth_date": "1899-12-31"}, ["body.birth_date"]),
        ("POST", "/api/v1/products", {"sku": ["S"], "name": "N", "unit_cost": 1, "unit_price": 1}, ["body.sku"]),
        ("POST", "/api/v1/products", {"sku": "S9", "name": "N", "unit_cost": 1, "unit_price": 1,
                                      "track_stock": "sometimes"}, ["body.track_stock"]),
        ("POST", "/api/v1/stores", {"name": "S", "opened_on": 20200101}, ["body.opened_on"]),
        ("PUT", "/api/v1/exchange-rates", {"rates": [{"date": "2024-01-01", "currency": 978, "rate": "1"}]},
         ["body.rates.0.currency"]),
    ]  # fmt: skip
    for method, path, body, fields in cases:
        response = await customer.request(method, path, json=body)
        assert_problem(response, 422, "validation", fields)
    assert await snapshot(db) == before


async def test_bodies_that_are_not_json_objects_are_refused(customer, db):
    before = await snapshot(db)
    for content in [b"", b"{", b"[1, 2]", b'"name"', b"null", b"\xff\xfe"]:
        response = await customer.post(
            "/api/v1/customers", content=content, headers={"content-type": "application/json"}
        )
        problem = assert_problem(response, 422, "validation")
        assert problem["errors"] and all(error["field"].startswith("body") for error in problem["errors"])
    assert await snapshot(db) == before


async def test_text_postgresql_cannot_store_is_422_not_an_outage(customer, db):
    await _seed(customer)
    before = await snapshot(db)
    for method, path, body in [
        ("POST", "/api/v1/customers", {"name": "Nul\u0000Name"}),
        ("PATCH", "/api/v1/customers/1", {"city": "Ci\u0000ty"}),
        ("POST", "/api/v1/products", {"sku": "N\u00001", "name": "N", "unit_cost": 1, "unit_price": 1}),
        ("POST", "/api/v1/stores", {"name": "S\u0000"}),
    ]:
        assert_problem(await customer.request(method, path, json=body), 422, "validation")
    for path, params in [("/api/v1/customers", {"q": "a\u0000"}), ("/api/v1/products", {"brand": "\u0000"})]:
        assert_problem(await customer.get(path, params=params), 422, "validation")
    assert await snapshot(db) == before


async def test_unknown_routes_and_methods_are_problems(customer):
    assert_problem(await customer.get("/api/v1/nothing-here"), 404, "not-found")
    assert_problem(await customer.put("/api/v1/customers/1", json={}), 405, "method-not-allowed")


async def test_a_405_allows_every_method_the_path_serves(customer, db):
    before = await snapshot(db)
    for method, path, allowed in [
        ("PUT", "/api/v1/customers/1", "DELETE, GET, PATCH"),
        ("PUT", "/api/v1/purchases", "GET, POST"),
        ("DELETE", "/api/v1/purchases/1", "GET"),
        ("GET", "/api/v1/purchases/1/cancel", "POST"),
    ]:
        response = await customer.request(method, path)
        assert_problem(response, 405, "method-not-allowed")
        assert response.headers["allow"] == allowed, (method, path)
    assert await snapshot(db) == before


async def test_an_unreachable_database_is_503_retry_later(postgres_url):
    settings = CustomerSettings(
        database_url="postgresql://postgres@127.0.0.1:1/absent", environment="test", internal_secret=TEST_SECRET
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        client = ServiceClient(app)
        client._transport = httpx2.ASGITransport(app=app, raise_app_exceptions=False)
        async with client:
            for path in ["/api/v1/stores", "/api/v1/customers/1", f"/api/v1/exchange-rates/EUR/{date.today()}"]:
                response = await client.get(path)
                assert_problem(response, 503, "not-ready")
                assert response.headers["retry-after"] == "1"


@pytest.mark.parametrize("limit", ["1", "500"])
async def test_limit_bounds_are_inclusive(customer, limit):
    assert (await customer.get("/api/v1/stores", params={"limit": limit})).status_code == 200
